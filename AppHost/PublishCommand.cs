namespace Chat.AppHost;

/// <summary>
/// <c>publish [--output DIR]</c>, the project's publish command, in Aspire's own arguments: the Kubernetes step, which runs
/// Aspire's manifest step before it, so the folder gets both <c>aspire-manifest.json</c> and the Kubernetes manifests.
/// </summary>
internal static class PublishCommand
{
    public static string[] Translate(string[] args)
    {
        if (args is not ["publish", .. var rest])
        {
            return args;
        }

        var output = "deploy";
        var index = Array.FindIndex(rest, arg => arg is "--output" or "-o");
        if (index >= 0 && index + 1 < rest.Length)
        {
            output = rest[index + 1];
            rest = [.. rest[..index], .. rest[(index + 2)..]];
        }

        // `dotnet run --project AppHost` runs in the project's folder: a relative output means the repository's.
        var repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        return ["--publisher", "manifest", "--step", Publishing.KubernetesPublishing.StepName, "--output-path", Path.GetFullPath(output, repository), .. rest];
    }
}
