using System.Text;

namespace Chat.Benchmarks.Requests;

/// <summary>
/// An HTTP/1.1 request described once and encoded to bytes once, so sending it costs no allocation.
/// </summary>
public sealed record RequestTemplate(string Method, Uri Url, IReadOnlyList<HttpHeader> Headers, string? Body = null)
{
    public static RequestTemplate Get(Uri url, IReadOnlyList<HttpHeader> headers) => new("GET", url, headers);

    public RequestTemplate WithHeaders(IEnumerable<HttpHeader> extra) => this with { Headers = [.. Headers, .. extra] };

    /// <summary>The complete request: head, <c>Content-Length</c> when there is (or may be) a body, blank line, body.</summary>
    public byte[] Encode()
    {
        var head = new StringBuilder(EncodeHeadText());
        var body = Body is null ? [] : Encoding.UTF8.GetBytes(Body);
        if (Body is not null || MethodCarriesBody)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. body];
    }

    /// <summary>Request line, <c>Host</c> and the headers, each ending in CRLF; no blank line yet.</summary>
    public byte[] EncodeHead() => Encoding.UTF8.GetBytes(EncodeHeadText());

    private bool MethodCarriesBody => Method is "POST" or "PUT" or "PATCH";

    private string EncodeHeadText()
    {
        if (Url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"Only http:// targets are supported, not '{Url}'.");
        }

        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(Url.PathAndQuery).Append(" HTTP/1.1\r\n");
        if (!Headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Host: ").Append(Url.Authority).Append("\r\n");
        }

        foreach (var header in Headers)
        {
            if (header.Name.AsSpan().ContainsAny('\r', '\n') || header.Value.AsSpan().ContainsAny('\r', '\n'))
            {
                throw new ArgumentException($"Header '{header.Name}' contains a line break.");
            }

            head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }

        return head.ToString();
    }
}
