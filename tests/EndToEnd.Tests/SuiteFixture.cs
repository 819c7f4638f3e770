using System.Net.Http.Headers;
using Chat.AppHost;
using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;
using Chat.TestInfrastructure;
using Npgsql;

namespace Chat.EndToEnd.Tests;

/// <summary>The whole platform, started by the AppHost's own model, reached only through the gateway.</summary>
public sealed class SuiteFixture : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "chat-e2e", Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Messaging runs as two replicas behind one address, so a test can kill one while the other serves.</summary>
    public const int MessagingReplicas = 2;

    public DistributedApplication App { get; private set; } = null!;

    public Uri Gateway { get; private set; } = null!;

    public RabbitMqServer Broker => App.GetServer<RabbitMqServer>("messaging-bus");

    public async Task InitializeAsync()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DataDirectory = dataDirectory, Durable = false });
        builder.Configuration[ChatSuite.GatewayPortKey] = "0";
        builder.Configuration[ChatSuite.MessagingReplicasKey] = $"{MessagingReplicas}";
        ChatSuite.Define(builder);
        App = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await App.StartAsync(timeout.Token);
        foreach (var resource in new[] { "groups", "messaging", "knowledge", "aibot", "gateway" })
        {
            await App.WaitForResourceHealthyAsync(resource, timeout.Token);
            await WaitUntilFullyHealthyAsync(App.GetEndpoint(resource), timeout.Token);
        }

        for (var replica = 0; replica < MessagingReplicas; replica++)
        {
            await WaitUntilFullyHealthyAsync(App.GetEndpoint("messaging", replica), timeout.Token);
        }

        Gateway = App.GetEndpoint("gateway");
    }

    /// <summary>
    /// A service is ready (200) as soon as its database is; its bus may still be connecting (Degraded),
    /// and an event published before the consumers' queues are bound would have no queue to land in.
    /// </summary>
    public static async Task WaitUntilFullyHealthyAsync(Uri service, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = service };
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health", cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode && body.StartsWith("{\"status\":\"Healthy\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // A replica being restarted refuses connections for a moment.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A client of the gateway carrying a Chat21 JWT of the default app, in Chat21's own header form.</summary>
    public HttpClient Chat21Client(string userId, string[]? roles = null)
    {
        var client = new HttpClient { BaseAddress = Gateway };
        var token = TestIdentity.Jwt(App.Secrets.DefaultAppJwtSecret, "default", userId, roles: roles);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("JWT", token);
        return client;
    }

    public NpgsqlDataSource Database(string name) => NpgsqlDataSource.Create(App.GetConnectionString(name));

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server still flushing: the OS cleans the temp folder.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SuiteCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "suite";
}
