using System.Collections.Frozen;
using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Chat.Gateway.Forwarding;

/// <summary>Copies the service's status and headers to the client, minus hop-by-hop headers and Alt-Svc.</summary>
internal static class ResponseHeaders
{
    /// <summary>The service's alternative services are not the gateway's.</summary>
    private static readonly FrozenSet<string> AlsoDropped = new[] { "Alt-Svc" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static void Copy(HttpResponseMessage upstream, HttpResponse response)
    {
        response.StatusCode = (int)upstream.StatusCode;
        var connection = upstream.Headers.NonValidated.TryGetValues("Connection", out var values)
            ? HopByHopHeaders.ExtraConnectionTokens(values.ToString())
            : null;
        CopyHeaders(upstream.Headers.NonValidated, response.Headers, connection);
        CopyHeaders(upstream.Content.Headers.NonValidated, response.Headers, connection);
    }

    private static void CopyHeaders(HttpHeadersNonValidated source, IHeaderDictionary target, string? connection)
    {
        foreach (var (name, values) in source)
        {
            if (HopByHopHeaders.IsHopByHop(name) || AlsoDropped.Contains(name)
                || (connection is not null && HopByHopHeaders.IsListedIn(connection, name)))
            {
                continue;
            }

            target[name] = values.Count == 1 ? new StringValues(values.ToString()) : ToArray(values);
        }
    }

    private static StringValues ToArray(HeaderStringValues values)
    {
        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return new StringValues(array);
    }
}
