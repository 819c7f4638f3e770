using System.Text.Unicode;
using Chat.Benchmarks.Delivery;
using Chat.Benchmarks.Load;
using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// The Messaging scenarios: an app admin sends on behalf of many users (<c>sender_id</c>), so neither the
/// per-sender rate limit (30 at once, then 30 a minute) nor the per-user feed locks set the pace.
/// </summary>
public static class MessagingScenarios
{
    /// <summary>POST direct messages from <c>bench-s&lt;n&gt;</c> to <c>bench-r&lt;n&gt;</c>, n rotating over <see cref="Senders"/>.</summary>
    public const string SendDirect = "send-direct";

    /// <summary>POST messages to a new group of <see cref="BenchmarkGroup.MemberCount"/> members, each member sending in turn.</summary>
    public const string SendGroup = "send-group";

    /// <summary>POST direct messages to users listening on event streams, timing each from its send to its event.</summary>
    public const string SendSse = "send-sse";

    /// <summary>Distinct senders: at 3,000 messages/s each sends 0.3 a second, under the 0.5 its bucket refills.</summary>
    public const int Senders = 10_000;

    /// <summary>The open-loop rate of <c>send-group</c> without <c>--rate</c>: each member then sends once a second.</summary>
    public const double DefaultGroupRate = 100;

    /// <summary>The open-loop rate of <c>send-sse</c> without <c>--rate</c>.</summary>
    public const double DefaultSseRate = 1000;

    private static readonly HttpHeader Json = new("Content-Type", "application/json");

    public static IReadOnlyList<string> Names { get; } = [SendDirect, SendGroup, SendSse];

    /// <summary>Runs the named scenario through the gateway, then straight to Messaging if the targets name it.</summary>
    public static async Task<IReadOnlyList<RunResult>> RunAsync(
        string name, PlatformTargets targets, LoadOptions options, CancellationToken cancellationToken = default)
    {
        var results = new List<RunResult>();
        foreach (var via in targets.RoutesTo(targets.Messaging))
        {
            results.Add(name switch
            {
                SendDirect => await LoadRunner.RunAsync(Sending(SendDirect, via, targets, WriteDirectBody), options, cancellationToken),
                SendGroup => await RunGroupAsync(via, targets, options with { Rate = options.Rate ?? DefaultGroupRate }, cancellationToken),
                SendSse => await RunDeliveryAsync(via, targets, options with { Rate = options.Rate ?? DefaultSseRate }, cancellationToken),
                _ => throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", Names)}."),
            });
        }

        return results;
    }

    /// <summary>The length of a body <c>Utf8.TryWrite</c> wrote, or a failure if it did not fit.</summary>
    internal static int Written(bool fits, int written) =>
        fits ? written : throw new InvalidOperationException("The message body does not fit the send buffer.");

    /// <summary>The admin every message is sent by: a user of its own, so the admin role reaches no other scenario's caller.</summary>
    private static BenchmarkUser Admin(PlatformTargets targets) =>
        targets.User with { UserId = targets.User.UserId + "-admin", Name = "Benchmark Admin", IsAdmin = true };

    private static Scenario Sending(string name, string via, PlatformTargets targets, BodyWriter body, AnswerObserver? answered = null)
    {
        var (server, caller) = targets.Route(via, targets.Messaging, Admin(targets));
        var messages = new Uri(server, $"/api/{targets.User.AppId}/messages");
        return Scenario.Generated(name, via, new RequestTemplate("POST", messages, [Json]), body, caller, answered);
    }

    private static int WriteDirectBody(Span<byte> destination, long number)
    {
        var user = number % Senders;
        return Written(
            Utf8.TryWrite(
                destination,
                $$"""{"sender_id":"bench-s{{user}}","sender_fullname":"Bench Sender","recipient_id":"bench-r{{user}}","recipient_fullname":"Bench Recipient","text":"Benchmark message {{number}}","type":"text","channel_type":"direct"}""",
                out var written),
            written);
    }

    // A group per run: its members' send budgets are whole when the run starts, whichever ran before it.
    private static async Task<RunResult> RunGroupAsync(string via, PlatformTargets targets, LoadOptions options, CancellationToken cancellationToken)
    {
        var group = await BenchmarkGroup.CreateAsync(targets, Admin(targets), cancellationToken);
        return await LoadRunner.RunAsync(Sending(SendGroup, via, targets, group.WriteMessage), options, cancellationToken);
    }

    // The listeners stay open until every acknowledged message has arrived or --timeout has passed since the sending stopped.
    private static async Task<RunResult> RunDeliveryAsync(string via, PlatformTargets targets, LoadOptions options, CancellationToken cancellationToken)
    {
        var probe = new DeliveryProbe(targets.Listeners, options);
        var scenario = Sending(SendSse, via, targets, probe.WriteMessage, probe.Answered);
        var listeners = await ListenerStreams.OpenAsync(targets, probe, cancellationToken);
        RunResult result;
        await using (listeners)
        {
            result = await LoadRunner.RunAsync(scenario, options, cancellationToken);
            await probe.DrainAsync(options.Timeout, cancellationToken);
        }

        // Reported once the streams are closed, so their histograms are no longer written.
        return result with { Delivery = probe.Report(listeners.All) };
    }
}
