using System.Text;
using Chat.AppHost.Hosting;

namespace Chat.AppHost.Publishing;

/// <summary>
/// Writes the deployment of a model: <c>aspire-manifest.json</c>, one multi-document YAML file per
/// server and per project, <c>secrets.yaml</c> (a template) and a <c>kustomization.yaml</c> listing
/// them, so <c>kubectl apply -k</c> takes the folder. Same model, same bytes.
/// </summary>
internal static class ManifestPublisher
{
    public const string AspireManifestFile = "aspire-manifest.json";
    public const string KustomizationFile = "kustomization.yaml";
    public const string SecretsFile = "secrets.yaml";

    /// <returns>The files written, relative to <paramref name="outputDirectory"/>, in order.</returns>
    public static IReadOnlyList<string> Publish(IReadOnlyList<IResource> resources, string repositoryRoot, string outputDirectory)
    {
        var output = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(output);
        var files = new List<(string Name, string Content)>
        {
            (AspireManifestFile, AspireManifest.Write(resources, repositoryRoot, output)),
            (SecretsFile, YamlWriter.Write([KubernetesServerManifests.SecretTemplate(resources.Where(AspireManifest.IsServer))])),
        };
        foreach (var resource in resources)
        {
            var documents = resource switch
            {
                _ when AspireManifest.IsServer(resource) => KubernetesServerManifests.For(resource),
                ProjectResource project => KubernetesProjectManifests.For(project),
                PostgresDatabaseResource => null,
                _ => throw new InvalidOperationException($"'{resource.Name}' ({resource.GetType().Name}) runs locally only and cannot be published."),
            };
            if (documents is not null)
            {
                files.Add(($"{resource.Name}.yaml", YamlWriter.Write(documents)));
            }
        }

        var kustomization = new YamlMapping
        {
            { "apiVersion", "kustomize.config.k8s.io/v1beta1" },
            { "kind", "Kustomization" },
            { "resources", new YamlSequence(files.Where(file => file.Name.EndsWith(".yaml", StringComparison.Ordinal)).Select(file => (YamlNode)file.Name)) },
        };
        files.Add((KustomizationFile, YamlWriter.Write([kustomization])));

        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(output, name), content, utf8);
        }

        return files.Select(file => file.Name).ToArray();
    }
}
