using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;

namespace Chat.Messaging.Tests.Features.Messages;

/// <summary>A group message is one trace: the caller's request, its database work, the event's publish and its consumer.</summary>
[Collection(MessagingCollection.Name)]
public sealed class MessageTraceTests(MessagingFixture fixture) : IDisposable
{
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Npgsql" or "MassTransit" or OutboxDispatcher.ActivitySourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task A_group_message_its_event_and_the_events_consumer_continue_the_callers_trace()
    {
        listener.ActivityStopped = stopped.Enqueue;
        ActivitySource.AddActivityListener(listener);
        var app = TestIdentity.NewAppId();
        await fixture.KnowGroupAsync(app, "traced", "alice", "bob");
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{app}/messages")
        {
            Content = JsonContent.Create(new
            {
                sender_fullname = "Alice", recipient_id = "traced", recipient_fullname = "Traced", text = "hello", channel_type = "group",
            }),
        };
        // As the gateway forwards it: the caller's trace context in W3C form.
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        Assert.Equal(HttpStatusCode.OK, (await fixture.ClientFor(TestIdentity.User(app, "alice")).SendAsync(request)).StatusCode);

        var traced = await Eventually.ReturnsAsync(
            () => Task.FromResult(stopped.Where(activity => activity.TraceId == trace).ToArray()),
            activities => activities.Any(activity => activity.Source.Name == "MassTransit" && activity.Kind == ActivityKind.Consumer),
            because: "the probe's consumer of MessageSent joins the request's trace");
        Assert.Contains(traced, activity => activity.Source.Name == "Microsoft.AspNetCore" && activity.Kind == ActivityKind.Server);
        Assert.Contains(traced, activity => activity.Source.Name == "Npgsql");
        Assert.Contains(traced, activity => activity.Source.Name == OutboxDispatcher.ActivitySourceName && activity.Kind == ActivityKind.Producer);
    }
}
