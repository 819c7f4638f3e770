using Chat.AppHost.Hosting;
using Chat.AppHost.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Chat.AppHost.Orchestration;

/// <summary>
/// Runs a model: servers first (in parallel, with the solution build), databases once their server
/// answers, then each project as soon as what it waits for is healthy. Stops in the reverse order:
/// projects, then RabbitMQ, Redis and PostgreSQL.
/// </summary>
internal sealed class Orchestrator(
    IReadOnlyList<IResource> resources,
    DistributedApplicationOptions options,
    IConfiguration configuration,
    ILoggerFactory loggerFactory) : IEndpointDirectory, IAsyncDisposable
{
    private static readonly Type[] ServerStopOrder = [typeof(RabbitMQServerResource), typeof(RedisResource), typeof(PostgresServerResource)];

    private readonly ILogger logger = loggerFactory.CreateLogger("Chat.AppHost");
    private readonly Dictionary<string, ResourceRuntime> runtimes = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource stopping = new();
    private readonly HttpClient healthClient = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(3),
    };

    private readonly List<Task> launches = [];
    private readonly Lock stopGate = new();
    private string? repositoryRoot;
    private Task? stopped;

    public ResourceNotificationService Notifications { get; } = new();

    public SharedSecrets? Secrets { get; private set; }

    public string? DataDirectory { get; private set; }

    /// <summary>Raised for each output line of a project replica (resource, replica index, line).</summary>
    public event Action<string, int, LogLine>? ProcessOutput;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var needsRepository = options.DataDirectory is null || resources.OfType<ProjectResource>().Any();
        repositoryRoot = needsRepository ? RepositoryRoot.Find(options.RepositoryRoot) : null;
        DataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(repositoryRoot!, ".data"));
        Directory.CreateDirectory(DataDirectory);
        Secrets = SharedSecrets.LoadOrCreate(configuration, DataDirectory);
        ReportSecrets(Secrets);
        CreateRuntimes();

        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        List<Task> work = runtimes.Values.OfType<ServerRuntime>().Select(server => StartServerAsync(server, startup.Token)).ToList();
        if (options.BuildProjects && resources.OfType<ProjectResource>().Any())
        {
            work.Add(SolutionBuild.RunAsync(repositoryRoot!, DataDirectory, resources.OfType<ProjectResource>(), options.Configuration, logger, startup.Token));
        }

        try
        {
            // The first failure cancels the rest rather than waiting for a long build.
            await Task.WhenAll(work.Select(async task =>
            {
                try
                {
                    await task;
                }
                catch
                {
                    await startup.CancelAsync();
                    throw;
                }
            }));
        }
        catch
        {
            await StopAsync();
            throw;
        }

        foreach (var process in runtimes.Values.OfType<ProcessRuntime>())
        {
            launches.Add(process.LaunchAsync(Notifications, stopping.Token));
        }
    }

    /// <summary>Stops everything once; later calls wait for the same stop.</summary>
    public Task StopAsync()
    {
        lock (stopGate)
        {
            return stopped ??= StopOnceAsync();
        }
    }

    private async Task StopOnceAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(launches);
        await Task.WhenAll(runtimes.Values.OfType<ProcessRuntime>().Select(process => process.StopAsync()));
        foreach (var kind in ServerStopOrder)
        {
            foreach (var server in runtimes.Values.OfType<ServerRuntime>().Where(server => server.Resource.GetType() == kind))
            {
                await server.StopAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var runtime in runtimes.Values)
        {
            runtime.Dispose();
        }

        healthClient.Dispose();
        stopping.Dispose();
    }

    public ResourceRuntime Runtime(string resourceName) =>
        runtimes.TryGetValue(resourceName, out var runtime)
            ? runtime
            : throw new DistributedApplicationException($"There is no started resource named '{resourceName}'.");

    public string ConnectionStringOf(IResource resource) => Runtime(resource.Name) switch
    {
        DatabaseRuntime database => database.ConnectionString,
        ServerRuntime { Server: PostgresServer postgres } => postgres.ConnectionString("postgres"),
        ServerRuntime { Server: RedisServer redis } => redis.ConnectionString,
        ServerRuntime { Server: RabbitMqServer rabbit } => rabbit.ConnectionString,
        _ => throw new DistributedApplicationException($"Resource '{resource.Name}' has no connection string (yet)."),
    };

    public Uri EndpointOf(ProcessResource resource) => Runtime(resource.Name) is ProcessRuntime process
        ? process.Endpoint
        : throw new DistributedApplicationException($"Resource '{resource.Name}' has no HTTP endpoint.");

    public IReadOnlyList<Uri> H2cEndpointsOf(ProcessResource resource) => Runtime(resource.Name) is ProcessRuntime process
        ? process.H2cEndpoints
        : throw new DistributedApplicationException($"Resource '{resource.Name}' has no HTTP endpoint.");

    private void CreateRuntimes()
    {
        foreach (var resource in resources)
        {
            ResourceRuntime runtime = resource switch
            {
                PostgresServerResource => Server(resource, token => PostgresServer.StartAsync(new PostgresServerOptions(ServerDirectory(resource), Durable: options.Durable), token), server => ((PostgresServer)server).ConnectionString("postgres")),
                RedisResource => Server(resource, token => RedisServer.StartAsync(new RedisServerOptions(ServerDirectory(resource), Durable: options.Durable), token), server => ((RedisServer)server).ConnectionString),
                RabbitMQServerResource => Server(resource, token => RabbitMqServer.StartAsync(new RabbitMqServerOptions(ServerDirectory(resource)), token), server => ((RabbitMqServer)server).ConnectionString),
                PostgresDatabaseResource database => new DatabaseRuntime(database, (ServerRuntime)runtimes[database.Parent.Name], Notifications),
                ProcessResource process => new ProcessRuntime(process, (index, url) => Prepare(process, index, url), healthClient, Notifications, logger),
                _ => throw new DistributedApplicationException($"Resource '{resource.Name}' is of a kind this AppHost cannot run ({resource.GetType().Name})."),
            };
            runtimes.Add(resource.Name, runtime);
            Notifications.Register(resource.Name, runtime.Snapshot);
            if (runtime is ProcessRuntime processRuntime)
            {
                foreach (var (replica, index) in processRuntime.Replicas.Select((replica, index) => (replica, index)))
                {
                    replica.Logs.LineAdded += line => ProcessOutput?.Invoke(resource.Name, index, line);
                }
            }
        }
    }

    private ServerRuntime Server<TServer>(IResource resource, Func<CancellationToken, Task<TServer>> start, Func<IManagedServer, string> describe)
        where TServer : IManagedServer =>
        new(resource, async token => await start(token), describe, Notifications);

    private string ServerDirectory(IResource resource) => Path.Combine(DataDirectory!, resource.Name);

    private async Task StartServerAsync(ServerRuntime server, CancellationToken cancellationToken)
    {
        try
        {
            await server.StartAsync(cancellationToken);
            logger.LogInformation("{Resource} is ready: {Address}", server.Name, server.Snapshot().Url);
            foreach (var database in runtimes.Values.OfType<DatabaseRuntime>().Where(database => ((PostgresDatabaseResource)database.Resource).Parent == server.Resource))
            {
                await database.CreateAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DistributedApplicationException($"{server.Name} failed to start: {e.Message}", e);
        }
    }

    private ChildProcessSpec Prepare(ProcessResource resource, int replica, Uri bindUrl)
    {
        var environment = EnvironmentWiring.For(resource, replica, bindUrl, this, Secrets!);
        LogEnvironment(resource, replica, environment);
        var variables = environment.ToDictionary(variable => variable.Key, string? (variable) => variable.Value, StringComparer.Ordinal);
        switch (resource)
        {
            case ProjectResource project:
                var assembly = ProjectOutput.AssemblyPath(repositoryRoot!, project, options.Configuration);
                if (!File.Exists(assembly))
                {
                    throw new FileNotFoundException($"{assembly} does not exist: build the solution ({options.Configuration}) first.", assembly);
                }

                return new ChildProcessSpec("dotnet", [assembly])
                {
                    WorkingDirectory = Path.GetDirectoryName(ProjectOutput.ProjectFile(repositoryRoot!, project)),
                    Environment = variables,
                };
            case ExecutableResource executable:
                return new ChildProcessSpec(executable.Command, executable.Arguments)
                {
                    WorkingDirectory = executable.WorkingDirectory,
                    Environment = variables,
                };
            default:
                throw new DistributedApplicationException($"Resource '{resource.Name}' is of a kind this AppHost cannot run ({resource.GetType().Name}).");
        }
    }

    /// <summary>At debug level, what a replica is started with; secrets show only their first characters.</summary>
    private void LogEnvironment(ProcessResource resource, int replica, IReadOnlyDictionary<string, string> environment)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Environment of {Resource} replica {Replica}:\n{Environment}", resource.Name, replica, string.Join('\n',
                environment.Select(variable => $"  {variable.Key}={(EnvironmentWiring.IsSecret(variable.Key) ? SharedSecrets.Preview(variable.Value) : variable.Value)}")));
        }
    }

    private void ReportSecrets(SharedSecrets secrets)
    {
        foreach (var (name, value) in new[] { (SharedSecrets.IdentitySigningKeyName, secrets.IdentitySigningKey), (SharedSecrets.DefaultAppJwtSecretName, secrets.DefaultAppJwtSecret) })
        {
            var origin = secrets.Configured.Contains(name) ? "from configuration"
                : secrets.Generated.Contains(name) ? $"generated and stored in {secrets.FilePath}"
                : $"from {secrets.FilePath}";
            logger.LogInformation("{Name} {Preview} ({Origin})", name, SharedSecrets.Preview(value), origin);
        }

        if (!secrets.Configured.Contains(SharedSecrets.DefaultAppJwtSecretName))
        {
            logger.LogInformation("The default app's full JWT secret: jq -r '.\"{Name}\"' {Path}", SharedSecrets.DefaultAppJwtSecretName, secrets.FilePath);
        }
    }
}
