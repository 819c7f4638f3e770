using System.Collections.Concurrent;
using System.Diagnostics;
using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;

namespace Chat.ServiceDefaults.Tests;

/// <summary>An event publishes and is consumed in the trace of the work that wrote it, whichever path publishes it.</summary>
public sealed class OutboxTraceTests : IAsyncLifetime
{
    private const string RequestsName = "Chat.Tests.Requests";
    private static readonly ActivitySource Requests = new(RequestsName);

    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;
    private MessagingHost host = null!;

    public OutboxTraceTests()
    {
        listener = new()
        {
            ShouldListenTo = source => source.Name is "MassTransit" or OutboxDispatcher.ActivitySourceName or RequestsName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public async Task InitializeAsync() => host = await MessagingHost.StartAsync(await TestServers.GetAsync());

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        listener.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_consumer_runs_in_the_trace_of_the_request_that_wrote_the_event(bool handedOver)
    {
        var app = TestIdentity.NewAppId();
        ActivityTraceId trace;
        using (var request = Requests.StartActivity("POST /things", ActivityKind.Server)!)
        {
            trace = request.TraceId;
            await host.WriteAsync(MessagingHost.Event(app, 1), handOver: handedOver);
        }

        var traced = await Eventually.ReturnsAsync(
            () => Task.FromResult(stopped.Where(activity => activity.TraceId == trace).ToArray()),
            activities => activities.Any(activity => activity.Source.Name == "MassTransit" && activity.Kind == ActivityKind.Consumer),
            timeout: TimeSpan.FromSeconds(30),
            because: "the consumer's activity joins the request's trace");

        var publish = Assert.Single(traced, activity => activity.Source.Name == OutboxDispatcher.ActivitySourceName);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Contains(traced, activity => activity.Source.Name == "MassTransit" && activity.ParentSpanId == publish.SpanId);
        // The consumer's activity may stop a moment before its transaction's commit is visible to another connection.
        Assert.Equal(1, await Eventually.ReturnsAsync(() => host.EffectsAsync(app), effects => effects == 1, because: "the event takes effect once"));
    }
}
