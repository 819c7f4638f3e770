using System.Net.Http.Json;
using System.Text.Json;
using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;
using Npgsql;

namespace Chat.AppHost.Tests.Hosting;

/// <summary>A small model on real servers: what each process is given, and the broker handle tests use.</summary>
public sealed class WiringTests
{
    [Fact]
    public async Task A_process_gets_Aspire_style_wiring_and_starts_only_after_what_it_waits_for()
    {
        using var data = new TempDirectory();
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            DataDirectory = data.Path,
            Durable = false,
            DashboardUrl = "http://127.0.0.1:0",
        });
        var database = builder.AddPostgres("postgres").AddDatabase("appdb");
        var cache = builder.AddRedis("cache");
        var bus = builder.AddRabbitMQ("messaging-bus");
        var backend = builder.AddProbeService("backend").WithReference(cache).WaitFor(cache);
        builder.AddProbeService("front")
            .WithReference(database).WaitFor(database)
            .WithReference(cache)
            .WithReference(bus).WaitFor(bus)
            .WithReference(backend).WaitFor(backend)
            .WithEnvironment("Custom__Setting", "custom");

        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitForResourceHealthyAsync("front").WaitAsync(TimeSpan.FromSeconds(60));

        var front = app.GetEndpoint("front");
        var environment = await ProbeServices.EnvironmentOfAsync(front);
        Assert.Equal(app.GetConnectionString("appdb"), environment["ConnectionStrings__appdb"]);
        Assert.Contains("Database=appdb", environment["ConnectionStrings__appdb"]);
        Assert.Equal(app.GetConnectionString("cache"), environment["ConnectionStrings__cache"]);
        Assert.Equal(app.GetConnectionString("messaging-bus"), environment["ConnectionStrings__messaging-bus"]);
        Assert.Equal(app.GetEndpoint("backend").GetLeftPart(UriPartial.Authority), environment["services__backend__http__0"]);
        Assert.Equal(front.GetLeftPart(UriPartial.Authority), environment["ASPNETCORE_URLS"]);
        Assert.Equal("front", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
        Assert.Equal(app.Secrets.IdentitySigningKey, environment["Identity__SigningKey"]);
        Assert.Equal(app.Secrets.DefaultAppJwtSecret, environment["Apps__Default__JwtSecret"]);
        Assert.Equal("custom", environment["Custom__Setting"]);
        Assert.False(environment.ContainsKey("ConnectionStrings__postgres"));
        Assert.StartsWith("http://127.0.0.1:", environment["ASPNETCORE_URLS"]);

        await using (var connection = new NpgsqlConnection(environment["ConnectionStrings__appdb"] + ";Pooling=false"))
        {
            await connection.OpenAsync();
        }

        var secrets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data.Path, SharedSecrets.FileName))).RootElement;
        Assert.Equal(app.Secrets.DefaultAppJwtSecret, secrets.GetProperty(SharedSecrets.DefaultAppJwtSecretName).GetString());
        Assert.Equal(43, app.Secrets.IdentitySigningKey.Length);

        using var client = new HttpClient();
        var resources = await client.GetFromJsonAsync<JsonElement>(new Uri(app.DashboardUrl!, "/api/resources"));
        Assert.Contains(resources.EnumerateArray(), resource => resource.GetProperty("name").GetString() == "front" && resource.GetProperty("state").GetString() == "Healthy");
        Assert.Contains("probe service", await client.GetStringAsync(app.DashboardUrl));

        var processes = app.ResourceNotifications.GetSnapshots().SelectMany(snapshot => snapshot.ProcessIds).ToArray();
        Assert.Equal(5, processes.Length);
        await app.StopAsync();
        Assert.Empty(await ProcessTable.WaitUntilGoneAsync(processes, TimeSpan.FromSeconds(5)));
        Assert.All(app.ResourceNotifications.GetSnapshots(), snapshot => Assert.Equal(ResourceState.Stopped, snapshot.State));
    }

    [Fact]
    public async Task The_running_broker_can_be_stopped_and_restarted_through_the_app()
    {
        using var data = new TempDirectory();
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DataDirectory = data.Path, Durable = false });
        builder.AddRabbitMQ("messaging-bus");
        await using var app = builder.Build();
        await app.StartAsync();
        var broker = app.GetServer<RabbitMqServer>("messaging-bus");
        var connectionString = app.GetConnectionString("messaging-bus");

        await broker.StopAsync();
        await WaitForStateAsync(app, "messaging-bus", ResourceState.Exited);
        await broker.RestartAsync();
        await app.WaitForResourceHealthyAsync("messaging-bus").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(broker, app.GetServer<RabbitMqServer>("messaging-bus"));
        Assert.Equal(connectionString, app.GetConnectionString("messaging-bus"));
        Assert.True(await AmqpHandshake.AnswersAsync(broker.Port, CancellationToken.None));
    }

    private static async Task WaitForStateAsync(DistributedApplication app, string resource, ResourceState state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (app.ResourceNotifications.GetSnapshot(resource).State != state)
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
