using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Chat.Benchmarks.Load;

public enum ParseStatus
{
    NeedMore,
    Complete,
    Invalid,
}

/// <summary>
/// An incremental HTTP/1.1 response parser that keeps only what a load generator needs: the status code,
/// where the body ends (Content-Length, chunked, or connection close) and whether the server will close.
/// Body bytes are skipped, never copied. Lines must arrive whole in the buffer it is given.
/// </summary>
public sealed class ResponseParser
{
    private enum State
    {
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        BodyUntilClose,
        Done,
    }

    private State state;
    private bool bodyless;
    private bool chunked;
    private long contentLength;
    private long remaining;

    public int StatusCode { get; private set; }

    /// <summary>The server closes the connection after this response.</summary>
    public bool CloseAfter { get; private set; }

    /// <summary>Starts a new response; a response to HEAD has no body whatever its headers say.</summary>
    public void Reset(bool bodyless)
    {
        this.bodyless = bodyless;
        state = State.StatusLine;
        StatusCode = 0;
        CloseAfter = false;
        StartHeaders();
    }

    /// <summary>Consumes as much of <paramref name="data"/> as it can.</summary>
    public ParseStatus Parse(ReadOnlySpan<byte> data, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            var status = state switch
            {
                State.StatusLine => TakeLine(data, ref consumed, out var line) ? ReadStatusLine(line) : ParseStatus.NeedMore,
                State.Headers => TakeLine(data, ref consumed, out var line) ? ReadHeader(line) : ParseStatus.NeedMore,
                State.Body or State.ChunkData => SkipBody(data, ref consumed),
                State.ChunkSize => TakeLine(data, ref consumed, out var line) ? ReadChunkSize(line) : ParseStatus.NeedMore,
                State.ChunkDataEnd => TakeLine(data, ref consumed, out var line) ? ExpectEmpty(line, State.ChunkSize) : ParseStatus.NeedMore,
                State.Trailers => TakeLine(data, ref consumed, out var line) ? EndTrailers(line) : ParseStatus.NeedMore,
                State.BodyUntilClose => SkipAll(data, ref consumed),
                _ => ParseStatus.Complete,
            };

            if (status != ParseStatus.Complete || state == State.Done)
            {
                return status;
            }
        }
    }

    /// <summary>The server closed the connection: that ends a body delimited by close, and nothing else.</summary>
    public ParseStatus EndOfStream()
    {
        if (state != State.BodyUntilClose)
        {
            return ParseStatus.Invalid;
        }

        state = State.Done;
        return ParseStatus.Complete;
    }

    private static bool TakeLine(ReadOnlySpan<byte> data, ref int consumed, out ReadOnlySpan<byte> line)
    {
        var rest = data[consumed..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = end > 0 && rest[end - 1] == '\r' ? rest[..(end - 1)] : rest[..end];
        consumed += end + 1;
        return true;
    }

    private ParseStatus ReadStatusLine(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.x NNN reason"
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != ' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int code, out var digits) || digits != 3)
        {
            return ParseStatus.Invalid;
        }

        StatusCode = code;
        CloseAfter = line[7] == '0';
        state = State.Headers;
        return ParseStatus.Complete;
    }

    private ParseStatus ReadHeader(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            return EndHeaders();
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return ParseStatus.Invalid;
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (!Utf8Parser.TryParse(value, out contentLength, out var used) || used != value.Length || contentLength < 0)
            {
                return ParseStatus.Invalid;
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            chunked = LastToken(value, out var last) && Ascii.EqualsIgnoreCase(last, "chunked"u8);
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            ReadConnection(value);
        }

        return ParseStatus.Complete;
    }

    private void ReadConnection(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                CloseAfter = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                CloseAfter = false;
            }
        }
    }

    private ParseStatus EndHeaders()
    {
        if (StatusCode is >= 100 and < 200 and not 101)
        {
            // An interim response (100 Continue, 103 Early Hints): the real one follows.
            state = State.StatusLine;
            StartHeaders();
            return ParseStatus.Complete;
        }

        if (bodyless || StatusCode is 204 or 304 or 101)
        {
            state = State.Done;
        }
        else if (chunked)
        {
            state = State.ChunkSize;
        }
        else if (contentLength >= 0)
        {
            remaining = contentLength;
            state = remaining > 0 ? State.Body : State.Done;
        }
        else
        {
            CloseAfter = true;
            state = State.BodyUntilClose;
        }

        return ParseStatus.Complete;
    }

    private ParseStatus SkipBody(ReadOnlySpan<byte> data, ref int consumed)
    {
        var take = (int)Math.Min(remaining, data.Length - consumed);
        consumed += take;
        remaining -= take;
        if (remaining > 0)
        {
            return ParseStatus.NeedMore;
        }

        state = state == State.ChunkData ? State.ChunkDataEnd : State.Done;
        return ParseStatus.Complete;
    }

    private static ParseStatus SkipAll(ReadOnlySpan<byte> data, ref int consumed)
    {
        consumed = data.Length;
        return ParseStatus.NeedMore;
    }

    private ParseStatus ReadChunkSize(ReadOnlySpan<byte> line)
    {
        var extension = line.IndexOf((byte)';');
        var hex = (extension >= 0 ? line[..extension] : line).Trim(" \t"u8);
        if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            return ParseStatus.Invalid;
        }

        remaining = size;
        state = size == 0 ? State.Trailers : State.ChunkData;
        return ParseStatus.Complete;
    }

    private ParseStatus ExpectEmpty(ReadOnlySpan<byte> line, State next)
    {
        if (!line.IsEmpty)
        {
            return ParseStatus.Invalid;
        }

        state = next;
        return ParseStatus.Complete;
    }

    private ParseStatus EndTrailers(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            state = State.Done;
        }

        return ParseStatus.Complete;
    }

    private void StartHeaders()
    {
        chunked = false;
        contentLength = -1;
        remaining = 0;
    }

    private static bool LastToken(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> last)
    {
        var comma = value.LastIndexOf((byte)',');
        last = (comma >= 0 ? value[(comma + 1)..] : value).Trim(" \t"u8);
        return !last.IsEmpty;
    }
}
