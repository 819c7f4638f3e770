using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Chat.TestInfrastructure;

/// <summary>
/// Hosts one service for tests against the shared real servers, with a database of its own and the
/// broker, cache and signing key wired exactly as the AppHost wires them.
/// </summary>
public class ServiceFactory<TProgram>(TestServers servers, string databaseName, string databaseConnectionString, string serviceName)
    : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public TestServers Servers { get; } = servers;

    public string DatabaseConnectionString { get; } = databaseConnectionString;

    /// <summary>A client whose requests carry <paramref name="caller"/>'s signed identity.</summary>
    public HttpClient CreateClient(CallerIdentity caller)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.SignAs(caller);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // UseSetting, not ConfigureAppConfiguration: Program reads these while building, before late sources apply.
        builder.UseSetting($"ConnectionStrings:{databaseName}", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", Servers.Redis.ConnectionString);
        builder.UseSetting("ConnectionStrings:messaging-bus", Servers.RabbitMq.ConnectionString);
        builder.UseSetting("Identity:SigningKey", TestIdentity.SigningKey);
        builder.UseSetting("OTEL_SERVICE_NAME", serviceName);
    }
}

public static class ServiceFactory
{
    /// <summary>Creates the service's own database on the shared servers and a factory hosting it; the host starts on first use.</summary>
    public static async Task<ServiceFactory<TProgram>> CreateAsync<TProgram>(string databaseName, string serviceName)
        where TProgram : class
    {
        var servers = await TestServers.GetAsync();
        var connectionString = await servers.CreateDatabaseAsync(databaseName);
        return new ServiceFactory<TProgram>(servers, databaseName, connectionString, serviceName);
    }
}
