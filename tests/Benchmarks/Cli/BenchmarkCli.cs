using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Chat.Benchmarks.Load;
using Chat.Benchmarks.Nginx;
using Chat.Benchmarks.Requests;
using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Cli;

/// <summary>The command line: parses, runs one command, prints its JSON report on stdout.</summary>
public static class BenchmarkCli
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Benchmarks -- <command> [options]

          jwt           [--secret SECRET (default: .data/secrets.json)] [--app default] [--user ID] [--name NAME] [--hours 24]: print a Chat21 JWT
          run           --url URL [--method GET] [--header 'Name: value']... [--body TEXT | --body-file PATH] [--name NAME]
          gateway-get   --gateway URL --jwt-secret SECRET [--direct GROUPS-URL --signing-key KEY] [--app ID] [--user ID]
          create-group  (same options as gateway-get)
          send-direct   --gateway URL --jwt-secret SECRET [--direct MESSAGING-URL --signing-key KEY] [--app ID] [--user ID]
          send-group    (same options as send-direct; open loop, --rate 100 unless given)
          send-sse      (same options as send-direct, plus [--listeners 64]; open loop, --rate 1000 unless given)
          all           (same options as gateway-get, plus [--direct-messaging MESSAGING-URL] [--listeners 64] [--nginx PATH] [--rounds 6]):
                        every named scenario, then compare gateway-get direct / gateway / nginx when --direct is given
          compare       --direct URL --gateway URL [--path /api/default/groups]
                        [--direct-header 'Name: value']... [--gateway-header 'Name: value']...
                        [--jwt-secret SECRET] [--signing-key KEY] [--app ID] [--user ID] [--nginx /usr/sbin/nginx]
                        [--rounds 6]: the measured time is cut into rounds taking direct, gateway and nginx in turn, in every order

        Load options (every command):
          --connections 64   keep-alive connections, one request in flight on each
          --duration 10      measured seconds
          --warmup 3         seconds of load before measuring, discarded
          --rate N           open loop: N requests/s in total, latency from each scheduled send time
          --timeout 10       seconds before a response counts as a timeout and its connection is replaced
          --threads 1        socket event threads of the load generator
          --timeline S       also report the measured window interval by interval, S seconds each (e.g. 0.25)
        """;

    /// <summary>A token for trying the platform by hand (README), signed like a tenant's backend would sign it.</summary>
    private static string MintJwt(CommandLine cli)
    {
        var secret = cli.Optional("secret") ?? StoredDefaultAppSecret();
        var user = cli.Optional("user") ?? "alice";
        var identity = new BenchmarkUser(cli.Optional("app") ?? "default", user, cli.Optional("name") ?? user);
        return ChatJwt.Mint(secret, identity, DateTimeOffset.UtcNow, TimeSpan.FromHours(cli.Integer("hours", 24)));
    }

    /// <summary>The default app's secret as <c>./run.sh</c> stored it, found from the current folder upwards.</summary>
    private static string StoredDefaultAppSecret()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            var file = Path.Combine(folder.FullName, ".data", "secrets.json");
            if (File.Exists(file))
            {
                using var secrets = JsonDocument.Parse(File.ReadAllText(file));
                return secrets.RootElement.GetProperty("Apps:Default:JwtSecret").GetString()
                    ?? throw new UsageException($"{file} has no Apps:Default:JwtSecret.");
            }
        }

        throw new UsageException("No --secret given and no .data/secrets.json found: start the platform with ./run.sh first.");
    }

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        try
        {
            var cli = CommandLine.Parse(args);
            if (cli.Command is "help" or "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (cli.Command == "jwt")
            {
                Console.WriteLine(MintJwt(cli));
                return 0;
            }

            var options = LoadOptionsOf(cli);
            SocketTuning.Apply(cli.Integer("threads", SocketTuning.DefaultThreads));
            var json = cli.Command switch
            {
                "run" => await RunUrlAsync(cli, options, cancellation.Token),
                var name when PlatformScenarios.Names.Contains(name) => await RunNamedAsync(cli, options, cancellation.Token),
                "compare" => await CompareAsync(cli, options, cancellation.Token),
                "all" => await RunAllAsync(cli, options, cancellation.Token),
                _ => throw new UsageException($"Unknown command '{cli.Command}'."),
            };
            Console.WriteLine(json);
            return 0;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Environment.NewLine + Usage);
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<string> RunUrlAsync(CommandLine cli, LoadOptions options, CancellationToken cancellationToken)
    {
        var url = cli.RequiredUrl("url");
        var method = (cli.Optional("method") ?? "GET").ToUpperInvariant();
        var headers = Headers(cli, "header");
        var body = cli.Optional("body");
        if (cli.Optional("body-file") is { } path)
        {
            body = body is null ? await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken) : throw new UsageException("Give --body or --body-file, not both.");
        }

        var name = cli.Optional("name") ?? "url";
        cli.RejectUnread();
        var scenario = Scenario.Fixed(name, null, new RequestTemplate(method, url, headers, body), Callers.Anonymous);
        var result = await LoadRunner.RunAsync(scenario, options, cancellationToken);
        return JsonSerializer.Serialize(result, BenchmarkJson.Default.RunResult);
    }

    private static async Task<string> RunNamedAsync(CommandLine cli, LoadOptions options, CancellationToken cancellationToken)
    {
        var targets = PlatformTargetsOf(cli);
        cli.RejectUnread();
        var results = await PlatformScenarios.RunAsync(cli.Command, targets, options, cancellationToken);
        return JsonSerializer.Serialize(new ScenarioReport(cli.Command, results), BenchmarkJson.Default.ScenarioReport);
    }

    private static async Task<string> RunAllAsync(CommandLine cli, LoadOptions options, CancellationToken cancellationToken)
    {
        var targets = PlatformTargetsOf(cli);
        var nginx = cli.Optional("nginx") ?? NginxProxy.DefaultBinary;
        var rounds = cli.Integer("rounds", GatewayComparison.DefaultRounds);
        cli.RejectUnread();
        var report = await PlatformBenchmark.RunAsync(targets, options, rounds, nginx, cancellationToken);
        return JsonSerializer.Serialize(report, BenchmarkJson.Default.PlatformReport);
    }

    private static async Task<string> CompareAsync(CommandLine cli, LoadOptions options, CancellationToken cancellationToken)
    {
        var path = cli.Optional("path");
        Uri At(string name) => path is null ? cli.RequiredUrl(name) : new Uri(cli.RequiredUrl(name), path);

        var user = User(cli);
        var directCaller = SigningKey(cli) is { } key ? Callers.SignedIdentity(user, key) : Callers.Anonymous;
        var gatewayCaller = cli.Optional("jwt-secret") is { } secret ? Callers.Jwt(user, secret) : Callers.Anonymous;
        var direct = Scenario.Fixed("compare", PlatformScenarios.ViaDirect, RequestTemplate.Get(At("direct"), Headers(cli, "direct-header")), directCaller);
        var gateway = Scenario.Fixed("compare", PlatformScenarios.ViaGateway, RequestTemplate.Get(At("gateway"), Headers(cli, "gateway-header")), gatewayCaller);
        var nginx = cli.Optional("nginx") ?? NginxProxy.DefaultBinary;
        var rounds = cli.Integer("rounds", GatewayComparison.DefaultRounds);
        cli.RejectUnread();

        var result = await GatewayComparison.RunAsync(direct, gateway, options, rounds, nginx, cancellationToken);
        return JsonSerializer.Serialize(result, BenchmarkJson.Default.ComparisonResult);
    }

    // --direct is the service the command's scenarios are about; `all` names Messaging with --direct-messaging.
    private static PlatformTargets PlatformTargetsOf(CommandLine cli)
    {
        var all = cli.Command == "all";
        var messaging = MessagingScenarios.Names.Contains(cli.Command);
        var direct = cli.OptionalUrl("direct");
        var targets = new PlatformTargets(cli.RequiredUrl("gateway"), cli.Required("jwt-secret"), SigningKey(cli))
        {
            User = User(cli),
            Groups = messaging ? null : direct,
            Messaging = messaging ? direct : all ? cli.OptionalUrl("direct-messaging") : null,
            Listeners = all || cli.Command == MessagingScenarios.SendSse
                ? cli.Integer("listeners", PlatformTargets.DefaultListeners)
                : PlatformTargets.DefaultListeners,
        };
        return (targets.Groups ?? targets.Messaging) is not null && targets.SigningKey is null
            ? throw new UsageException("--direct needs --signing-key: a service accepts only signed identity headers.")
            : targets;
    }

    private static LoadOptions LoadOptionsOf(CommandLine cli)
    {
        var defaults = new LoadOptions();
        return new LoadOptions
        {
            Connections = cli.Integer("connections", defaults.Connections),
            Duration = TimeSpan.FromSeconds(cli.Number("duration", defaults.Duration.TotalSeconds)),
            Warmup = TimeSpan.FromSeconds(cli.Number("warmup", defaults.Warmup.TotalSeconds, allowZero: true)),
            Rate = cli.OptionalNumber("rate"),
            Timeout = TimeSpan.FromSeconds(cli.Number("timeout", defaults.Timeout.TotalSeconds)),
            TimelineInterval = cli.OptionalNumber("timeline") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }

    private static List<HttpHeader> Headers(CommandLine cli, string name)
    {
        try
        {
            return [.. cli.All(name).Select(HttpHeader.Parse)];
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static BenchmarkUser User(CommandLine cli) => BenchmarkUser.Default with
    {
        AppId = cli.Optional("app") ?? BenchmarkUser.Default.AppId,
        UserId = cli.Optional("user") ?? BenchmarkUser.Default.UserId,
    };

    // The gateway's Identity:SigningKey as configured: its UTF-8 bytes are the HMAC key.
    private static byte[]? SigningKey(CommandLine cli) => cli.Optional("signing-key") is { } key ? Encoding.UTF8.GetBytes(key) : null;
}
