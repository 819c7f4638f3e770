using Microsoft.Extensions.ObjectPool;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// One forwarded exchange's cancellation: the client going away, or the service staying silent for longer
/// than the current timeout. Every sign of progress restarts the timer, so the timeout bounds silence, not
/// duration. Pooled: a request would otherwise allocate a linked source and a timer.
/// </summary>
internal sealed class ForwardingCancellation : CancellationTokenSource
{
    private static readonly ObjectPool<ForwardingCancellation> Pool =
        new DefaultObjectPool<ForwardingCancellation>(new Policy(), Environment.ProcessorCount * 16);

    private CancellationToken _clientAborted;
    private CancellationTokenRegistration _registration;
    private TimeSpan _timeout;

    /// <summary>Canceled by the timer rather than by the client.</summary>
    public bool TimedOut => IsCancellationRequested && !_clientAborted.IsCancellationRequested;

    public bool ClientAborted => _clientAborted.IsCancellationRequested;

    public static ForwardingCancellation Rent(TimeSpan timeout, CancellationToken clientAborted)
    {
        var cancellation = Pool.Get();
        cancellation._clientAborted = clientAborted;
        cancellation._registration = clientAborted.UnsafeRegister(
            static state => ((ForwardingCancellation)state!).Cancel(), cancellation);
        cancellation.Restart(timeout);
        return cancellation;
    }

    /// <summary>Progress was made: the silence allowed starts again.</summary>
    public void Touch() => CancelAfter(_timeout);

    public void Restart(TimeSpan timeout)
    {
        _timeout = timeout;
        CancelAfter(timeout);
    }

    public void Return()
    {
        _registration.Dispose();
        _registration = default;
        _clientAborted = default;
        Pool.Return(this);
    }

    private sealed class Policy : IPooledObjectPolicy<ForwardingCancellation>
    {
        public ForwardingCancellation Create() => new();

        public bool Return(ForwardingCancellation cancellation)
        {
            if (cancellation.TryReset())
            {
                return true;
            }

            cancellation.Dispose();
            return false;
        }
    }
}
