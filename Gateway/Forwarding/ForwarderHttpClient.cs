using System.Diagnostics;
using System.Net;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// The one connection pool every forwarded request shares. A proxy passes the exchange through as it is:
/// no system proxy, no redirects followed, no decompression, no cookie jar.
/// </summary>
internal static class ForwarderHttpClient
{
    public static HttpMessageInvoker Create() => new(
        new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            // Recycled now and then so a service that moved (DNS, replicas) is picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ActivityHeadersPropagator = new ForwardedTracePropagator(DistributedContextPropagator.CreateDefaultPropagator()),
        },
        disposeHandler: true);
}

/// <summary>
/// W3C trace context for forwarded requests. The client's own <c>traceparent</c> is copied with the other
/// headers; when the gateway traces the request it replaces those headers with its own span, which is a
/// child of the client's, instead of sending both.
/// </summary>
internal sealed class ForwardedTracePropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (carrier is HttpRequestMessage request)
        {
            foreach (var field in inner.Fields)
            {
                request.Headers.Remove(field);
            }
        }

        inner.Inject(activity, carrier, setter);
    }

    public override void ExtractTraceIdAndState(
        object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);
}
