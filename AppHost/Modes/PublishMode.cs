using Chat.AppHost.Hosting;
using Chat.AppHost.Publishing;

namespace Chat.AppHost.Modes;

/// <summary><c>dotnet run --project AppHost -- publish --output deploy/</c>: Kubernetes manifests and aspire-manifest.json.</summary>
internal static class PublishMode
{
    public static Task<int> RunAsync(string[] args)
    {
        var outputIndex = Array.FindIndex(args, arg => arg is "--output" or "-o");
        if (outputIndex >= 0 && outputIndex + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: AppHost publish [--output DIR]");
            return Task.FromResult(2);
        }

        var output = outputIndex >= 0 ? args[outputIndex + 1] : "deploy";
        var rest = outputIndex >= 0 ? args.Where((_, index) => index != outputIndex && index != outputIndex + 1).ToArray() : args;
        var builder = ChatSuite.Define(DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = rest }));
        var repositoryRoot = RepositoryRoot.Find(builder.Options.RepositoryRoot);
        // `dotnet run --project AppHost` runs in the project's folder: a relative output means the repository's.
        output = Path.GetFullPath(output, repositoryRoot);
        var files = ManifestPublisher.Publish(builder.Resources, repositoryRoot, output);
        Console.WriteLine($"Wrote {files.Count} files to {output}:");
        foreach (var file in files)
        {
            Console.WriteLine($"  {file}");
        }

        return Task.FromResult(0);
    }
}
