using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// The group <c>send-group</c> writes to: <see cref="MemberCount"/> members new to the platform
/// (<c>bench-g&lt;creation second&gt;-&lt;i&gt;</c>), so each member's send budget is whole when a run starts.
/// Created through the gateway by its first member; Messaging learns the members from Groups' event, so the
/// group is ready once Messaging takes a message to it instead of answering 403.
/// </summary>
public sealed class BenchmarkGroup
{
    public const int MemberCount = 100;

    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    private readonly string[] members;

    private BenchmarkGroup(string id, string name, string[] members)
    {
        Id = id;
        Name = name;
        this.members = members;
    }

    public string Id { get; }

    public string Name { get; }

    public static async Task<BenchmarkGroup> CreateAsync(PlatformTargets targets, BenchmarkUser admin, CancellationToken cancellationToken)
    {
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string[] members = [.. Enumerable.Range(0, MemberCount).Select(i => $"bench-g{stamp}-{i}")];
        var owner = targets.User with { UserId = members[0], Name = "Bench Member" };
        using var http = new HttpClient { BaseAddress = targets.Gateway };
        var name = $"bench-group-{stamp}";
        var created = new JsonObject
        {
            ["group_name"] = name,
            ["group_members"] = new JsonObject(members[1..].Select(member => KeyValuePair.Create(member, (JsonNode?)1))),
        };
        using var response = await PostAsync(
            http, $"/api/{targets.User.AppId}/groups", owner.JwtAuthorization(targets.JwtSecret, DateTimeOffset.UtcNow), created, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await FailureAsync("Creating the benchmark group", response, cancellationToken);
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var id = answer.RootElement.GetProperty("group").GetProperty("uid").GetString()
            ?? throw new InvalidOperationException("The created group has no uid.");
        var group = new BenchmarkGroup(id, name, members);
        await group.WaitUntilReadyAsync(http, targets, admin, cancellationToken);
        return group;
    }

    /// <summary>Message <paramref name="number"/> of a run, from the member it is the turn of.</summary>
    public int WriteMessage(Span<byte> destination, long number) =>
        MessagingScenarios.Written(
            Utf8.TryWrite(
                destination,
                $$"""{"sender_id":"{{members[number % members.Length]}}","sender_fullname":"Bench Member","recipient_id":"{{Id}}","recipient_fullname":"{{Name}}","text":"Benchmark group message {{number}}","type":"text","channel_type":"group"}""",
                out var written),
            written);

    // The admin sends as itself, not as a member, so the polls spend none of the members' budgets.
    private async Task WaitUntilReadyAsync(HttpClient http, PlatformTargets targets, BenchmarkUser admin, CancellationToken cancellationToken)
    {
        var probe = new JsonObject
        {
            ["sender_fullname"] = admin.Name,
            ["recipient_id"] = Id,
            ["recipient_fullname"] = Name,
            ["text"] = "Benchmark group ready",
            ["type"] = "text",
            ["channel_type"] = "group",
        };
        var deadline = DateTimeOffset.UtcNow + ReadyWithin;
        while (DateTimeOffset.UtcNow < deadline)
        {
            using var response = await PostAsync(
                http, $"/api/{targets.User.AppId}/messages", admin.JwtAuthorization(targets.JwtSecret, DateTimeOffset.UtcNow), probe, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return;
                case HttpStatusCode.Forbidden:
                    await Task.Delay(PollEvery, cancellationToken);
                    break;
                case HttpStatusCode.TooManyRequests:
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                    break;
                default:
                    throw await FailureAsync("Sending to the benchmark group", response, cancellationToken);
            }
        }

        throw new TimeoutException($"Messaging did not accept messages to group {Id} within {ReadyWithin.TotalSeconds} s of its creation.");
    }

    private static async Task<HttpResponseMessage> PostAsync(
        HttpClient http, string path, HttpHeader authorization, JsonNode body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(authorization.Name, authorization.Value);
        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task<InvalidOperationException> FailureAsync(string what, HttpResponseMessage response, CancellationToken cancellationToken) =>
        new($"{what} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
}
