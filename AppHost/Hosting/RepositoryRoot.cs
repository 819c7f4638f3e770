namespace Chat.AppHost.Hosting;

/// <summary>The folder holding Chat.sln.</summary>
internal static class RepositoryRoot
{
    public const string SolutionFile = "Chat.sln";

    public static string Find(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(Path.Combine(configured, SolutionFile))
                ? Path.GetFullPath(configured)
                : throw new DistributedApplicationException($"{configured} does not hold {SolutionFile}.");
        }

        return FindAbove(Directory.GetCurrentDirectory()) ?? FindAbove(AppContext.BaseDirectory)
            ?? throw new DistributedApplicationException($"No {SolutionFile} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}.");
    }

    private static string? FindAbove(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
