using System.Text;
using Aspire.Hosting.Pipelines;
using Chat.AppHost.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.AppHost.Publishing;

/// <summary>
/// Writes the model as Kubernetes manifests into the publish output: one multi-document YAML file per server and per
/// project, <c>secrets.yaml</c> (a template of the Secret they read) and a <c>kustomization.yaml</c> listing them, so
/// <c>kubectl apply -k</c> takes the folder. Same model, same bytes.
/// </summary>
internal static class KubernetesManifests
{
    public const string KustomizationFile = "kustomization.yaml";
    public const string SecretsFile = "secrets.yaml";

    public static async Task WriteAsync(PipelineStepContext context)
    {
        var outputPath = context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutputPath
            ?? throw new DistributedApplicationException("The '--output-path [path]' option was not specified.");
        // An output ending in .json names Aspire's manifest file (azd's form): the folder is its folder.
        var output = Path.GetFullPath(outputPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(outputPath)! : outputPath);
        var secrets = context.Model.Resources.OfType<ParameterResource>().Where(parameter => parameter.Secret);
        var files = new List<(string Name, string Content)> { (SecretsFile, YamlWriter.Write([KubernetesServerManifests.SecretTemplate(secrets)])) };
        foreach (var resource in context.Model.Resources)
        {
            var documents = resource switch
            {
                _ when ServerContainer.Of(resource) is not null => KubernetesServerManifests.For(resource),
                ProjectResource project => await KubernetesProjectManifests.ForAsync(project, context.ExecutionContext, context.CancellationToken),
                // Databases are created by the PostgreSQL server's init script, epmd runs inside the RabbitMQ image, and
                // parameters are keys of the Secret.
                PostgresDatabaseResource or EpmdResource or ParameterResource => null,
                _ => throw new InvalidOperationException($"'{resource.Name}' ({resource.GetType().Name}) has no Kubernetes form."),
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
            { "resources", new YamlSequence(files.Select(file => (YamlNode)file.Name)) },
        };
        files.Add((KustomizationFile, YamlWriter.Write([kustomization])));

        Directory.CreateDirectory(output);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(output, name), content, utf8, context.CancellationToken);
        }

        context.Logger.LogInformation("Published Kubernetes manifests to {Output}: {Files}", output, string.Join(", ", files.Select(file => file.Name)));
    }
}
