using System.Buffers;
using System.Net;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// The client's request body, streamed to the service as it arrives: read a chunk, write it, flush. The last
/// chunk of a body of declared length is not flushed on its own: the handler flushes it with the end of the
/// request (over HTTP/2, a DATA frame and the end of the stream in one write instead of two). It records which
/// side failed so the forwarder can answer 413/400 (client) or 502 (service).
/// </summary>
internal sealed class StreamingRequestContent(HttpRequest request, ForwardingCancellation cancellation) : HttpContent
{
    private const int BufferSize = 64 * 1024;

    public RequestBodyFailure Failure { get; private set; }

    public Exception? FailureException { get; private set; }

    /// <summary>Whether sending began reading the client's body: from then on the request can't go anywhere else.</summary>
    public bool Started { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        var unsent = request.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer, cancellationToken);
                }
                catch (Exception exception)
                {
                    (Failure, FailureException) = (RequestBodyFailure.Client, exception);
                    throw;
                }

                if (read == 0)
                {
                    return;
                }

                cancellation.Touch();
                unsent -= read;
                try
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    if (unsent is not 0)
                    {
                        await stream.FlushAsync(cancellationToken);
                    }
                }
                catch (Exception exception)
                {
                    (Failure, FailureException) = (RequestBodyFailure.Service, exception);
                    throw;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        // The length, when the client sent one, travels as the Content-Length header; otherwise chunked.
        length = -1;
        return false;
    }

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        throw new NotSupportedException("A streamed request body can be sent once and never read back.");
}

internal enum RequestBodyFailure
{
    None,
    Client,
    Service,
}
