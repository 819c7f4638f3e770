using Chat.Contracts;
using Chat.ServiceDefaults.Messaging;
using Chat.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.ServiceDefaults.Tests;

/// <summary>The reliability rules of SPEC §6 on the real broker and database.</summary>
[Collection(nameof(OutboxInboxTests))]
public sealed class OutboxInboxTests : IAsyncLifetime
{
    private MessagingHost host = null!;
    private TestServers servers = null!;

    public async Task InitializeAsync()
    {
        servers = await TestServers.GetAsync();
        host = await MessagingHost.StartAsync(servers);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Committed_events_are_published_and_each_is_applied_once()
    {
        var app = TestIdentity.NewAppId();
        for (var version = 1; version <= 25; version++)
        {
            await host.WriteAsync(MessagingHost.Event(app, version));
        }

        await Eventually.ReturnsAsync(() => host.EffectsAsync(app), count => count == 25);
        await Task.Delay(500);
        Assert.Equal(25, await host.EffectsAsync(app));
        Assert.Equal(25, await host.CountAsync(
            "SELECT count(DISTINCT e.version) FROM effects e WHERE e.app_id = $1", app));
        Assert.Equal(0, await host.PendingOutboxAsync());
    }

    [Fact]
    public async Task A_committed_event_never_handed_over_is_published_by_the_sweep_once_it_is_old_enough()
    {
        var app = TestIdentity.NewAppId();
        var written = DateTimeOffset.UtcNow;
        await host.WriteAsync(MessagingHost.Event(app, 1), handOver: false);

        await Eventually.ReturnsAsync(() => host.EffectsAsync(app), count => count == 1, timeout: TimeSpan.FromSeconds(30));
        Assert.True(DateTimeOffset.UtcNow - written >= OutboxDispatcher.SweepAge, "the sweep left recent rows to the hand-over");
        await Eventually.ReturnsAsync(() => host.CountAsync("SELECT count(*) FROM outbox_messages WHERE payload->>'appId' = $1", app), count => count == 0);
        Assert.Equal(1, await host.EffectsAsync(app));
    }

    [Fact]
    public async Task An_event_of_a_rolled_back_transaction_is_never_published()
    {
        var app = TestIdentity.NewAppId();
        await host.WriteAsync(MessagingHost.Event(app, 1), commit: false);
        await host.WriteAsync(MessagingHost.Event(app, 2));

        await Eventually.ReturnsAsync(() => host.EffectsAsync(app), count => count == 1);
        await Task.Delay(500);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM effects WHERE app_id = $1 AND version = 2", app));
        Assert.Equal(1, await host.EffectsAsync(app));
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing()
    {
        var app = TestIdentity.NewAppId();
        var bus = host.Host.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();

        for (var i = 0; i < 3; i++)
        {
            await bus.Publish(MessagingHost.Event(app, 7), context => context.MessageId = messageId);
        }

        await bus.Publish(MessagingHost.Event(app, 8), context => context.MessageId = NewId.NextGuid());
        await Eventually.ReturnsAsync(() => host.EffectsAsync(app), count => count == 2);
        await Task.Delay(500);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM effects WHERE app_id = $1 AND version = 7", app));
        Assert.Equal(2, await host.EffectsAsync(app));
    }

    [Fact]
    public async Task Events_written_while_the_broker_is_down_arrive_once_when_it_returns()
    {
        var app = TestIdentity.NewAppId();
        await host.WriteAsync(MessagingHost.Event(app, 1));
        await Eventually.ReturnsAsync(() => host.EffectsAsync(app), count => count == 1);

        await servers.RabbitMq.StopAsync();
        try
        {
            for (var version = 2; version <= 30; version++)
            {
                await host.WriteAsync(MessagingHost.Event(app, version));
            }

            await Task.Delay(1500);
            Assert.True(await host.PendingOutboxAsync() > 0, "with the broker down, events wait in the outbox");
        }
        finally
        {
            await servers.RabbitMq.RestartAsync();
        }

        await Eventually.ReturnsAsync(() => host.EffectsAsync(app), count => count >= 30, TimeSpan.FromSeconds(90));
        await Task.Delay(1000);
        Assert.Equal(30, await host.EffectsAsync(app));
        Assert.Equal(30, await host.CountAsync("SELECT count(DISTINCT version) FROM effects WHERE app_id = $1", app));
        Assert.Equal(0, await host.PendingOutboxAsync());
    }
}
