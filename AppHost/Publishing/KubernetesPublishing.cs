namespace Chat.AppHost.Publishing;

/// <summary>
/// <c>publish</c>: Aspire's <c>publish-manifest</c> step writes <c>aspire-manifest.json</c>, and <see cref="StepName"/>, after
/// it, the Kubernetes manifests (<see cref="KubernetesManifests"/>), both from the one model, shaped here for a cluster:
/// servers become their official images, projects listen on their containers' ports.
/// </summary>
public static class KubernetesPublishing
{
    public const string StepName = "publish-kubernetes";
    public const string ManifestStepName = "publish-manifest";
    public const int ContainerHttpPort = 8080;
    public const int ContainerH2cPort = 8081;

    /// <summary>Call once the model is complete; does nothing unless the AppHost publishes.</summary>
    public static IDistributedApplicationBuilder PublishKubernetesManifests(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        foreach (var resource in builder.Resources.ToList())
        {
            if (resource is ProjectResource project)
            {
                UseContainerPorts(project);
            }
            else if (ServerContainer.Of(resource) is { } container)
            {
                container.Publish(builder, resource);
            }
        }

        builder.Pipeline.AddStep(StepName, KubernetesManifests.WriteAsync, dependsOn: ManifestStepName);
        return builder;
    }

    /// <summary>
    /// Every project listens on 8080 (http, the port of .NET's container images) and 8081 (h2c) in its pod, whatever its
    /// local ports. TLS ends before the pod, so the https endpoint Aspire adds to a project in publish mode is dropped.
    /// </summary>
    private static void UseContainerPorts(ProjectResource project)
    {
        foreach (var endpoint in project.Annotations.OfType<EndpointAnnotation>().ToList())
        {
            if (endpoint.UriScheme == "https")
            {
                project.Annotations.Remove(endpoint);
                continue;
            }

            endpoint.TargetPort = endpoint.Name switch
            {
                "http" => ContainerHttpPort,
                "h2c" => ContainerH2cPort,
                _ => throw new InvalidOperationException($"'{project.Name}' has an endpoint '{endpoint.Name}' with no container port."),
            };
        }
    }
}
