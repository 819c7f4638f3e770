using System.Buffers;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// Streams the service's response body to the client without buffering: every read from the service is
/// written and flushed at once, so server-sent events arrive chunk by chunk.
/// </summary>
internal static class ResponseBodyCopier
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Read result meaning the client went away while the headers were being sent.</summary>
    private const int ClientGone = -1;

    public static async ValueTask<CopyResult> CopyAsync(Stream source, HttpResponse response, ForwardingCancellation cancellation)
    {
        var token = cancellation.Token;
        var writer = response.BodyWriter;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var first = true;
            while (true)
            {
                int read;
                try
                {
                    read = first
                        ? await ReadFirstAsync(source, buffer, response, cancellation)
                        : await source.ReadAsync(buffer, token);
                    first = false;
                }
                catch (Exception)
                {
                    return cancellation.ClientAborted ? CopyResult.ClientFailed : CopyResult.ServiceFailed;
                }

                if (read == ClientGone)
                {
                    return CopyResult.ClientFailed;
                }

                if (read == 0)
                {
                    return CopyResult.Completed;
                }

                cancellation.Touch();
                try
                {
                    var flushed = await writer.WriteAsync(buffer.AsMemory(0, read), token);
                    if (flushed.IsCanceled || flushed.IsCompleted)
                    {
                        return CopyResult.ClientFailed;
                    }
                }
                catch (Exception)
                {
                    return CopyResult.ClientFailed;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// When the service sent its headers but no body yet (an event stream before its first event), the
    /// client gets the headers now rather than with the first chunk.
    /// </summary>
    private static async ValueTask<int> ReadFirstAsync(
        Stream source, byte[] buffer, HttpResponse response, ForwardingCancellation cancellation)
    {
        var read = source.ReadAsync(buffer, cancellation.Token);
        if (read.IsCompletedSuccessfully)
        {
            return read.Result;
        }

        var reading = read.AsTask();

        try
        {
            // Flushing an empty body sends the headers; StartAsync alone leaves them in Kestrel's buffer.
            var flushed = await response.BodyWriter.FlushAsync(cancellation.Token);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                throw new OperationCanceledException("The client went away.");
            }
        }
        catch (Exception)
        {
            // The read still owns the buffer: stop it and let it finish before the buffer goes back.
            await cancellation.CancelAsync();
            await reading.ContinueWith(static _ => { }, TaskScheduler.Default);
            return ClientGone;
        }

        return await reading;
    }
}

internal enum CopyResult
{
    Completed,
    ServiceFailed,
    ClientFailed,
}
