using Chat.AppHost.Hosting;
using Chat.AppHost.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost.Tests.Orchestration;

/// <summary>What a service that serves h2c and its callers are given.</summary>
public sealed class H2cWiringTests : IDisposable
{
    private static readonly Uri ServiceEndpoint = new("http://127.0.0.1:5000");
    private static readonly Uri[] ServiceH2c = [new("http://127.0.0.1:6000"), new("http://127.0.0.1:6001")];

    private readonly TempDirectory data = new();
    private readonly SharedSecrets secrets;

    public H2cWiringTests() => secrets = SharedSecrets.LoadOrCreate(new ConfigurationBuilder().Build(), data.Path);

    [Fact]
    public void A_replica_that_serves_h2c_gets_both_endpoints_as_kestrel_configuration_instead_of_its_urls()
    {
        var (service, _) = Model();

        var environment = EnvironmentWiring.For(service, 1, new Uri("http://127.0.0.1:5101"), new Directory(service), secrets);

        Assert.Equal("http://127.0.0.1:5101", environment["Kestrel__Endpoints__http__Url"]);
        Assert.Equal("http://127.0.0.1:6001", environment["Kestrel__Endpoints__h2c__Url"]);
        Assert.Equal("Http2", environment["Kestrel__Endpoints__h2c__Protocols"]);
        Assert.False(environment.ContainsKey("ASPNETCORE_URLS"));
    }

    [Fact]
    public void A_caller_gets_the_shared_http_endpoint_and_every_replicas_h2c_endpoint()
    {
        var (service, caller) = Model();

        var environment = EnvironmentWiring.For(caller, 0, new Uri("http://127.0.0.1:8004"), new Directory(service), secrets);

        Assert.Equal("http://127.0.0.1:5000", environment["services__backend__http__0"]);
        Assert.Equal("http://127.0.0.1:6000", environment["services__backend__h2c__0"]);
        Assert.Equal("http://127.0.0.1:6001", environment["services__backend__h2c__1"]);
        Assert.Equal("http://127.0.0.1:8004", environment["ASPNETCORE_URLS"]);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("Kestrel__", StringComparison.Ordinal));
    }

    public void Dispose() => data.Dispose();

    private static (ProjectResource Service, ProjectResource Caller) Model()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions());
        var service = builder.AddProject("backend", "Backend").WithH2cEndpoint().WithReplicas(2);
        var caller = builder.AddProject("front", "Front").WithReference(service);
        return (service.Resource, caller.Resource);
    }

    /// <summary>The endpoints the orchestrator would have given: only the service serves h2c.</summary>
    private sealed class Directory(ProcessResource service) : IEndpointDirectory
    {
        public string ConnectionStringOf(IResource resource) => throw new InvalidOperationException("No connection strings here.");

        public Uri EndpointOf(ProcessResource resource) => ServiceEndpoint;

        public IReadOnlyList<Uri> H2cEndpointsOf(ProcessResource resource) => resource == service ? ServiceH2c : [];
    }
}
