namespace Chat.Benchmarks.Cli;

/// <summary>
/// Runs socket continuations on the runtime's epoll threads instead of hopping to the thread pool, and
/// fixes how many of those threads there are: the load generator then costs about what wrk costs with as
/// many threads. Read once by the runtime, so this must run before the process opens its first socket.
/// </summary>
internal static class SocketTuning
{
    public const int DefaultThreads = 1;

    public static void Apply(int eventThreads)
    {
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", eventThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
