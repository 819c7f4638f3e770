using System.Net;

namespace Chat.Gateway.Routing;

/// <summary>
/// One instance of a service: its absolute base address without a trailing slash (a request only appends its path and
/// query) and the HTTP version it is spoken to in. HTTP/2 without TLS (h2c) is spoken only by prior knowledge, so a
/// destination says which it is instead of the two sides negotiating.
/// </summary>
internal sealed record Destination(string BaseAddress, Version Version)
{
    public static Destination Http11(string baseAddress) => new(baseAddress, HttpVersion.Version11);

    public static Destination H2c(string baseAddress) => new(baseAddress, HttpVersion.Version20);

    /// <summary>HTTP/2 exactly (nothing to fall back to without TLS); HTTP/1.1 or lower otherwise.</summary>
    public HttpVersionPolicy VersionPolicy =>
        Version == HttpVersion.Version20 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower;
}

/// <summary>
/// A cluster's destinations, used in turn. A destination that refused a connection is passed over for
/// <see cref="UnreachablePause"/> (a replica restarting), unless every one of them is.
/// </summary>
/// <remarks>
/// An h2c destination named by a DNS name (in Kubernetes, a headless Service: one address per ready pod) stands for every
/// address the name resolves to (<see cref="RefreshAsync"/>). HTTP/2 carries all of a caller's requests on one connection,
/// so a name resolved once per connection would keep them all on one pod; HTTP/1.1 destinations hold a connection per
/// request in flight, and a Service's virtual address spreads those.
/// </remarks>
internal sealed class Cluster
{
    /// <summary>How long a destination that refused a connection is passed over.</summary>
    public static readonly TimeSpan UnreachablePause = TimeSpan.FromSeconds(2);

    private readonly Destination[] configured;
    private readonly TimeProvider clock;
    private volatile Pool pool;
    private uint next;

    public Cluster(string id, Destination[] destinations, TimeProvider? clock = null)
    {
        Id = id;
        configured = destinations;
        this.clock = clock ?? TimeProvider.System;
        pool = new Pool(destinations);
    }

    public string Id { get; }

    /// <summary>How many destinations there are now.</summary>
    public int Count => pool.Destinations.Length;

    /// <summary>The destinations now, in the order they are used.</summary>
    public IReadOnlyList<Destination> Destinations => pool.Destinations;

    /// <summary>Whether some destination is an h2c one named by DNS, which <see cref="RefreshAsync"/> resolves.</summary>
    public bool ResolvesNames => configured.Any(destination => NameOf(destination) is not null);

    public Destination NextDestination()
    {
        var current = pool;
        var destinations = current.Destinations;
        if (destinations.Length == 1)
        {
            return destinations[0];
        }

        var first = Interlocked.Increment(ref next);
        var now = clock.GetTimestamp();
        for (var i = 0u; i < destinations.Length; i++)
        {
            var index = (int)((first + i) % (uint)destinations.Length);
            if (Volatile.Read(ref current.UnreachableUntil[index]) <= now)
            {
                return destinations[index];
            }
        }

        return destinations[(int)(first % (uint)destinations.Length)];
    }

    /// <summary>Passes <paramref name="destination"/> over for <see cref="UnreachablePause"/>.</summary>
    public void ReportUnreachable(Destination destination)
    {
        var current = pool;
        var index = Array.IndexOf(current.Destinations, destination);
        if (index >= 0)
        {
            Volatile.Write(
                ref current.UnreachableUntil[index],
                clock.GetTimestamp() + (long)(UnreachablePause.TotalSeconds * clock.TimestampFrequency));
        }
    }

    /// <summary>
    /// Replaces each h2c destination named by DNS with one destination per address <paramref name="resolve"/> gives for
    /// the name (the name itself while it gives none), in the addresses' text order, so an unchanged answer in another order
    /// changes nothing. A failed resolution throws and changes nothing.
    /// </summary>
    public async Task RefreshAsync(Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        var destinations = new List<Destination>();
        foreach (var destination in configured)
        {
            if (NameOf(destination) is not { } name)
            {
                destinations.Add(destination);
                continue;
            }

            var addresses = await resolve(name.Host, cancellationToken);
            destinations.AddRange(addresses.Length == 0
                ? [destination]
                : addresses.Select(address => address.ToString()).Distinct().Order(StringComparer.Ordinal)
                    .Select(address => destination with { BaseAddress = WithHost(destination, name, address) }));
        }

        if (!destinations.SequenceEqual(pool.Destinations))
        {
            pool = new Pool([.. destinations]);
        }
    }

    private static Uri? NameOf(Destination destination) =>
        destination.Version == HttpVersion.Version20 && new Uri(destination.BaseAddress) is { HostNameType: UriHostNameType.Dns } uri ? uri : null;

    /// <summary>The destination's address with <paramref name="address"/> for its host.</summary>
    private static string WithHost(Destination destination, Uri name, string address)
    {
        var path = destination.BaseAddress[name.GetLeftPart(UriPartial.Authority).Length..];
        return new UriBuilder(name) { Host = address }.Uri.GetLeftPart(UriPartial.Authority) + path;
    }

    /// <summary>The destinations in use and until when each is passed over (a timestamp of the cluster's clock).</summary>
    private sealed class Pool(Destination[] destinations)
    {
        public readonly Destination[] Destinations = destinations;
        public readonly long[] UnreachableUntil = new long[destinations.Length];
    }
}
