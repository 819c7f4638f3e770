using Chat.AppHost.Servers;

namespace Chat.AppHost.Tests;

/// <summary>What /proc says about processes: the tests check for leftovers by process id.</summary>
public static class ProcessTable
{
    /// <summary>Every live descendant of a process (children, grandchildren, ...).</summary>
    public static IReadOnlyList<int> Descendants(int processId)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(directory), out var pid) && ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([processId]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var child in parents.Where(entry => entry.Value == current).Select(entry => entry.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    public static bool IsAlive(int processId) => Posix.IsAlive(processId);

    /// <summary>Waits until none of the processes is alive; returns those still alive at the deadline.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(IEnumerable<int> processIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var remaining = processIds.ToList();
        while (true)
        {
            remaining = remaining.Where(IsAlive).ToList();
            if (remaining.Count == 0 || DateTime.UtcNow > deadline)
            {
                return remaining;
            }

            await Task.Delay(100);
        }
    }

    public static string Describe(int processId)
    {
        try
        {
            return $"{processId}: {File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ')}";
        }
        catch (IOException)
        {
            return $"{processId}: (gone)";
        }
    }

    private static int? ParentOf(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] is "Z" or "X" ? null : int.Parse(fields[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
