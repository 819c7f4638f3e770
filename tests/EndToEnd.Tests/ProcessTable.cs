using System.Globalization;
using Chat.TestInfrastructure.Servers;

namespace Chat.EndToEnd.Tests;

/// <summary>What /proc says about processes: the lifecycle tests look for leftovers by process id.</summary>
internal static class ProcessTable
{
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    public static string CommandLine(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A process and every live descendant (children, grandchildren, ...).</summary>
    public static IEnumerable<int> WithDescendants(int processId)
    {
        var children = All().Select(pid => (Pid: pid, Parent: ParentOf(pid))).Where(entry => entry.Parent is not null)
            .ToLookup(entry => entry.Parent!.Value, entry => entry.Pid);
        var frontier = new Queue<int>([processId]);
        while (frontier.TryDequeue(out var current))
        {
            yield return current;
            foreach (var child in children[current])
            {
                frontier.Enqueue(child);
            }
        }
    }

    /// <summary>Waits until none of the processes is alive; returns a description of those still alive at the deadline.</summary>
    public static async Task<IReadOnlyList<string>> StillRunningAsync(IEnumerable<int> processIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var remaining = processIds.ToList();
        while (true)
        {
            remaining = [.. remaining.Where(Posix.IsAlive)];
            if (remaining.Count == 0 || DateTime.UtcNow > deadline)
            {
                return [.. remaining.Select(pid => $"{pid}: {CommandLine(pid)}")];
            }

            await Task.Delay(200);
        }
    }

    private static int? ParentOf(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] is "Z" or "X" ? null : int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
