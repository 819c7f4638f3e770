using System.Net;
using Chat.ServiceDefaults.Identity;
using Microsoft.Extensions.Primitives;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// Copies the client's headers onto the forwarded request, minus hop-by-hop headers, <c>Host</c> (the
/// request to the service names the service) and every <c>X-Chat-*</c> header (only the gateway's signed
/// identity may carry that prefix), and sets <c>X-Forwarded-For/Proto/Host/Prefix</c>.
/// </summary>
internal static class RequestHeaders
{
    private const string ForwardedFor = "X-Forwarded-For";
    private const string ForwardedProto = "X-Forwarded-Proto";
    private const string ForwardedHost = "X-Forwarded-Host";
    private const string ForwardedPrefix = "X-Forwarded-Prefix";

    [ThreadStatic]
    private static IPAddress? _lastAddress;

    [ThreadStatic]
    private static string? _lastAddressText;

    public static void Copy(HttpContext context, HttpRequestMessage message, KeyValuePair<string, string>[] identity)
    {
        var request = context.Request;

        // Kestrel keeps only "keep-alive"/"close" when the client's Connection header has either, so extra
        // names survive (and are honored here) only in a Connection header without them.
        var connection = HopByHopHeaders.ExtraConnectionTokens(request.Headers.Connection.ToString());
        string? forwardedFor = null;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals(ForwardedFor, StringComparison.OrdinalIgnoreCase))
            {
                forwardedFor = value.ToString();
                continue;
            }

            if (IsNotForwarded(name) || (connection is not null && HopByHopHeaders.IsListedIn(connection, name)))
            {
                continue;
            }

            Add(message, name, value);
        }

        var headers = message.Headers;
        foreach (var (name, value) in identity)
        {
            headers.TryAddWithoutValidation(name, value);
        }

        var client = ClientAddress(context);
        var chain = string.IsNullOrEmpty(forwardedFor) ? client
            : client is null ? forwardedFor
            : string.Concat(forwardedFor, ", ", client);
        if (chain is not null)
        {
            headers.TryAddWithoutValidation(ForwardedFor, chain);
        }

        headers.TryAddWithoutValidation(ForwardedProto, request.Scheme);
        if (request.Host.HasValue)
        {
            headers.TryAddWithoutValidation(ForwardedHost, request.Host.Value);
        }

        if (request.PathBase.HasValue)
        {
            headers.TryAddWithoutValidation(ForwardedPrefix, request.PathBase.ToUriComponent());
        }
    }

    private static bool IsNotForwarded(string name) =>
        name.Length == 0
        || name[0] == ':'
        || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(IdentityHeaders.Prefix, StringComparison.OrdinalIgnoreCase)
        || HopByHopHeaders.IsHopByHop(name)
        || name.Equals(ForwardedProto, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ForwardedHost, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ForwardedPrefix, StringComparison.OrdinalIgnoreCase);

    private static void Add(HttpRequestMessage message, string name, StringValues value)
    {
        var added = value.Count == 1
            ? message.Headers.TryAddWithoutValidation(name, value.ToString())
            : message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
        if (!added && message.Content is not null)
        {
            // Content-Type, Content-Length and the other content headers belong to the body.
            _ = value.Count == 1
                ? message.Content.Headers.TryAddWithoutValidation(name, value.ToString())
                : message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
        }
    }

    /// <summary>The client's address as text, remembered per thread: most requests come from recent addresses.</summary>
    private static string? ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (!address.Equals(_lastAddress))
        {
            (_lastAddress, _lastAddressText) = (address, address.ToString());
        }

        return _lastAddressText;
    }
}
