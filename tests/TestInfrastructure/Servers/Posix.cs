using System.Runtime.InteropServices;

namespace Chat.TestInfrastructure.Servers;

/// <summary>The two POSIX calls .NET does not expose: sending an arbitrary signal and the effective user.</summary>
public static partial class Posix
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool IsRoot { get; } = OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Sends <paramref name="signal"/> to a process; a negative id addresses its process group.</summary>
    public static bool Signal(int processId, int signal) => kill(processId, signal) == 0;

    /// <summary>Whether the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static string SignalName(int signal) => signal switch
    {
        SigInt => "INT",
        SigKill => "KILL",
        SigTerm => "TERM",
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Unsupported signal."),
    };

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
