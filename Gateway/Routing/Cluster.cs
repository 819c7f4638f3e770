namespace Chat.Gateway.Routing;

/// <summary>
/// A cluster's destinations, resolved once to absolute base addresses without a trailing slash, so a
/// request only concatenates its path and query. Several addresses are used in turn.
/// </summary>
internal sealed class Cluster(string id, string[] destinations)
{
    private uint _next;

    public string Id { get; } = id;

    public string NextDestination() =>
        destinations.Length == 1
            ? destinations[0]
            : destinations[(int)(Interlocked.Increment(ref _next) % (uint)destinations.Length)];
}
