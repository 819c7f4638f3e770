using System.Globalization;

namespace Chat.Gateway;

/// <summary>
/// How the gateway's sockets are served: continuations run inline on the runtime's socket event threads (the forwarder
/// never blocks, so a read costs no thread-pool hop), and there is one such event loop per two cores. An operator's own
/// <c>DOTNET_SYSTEM_NET_SOCKETS_*</c> settings win. The runtime reads both once, when the process opens its first socket,
/// so <see cref="Apply"/> runs first thing in <c>Main</c>.
/// </summary>
/// <remarks>
/// Co-located with the services and servers on 2 cores, one loop against the runtime's default of one per core (interleaved
/// runs on one platform, 5 pairs each): direct sends through the gateway 4,809-5,242 against 4,344-4,821 a second with
/// p99 25.9-27.0 against 31.0-63.2 ms; the cheap GET's p99 13.4-18.4 against 24.2-31.2 ms, as nginx's with one worker. Two
/// loops on two cores compete with each other and with the processes behind them. In a pod with one CPU the runtime sees
/// one core and the rule gives one loop, as the default would.
/// </remarks>
public static class SocketEventLoops
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>The event loops for <paramref name="processorCount"/> cores: one per two, at least one.</summary>
    public static int For(int processorCount) => Math.Max(1, processorCount / 2);

    public static void Apply() =>
        Apply(Environment.ProcessorCount, Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    internal static void Apply(int processorCount, Func<string, string?> read, Action<string, string> write)
    {
        void SetUnlessGiven(string variable, string value)
        {
            if (string.IsNullOrEmpty(read(variable)))
            {
                write(variable, value);
            }
        }

        SetUnlessGiven(InlineCompletionsVariable, "1");
        SetUnlessGiven(ThreadCountVariable, For(processorCount).ToString(CultureInfo.InvariantCulture));
    }
}
