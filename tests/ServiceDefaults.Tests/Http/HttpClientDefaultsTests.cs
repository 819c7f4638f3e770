using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chat.ServiceDefaults.Tests.Http;

public sealed class HttpClientDefaultsTests
{
    [Fact]
    public async Task A_client_reaches_a_service_by_name_and_retries_a_failed_get_but_never_a_post()
    {
        var calls = new Dictionary<string, int>();
        await using var service = await StartServiceAsync(async context =>
        {
            int call;
            lock (calls)
            {
                call = calls[context.Request.Method] = calls.GetValueOrDefault(context.Request.Method) + 1;
            }

            context.Response.StatusCode = call == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            await context.Response.WriteAsync(context.Request.Method);
        });
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["services:probe:http:0"] = AddressOf(service) });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var get = await client.GetAsync("http://probe/thing");
        var post = await client.PostAsync("http://probe/thing", new StringContent("once"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(new Dictionary<string, int> { ["GET"] = 2, ["POST"] = 1 }, calls);
    }

    private static async Task<WebApplication> StartServiceAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
}
