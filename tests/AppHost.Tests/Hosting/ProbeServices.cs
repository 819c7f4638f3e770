using System.Net.Http.Json;
using Chat.AppHost.Hosting;

namespace Chat.AppHost.Tests.Hosting;

/// <summary>Stand-in services: this test run's AppHost.dll in its <c>--probe-service</c> mode.</summary>
public static class ProbeServices
{
    public static IResourceBuilder<ExecutableResource> AddProbeService(this DistributedApplicationBuilder builder, string name) =>
        builder.AddExecutable(name, "dotnet", AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "AppHost.dll"), "--probe-service");

    /// <summary>The environment the probe service was started with.</summary>
    public static async Task<Dictionary<string, string?>> EnvironmentOfAsync(Uri endpoint)
    {
        using var client = new HttpClient();
        return (await client.GetFromJsonAsync<Dictionary<string, string?>>(new Uri(endpoint, "/env")))!;
    }

    /// <summary>The process id that answers at the endpoint, on a fresh connection each time.</summary>
    public static async Task<int> ProcessIdAtAsync(Uri endpoint)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "/pid"));
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return int.Parse(await response.Content.ReadAsStringAsync());
    }
}
