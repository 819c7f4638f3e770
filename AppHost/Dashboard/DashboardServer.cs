using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.AppHost.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Dashboard;

/// <summary>
/// The dashboard: <c>/</c> (resources and their recent logs, auto-refreshing) and
/// <c>GET /api/resources</c> (the same as JSON), on Kestrel at http://localhost:18888 by default.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    private readonly WebApplication app;

    private DashboardServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts the dashboard; a taken port is a warning, not a reason to stop the application.</summary>
    public static async Task<DashboardServer?> TryStartAsync(string url, Orchestrator orchestrator, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Chat.AppHost.Dashboard" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(DashboardPage.Render(ResourceView.All(orchestrator)), "text/html; charset=utf-8"));
        app.MapGet("/api/resources", () => Results.Json(ResourceView.All(orchestrator), Json));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            logger.LogWarning("The dashboard could not listen on {Url}: {Error}", url, e.Message);
            await app.DisposeAsync();
            return null;
        }

        var address = new Uri(app.Urls.First());
        logger.LogInformation("Dashboard: {Address} (resources and their recent output; --echo prints the output here too)", address);
        return new DashboardServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
