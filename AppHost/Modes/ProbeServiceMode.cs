using System.Collections;

namespace Chat.AppHost.Modes;

/// <summary>
/// <c>AppHost --probe-service</c>: a stand-in service that listens on <c>ASPNETCORE_URLS</c>, answers
/// <c>/health</c> and <c>/alive</c>, and shows the environment it was given at <c>/env</c>. It checks
/// the orchestrator's wiring, health gating and restarts without the real services.
/// </summary>
internal static class ProbeServiceMode
{
    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapGet("/alive", () => "Healthy");
        app.MapGet("/env", () => Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value, StringComparer.Ordinal));
        app.MapGet("/pid", () => Environment.ProcessId);
        Console.WriteLine($"probe service {Environment.ProcessId} on {Environment.GetEnvironmentVariable("ASPNETCORE_URLS")}");
        await app.RunAsync();
        return 0;
    }
}
