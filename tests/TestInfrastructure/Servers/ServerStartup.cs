namespace Chat.TestInfrastructure.Servers;

/// <summary>The start loop the three launchers share: start, poll the readiness probe, retry on a port race.</summary>
internal static class ServerStartup
{
    /// <summary>
    /// Starts the server and waits until <paramref name="probe"/> passes. A port that already answers
    /// is refused up front, or the probe would greet the other server. When the ports were picked by
    /// us and the process dies before it is ready (most often another instance grabbed a port between
    /// our check and its bind), tries again with fresh ports.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        string server,
        Func<IReadOnlyList<int>> ports,
        Func<ChildProcess> start,
        Func<CancellationToken, Task<bool>> probe,
        Action pickNewPorts,
        bool portsArePicked,
        TimeSpan timeout,
        LogRing log,
        CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            if (await FirstListeningAsync(ports(), cancellationToken) is { } taken)
            {
                if (!portsArePicked || attempt == attempts)
                {
                    throw new InvalidOperationException($"{server} cannot start: port {taken} on 127.0.0.1 is already in use.");
                }

                pickNewPorts();
                continue;
            }

            var process = start();
            bool ready;
            try
            {
                ready = await WaitUntilReadyAsync(process, probe, timeout, cancellationToken);
            }
            catch (TimeoutException e)
            {
                await process.DisposeAsync();
                throw new InvalidOperationException($"{server} was {e.Message} Last output:\n{log.TailText()}", e);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }

            if (ready)
            {
                return process;
            }

            await process.DisposeAsync();
            if (!portsArePicked || attempt == attempts)
            {
                throw new InvalidOperationException(
                    $"{server} exited with code {process.Exited.Result} before it was ready. Last output:\n{log.TailText()}");
            }

            log.Add($"[apphost] {server} exited before it was ready; retrying on other ports (attempt {attempt + 1} of {attempts}).");
            pickNewPorts();
        }
    }

    private static async Task<int?> FirstListeningAsync(IReadOnlyList<int> ports, CancellationToken cancellationToken)
    {
        foreach (var port in ports)
        {
            if (await LoopbackPorts.IsListeningAsync(port, cancellationToken))
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>Polls the probe until it passes (true) or the process exits (false); throws on timeout.</summary>
    public static async Task<bool> WaitUntilReadyAsync(
        ChildProcess process, Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!process.HasExited)
        {
            try
            {
                if (await probe(deadline.Token))
                {
                    return true;
                }

                await Task.WhenAny(process.Exited, Task.Delay(100, deadline.Token));
            }
            catch (Exception) when (!deadline.IsCancellationRequested)
            {
                // Not listening yet: the probe throws until the server accepts connections.
                await Task.WhenAny(process.Exited, Task.Delay(100, CancellationToken.None));
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"not ready after {timeout.TotalSeconds:0} s.");
            }
        }

        return false;
    }
}
