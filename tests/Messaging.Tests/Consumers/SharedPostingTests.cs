extern alias MessagingService;

using Chat.Contracts;
using Chat.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Chat21Message = MessagingService::Chat.Messaging.Features.Messages.Chat21Message;
using Participant = MessagingService::Chat.Messaging.Features.Messages.Participant;
using SharedPosting = MessagingService::Chat.Messaging.Consumers.SharedPosting;

namespace Chat.Messaging.Tests.Consumers;

[Collection(MessagingCollection.Name)]
public sealed class SharedPostingTests(MessagingFixture fixture)
{
    private readonly string app = TestIdentity.NewAppId();

    [Fact]
    public async Task Many_groups_created_at_once_with_the_same_members_greet_each_member_once_per_group_with_a_gapless_feed()
    {
        const int groups = 120;
        await Task.WhenAll(Enumerable.Range(0, groups).Select(i => fixture.PublishAsync(new GroupCreated
        {
            AppId = app, GroupId = $"crowd-{i}", Name = $"Crowd {i}", Owner = "bot", Members = ["bot", "owner", $"guest-{i}"], Version = 1,
        })));

        await Eventually.ReturnsAsync(
            () => fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "bot"),
            count => count == groups,
            because: "every group greets the bot");
        foreach (var member in new[] { "bot", "owner" })
        {
            Assert.Equal(groups, await fixture.ScalarAsync(app, "SELECT seq FROM feed_heads WHERE app_id = $1 AND user_id = $2", member));
            Assert.Equal(groups, await fixture.ScalarAsync(app, "SELECT count(DISTINCT seq) FROM feed_events WHERE app_id = $1 AND user_id = $2", member));
            Assert.Equal(groups, await fixture.ScalarAsync(app, "SELECT max(seq) FROM feed_events WHERE app_id = $1 AND user_id = $2", member));
            Assert.Equal(groups, await fixture.ScalarAsync(app, "SELECT count(*) FROM conversations WHERE app_id = $1 AND timeline_of = $2 AND unread_count = 1", member));
        }

        Assert.Equal(groups, await fixture.ScalarAsync(app, "SELECT count(*) FROM group_directory WHERE app_id = $1 AND $2 = ANY(members)", "owner"));
    }

    [Fact]
    public async Task An_event_the_database_refuses_fails_alone_and_a_repeated_event_runs_once()
    {
        var shared = fixture.Service.Services.GetRequiredService<SharedPosting>();
        var repeated = Guid.NewGuid();
        Task Post(Guid messageId, string sender, string senderFullname) => shared.RunAsync(messageId, "SharedPostingTests", posting =>
        {
            var message = new Chat21Message(Guid.CreateVersion7(), sender, senderFullname, "crowd", "crowd", "hello", "text", "direct",
                null, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100);
            posting.Post(app, message, Participant.OfDirect(message));
            return Task.CompletedTask;
        });

        var good = Enumerable.Range(0, 40).Select(i => Post(Guid.NewGuid(), $"poster-{i}", "Good")).ToList();
        var twice = new[] { Post(repeated, "poster-once", "Once"), Post(repeated, "poster-once", "Once") };
        // Validation keeps a NUL character out of every route; posted straight, PostgreSQL refuses it.
        var refused = Post(Guid.NewGuid(), "poster-bad", "Bad\0Name");

        var outcome = await Assert.ThrowsAsync<PostgresException>(() => refused);
        await Task.WhenAll(good.Concat(twice));

        Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, outcome.SqlState);
        Assert.Equal(good.Count + 1L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "crowd"));
        Assert.Equal(good.Count + 1L, await fixture.ScalarAsync(app, "SELECT seq FROM feed_heads WHERE app_id = $1 AND user_id = $2", "crowd"));
        Assert.Equal(0L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "poster-bad"));
        Assert.Equal(1L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "poster-once"));
    }

    [Fact]
    public async Task An_event_whose_handler_throws_fails_alone()
    {
        var shared = fixture.Service.Services.GetRequiredService<SharedPosting>();
        var runs = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        Task Post(string sender, Func<Task> then) => shared.RunAsync(Guid.NewGuid(), "SharedPostingTests", posting =>
        {
            runs.AddOrUpdate(sender, 1, (_, count) => count + 1);
            var message = new Chat21Message(Guid.CreateVersion7(), sender, sender, "handled", "handled", "hello", "text", "direct",
                null, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 100);
            posting.Post(app, message, Participant.OfDirect(message));
            return then();
        });

        // While the first event's transaction waits, the others queue and then share one transaction.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Post("handled-first", () => gate.Task);
        var good = Enumerable.Range(0, 20).Select(i => Post($"handled-{i}", () => Task.CompletedTask)).ToList();
        var failing = Post("unhandled", () => throw new InvalidOperationException("unhandled can't be handled"));
        good.AddRange(Enumerable.Range(20, 20).Select(i => Post($"handled-{i}", () => Task.CompletedTask)));
        gate.SetResult();

        var outcome = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await Task.WhenAll(good.Append(first));

        Assert.Equal("unhandled can't be handled", outcome.Message);
        Assert.Equal(good.Count + 1L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "handled"));
        Assert.Equal(0L, await fixture.ScalarAsync(app, "SELECT count(*) FROM timelines WHERE app_id = $1 AND timeline_of = $2", "unhandled"));
        // The good events that shared the failing one's transaction were taken back with it and then ran alone; the
        // later ones were queued behind the gate, so they shared it whichever side of it the first batch ended.
        Assert.All(Enumerable.Range(0, 40), i => Assert.InRange(runs[$"handled-{i}"], 1, 2));
        Assert.Contains(2, runs.Values);
    }
}
