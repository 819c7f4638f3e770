using Chat.Benchmarks.Requests;

namespace Chat.Benchmarks.Scenarios;

/// <summary>
/// What to send and where: a name for the report, the route it takes (<c>gateway</c>, <c>direct</c>,
/// <c>nginx</c>; null for a bare URL), and a factory for the request source aimed at a given URL.
/// </summary>
public sealed record Scenario(string Name, string? Via, string Method, Uri Target, Func<Uri, IRequestSource> CreateSource)
{
    /// <summary>Caller headers are re-signed this often; services refuse identity signatures older than 2 minutes.</summary>
    public static readonly TimeSpan CallerRenewal = TimeSpan.FromSeconds(30);

    /// <summary>The same request every time (after the caller's headers).</summary>
    public static Scenario Fixed(string name, string? via, RequestTemplate request, CallerHeaders caller) =>
        new(name, via, request.Method, request.Url, url => Renewed(() => new FixedRequestSource(Signed(request, url, caller))));

    /// <summary>
    /// A fixed head with a body written per request by <paramref name="body"/>, from the request's number in its run
    /// (1, 2, ...); <paramref name="answered"/>, if given, hears how each numbered request ended.
    /// </summary>
    public static Scenario Generated(
        string name, string? via, RequestTemplate head, BodyWriter body, CallerHeaders caller, AnswerObserver? answered = null) =>
        new(name, via, head.Method, head.Url, url =>
        {
            var numbers = new RequestNumbers();
            return Renewed(() => new GeneratedRequestSource(Signed(head, url, caller), body, numbers, answered));
        });

    /// <summary>The same requests sent to another server, e.g. a proxy in front of the original; path and query kept.</summary>
    public Scenario RoutedThrough(string via, Uri server) =>
        this with { Via = via, Target = new UriBuilder(Target) { Host = server.Host, Port = server.Port }.Uri };

    private static RenewedRequestSource Renewed(Func<IRequestSource> build) => new(build, CallerRenewal);

    private static RequestTemplate Signed(RequestTemplate request, Uri url, CallerHeaders caller) =>
        request.WithHeaders(caller(DateTimeOffset.UtcNow)) with { Url = url };
}
