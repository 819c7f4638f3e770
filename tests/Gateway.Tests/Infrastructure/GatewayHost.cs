using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway (its Program and appsettings.json) on a real Kestrel port, configured in memory, in
/// front of real upstream servers: one shared by every service, or one per service.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string SigningKey = "test-identity-signing-key-0123456789";
    public const string DefaultSecret = "default-app-jwt-secret-0123456789";
    public const string OtherSecret = "other-app-jwt-secret-0123456789ab";
    public const string DisabledSecret = "disabled-app-jwt-secret-01234567";
    public static readonly string[] Services = ["groups", "messaging", "knowledge", "aibot"];

    private readonly GatewayFactory _factory;

    private GatewayHost(GatewayFactory factory, Dictionary<string, Upstream> upstreams, string address)
    {
        _factory = factory;
        Upstreams = upstreams;
        Address = new Uri(address);
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>The gateway's services.</summary>
    public IServiceProvider GatewayServices => _factory.Services;

    public IReadOnlyDictionary<string, Upstream> Upstreams { get; }

    /// <summary>The upstream behind the groups cluster (and every other one, unless each has its own).</summary>
    public Upstream Upstream => Upstreams["groups"];

    /// <param name="h2c">The services are reached over HTTP/2 without TLS (their <c>h2c</c> endpoints), as the AppHost wires them.</param>
    public static async Task<GatewayHost> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, bool upstreamPerService = false, bool h2c = false)
    {
        var upstreams = new Dictionary<string, Upstream>();
        var shared = upstreamPerService ? null : await Upstream.StartAsync("shared");
        foreach (var service in Services)
        {
            upstreams[service] = shared ?? await Upstream.StartAsync(service);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Identity:SigningKey"] = SigningKey,
            ["Apps:Default:JwtSecret"] = DefaultSecret,
            ["Apps:Tenants:other:JwtSecret"] = OtherSecret,
            ["Apps:Tenants:disabled:JwtSecret"] = DisabledSecret,
            ["Apps:Tenants:disabled:Enabled"] = "false",
        };
        foreach (var (service, upstream) in upstreams)
        {
            settings[$"services:{service}:http:0"] = upstream.Address;
            if (h2c)
            {
                settings[EndpointKey(service, h2c)] = upstream.H2cAddress;
            }
        }

        configure?.Invoke(settings);
        var factory = new GatewayFactory(settings);
        try
        {
            // Listen(…, 0) rather than UseKestrel(0): the port overload clears server addresses in a race with startup.
            factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new GatewayHost(factory, upstreams, address);
        }
        catch
        {
            await factory.DisposeAsync();
            foreach (var upstream in upstreams.Values.Distinct())
            {
                await upstream.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The setting that names the service's (first) endpoint the gateway uses.</summary>
    public static string EndpointKey(string service, bool h2c) => $"services:{service}:{(h2c ? "h2c" : "http")}:0";

    /// <summary>A loopback address where nothing listens.</summary>
    public static string DeadAddress()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        foreach (var upstream in Upstreams.Values.Distinct())
        {
            await upstream.DisposeAsync();
        }
    }

    private sealed class GatewayFactory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
            builder.ConfigureLogging(logging => logging.ClearProviders());
        }
    }
}
