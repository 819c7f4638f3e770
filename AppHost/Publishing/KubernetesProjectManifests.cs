using Chat.AppHost.Hosting;
using Chat.AppHost.Orchestration;
using static Chat.AppHost.Publishing.KubernetesObjects;

namespace Chat.AppHost.Publishing;

/// <summary>
/// A project as Kubernetes objects: a ConfigMap (the non-secret wiring), a Deployment (probes on
/// /health and /alive, requests and limits, secrets and connection strings from the Secret), a
/// Service, a HorizontalPodAutoscaler (CPU 70%) and a PodDisruptionBudget (minAvailable 1). A project
/// that serves h2c also listens on <see cref="ClusterWiring.ContainerH2cPort"/>, behind a headless Service.
/// </summary>
internal static class KubernetesProjectManifests
{
    /// <summary>At least two pods, so the disruption budget never blocks a node drain.</summary>
    public const int MinimumReplicas = 2;
    public const int MaximumReplicas = 10;
    public const int TargetCpuUtilization = 70;

    public static IEnumerable<YamlMapping> For(ProjectResource project)
    {
        var replicas = Math.Max(project.Replicas, MinimumReplicas);
        yield return ConfigMap(project);
        yield return Deployment(project, replicas);
        yield return Service(project);
        if (project.ServesH2c)
        {
            yield return H2cService(project);
        }

        yield return Autoscaler(project, replicas);
        yield return DisruptionBudget(project);
    }

    public static string ConfigMapName(ProcessResource project) => $"{project.Name}-config";

    private static YamlMapping ConfigMap(ProjectResource project)
    {
        var data = new YamlMapping();
        if (project.ServesH2c)
        {
            foreach (var (name, value) in EnvironmentWiring.KestrelEndpoints(
                $"http://+:{ClusterWiring.ContainerHttpPort}", $"http://+:{ClusterWiring.ContainerH2cPort}"))
            {
                data.Add(name, value);
            }
        }
        else
        {
            data.Add("ASPNETCORE_URLS", $"http://+:{ClusterWiring.ContainerHttpPort}");
        }

        data.Add("ASPNETCORE_ENVIRONMENT", "Production");
        data.Add("DOTNET_ENVIRONMENT", "Production");
        data.Add("OTEL_SERVICE_NAME", project.Name);
        foreach (var service in project.References.OfType<ProcessResource>())
        {
            data.Add(EnvironmentWiring.ServiceEndpointKey(service, "http", 0), ClusterWiring.ServiceUrl(service));
            if (service is ProjectResource { ServesH2c: true })
            {
                data.Add(EnvironmentWiring.ServiceEndpointKey(service, "h2c", 0), ClusterWiring.H2cServiceUrl(service));
            }
        }

        foreach (var (name, value) in project.Environment)
        {
            data.Add(name, value);
        }

        return new YamlMapping
        {
            { "apiVersion", "v1" },
            { "kind", "ConfigMap" },
            { "metadata", Metadata(ConfigMapName(project), project.Name) },
            { "data", data },
        };
    }

    private static YamlMapping Deployment(ProjectResource project, int replicas)
    {
        var container = new YamlMapping
        {
            { "name", project.Name },
            { "image", ClusterWiring.Image(project) },
            { "ports", Ports(project) },
            { "envFrom", new YamlSequence { new YamlMapping { { "configMapRef", new YamlMapping { { "name", ConfigMapName(project) } } } } } },
            { "env", Environment(project) },
            { "readinessProbe", HttpProbe("/health", initialDelaySeconds: 5, periodSeconds: 10) },
            { "livenessProbe", HttpProbe("/alive", initialDelaySeconds: 10, periodSeconds: 20) },
            { "resources", Resources("100m", "128Mi", "1", "512Mi") },
        };
        return new YamlMapping
        {
            { "apiVersion", "apps/v1" },
            { "kind", "Deployment" },
            { "metadata", Metadata(project.Name) },
            {
                "spec", new YamlMapping
                {
                    { "replicas", replicas },
                    { "selector", new YamlMapping { { "matchLabels", Selector(project.Name) } } },
                    {
                        "template", new YamlMapping
                        {
                            { "metadata", new YamlMapping { { "labels", Labels(project.Name) } } },
                            { "spec", new YamlMapping { { "containers", new YamlSequence { container } } } },
                        }
                    },
                }
            },
        };
    }

    private static YamlSequence Ports(ProjectResource project)
    {
        var ports = new YamlSequence { Port("http", ClusterWiring.ContainerHttpPort) };
        if (project.ServesH2c)
        {
            ports.Add(Port("h2c", ClusterWiring.ContainerH2cPort));
        }

        return ports;
    }

    /// <summary>Secrets first, so the connection strings after them can say <c>$(…_PASSWORD)</c>.</summary>
    private static YamlSequence Environment(ProjectResource project)
    {
        var connected = project.References.OfType<IResourceWithConnectionString>().ToList();
        var passwords = connected.Select(ClusterWiring.ServerOf).Distinct().Select(ClusterWiring.Password);
        var environment = new YamlSequence(
            new[] { ClusterWiring.IdentitySigningKey, ClusterWiring.DefaultAppJwtSecret }.Concat(passwords).Select(variable => (YamlNode)FromSecret(variable)));
        foreach (var resource in connected)
        {
            environment.Add(Variable($"ConnectionStrings__{resource.Name}", ClusterWiring.ConnectionString(resource)));
        }

        return environment;
    }

    private static YamlMapping Service(ProjectResource project) => new()
    {
        { "apiVersion", "v1" },
        { "kind", "Service" },
        { "metadata", Metadata(project.Name) },
        {
            "spec", new YamlMapping
            {
                { "type", ClusterWiring.IsExternal(project) ? "LoadBalancer" : "ClusterIP" },
                { "selector", Selector(project.Name) },
                {
                    "ports", new YamlSequence
                    {
                        new YamlMapping { { "name", "http" }, { "port", ClusterWiring.ServiceHttpPort }, { "targetPort", "http" }, { "protocol", "TCP" } },
                    }
                },
            }
        },
    };

    /// <summary>Headless: no virtual IP, its DNS name answers every ready pod's address.</summary>
    private static YamlMapping H2cService(ProjectResource project) => new()
    {
        { "apiVersion", "v1" },
        { "kind", "Service" },
        { "metadata", Metadata(ClusterWiring.H2cServiceName(project), project.Name) },
        {
            "spec", new YamlMapping
            {
                { "clusterIP", "None" },
                { "selector", Selector(project.Name) },
                {
                    "ports", new YamlSequence
                    {
                        new YamlMapping { { "name", "h2c" }, { "port", ClusterWiring.ContainerH2cPort }, { "targetPort", "h2c" }, { "protocol", "TCP" } },
                    }
                },
            }
        },
    };

    private static YamlMapping Autoscaler(ProjectResource project, int replicas) => new()
    {
        { "apiVersion", "autoscaling/v2" },
        { "kind", "HorizontalPodAutoscaler" },
        { "metadata", Metadata(project.Name) },
        {
            "spec", new YamlMapping
            {
                { "scaleTargetRef", new YamlMapping { { "apiVersion", "apps/v1" }, { "kind", "Deployment" }, { "name", project.Name } } },
                { "minReplicas", replicas },
                { "maxReplicas", Math.Max(replicas, MaximumReplicas) },
                {
                    "metrics", new YamlSequence
                    {
                        new YamlMapping
                        {
                            { "type", "Resource" },
                            {
                                "resource", new YamlMapping
                                {
                                    { "name", "cpu" },
                                    { "target", new YamlMapping { { "type", "Utilization" }, { "averageUtilization", TargetCpuUtilization } } },
                                }
                            },
                        },
                    }
                },
            }
        },
    };

    private static YamlMapping DisruptionBudget(ProjectResource project) => new()
    {
        { "apiVersion", "policy/v1" },
        { "kind", "PodDisruptionBudget" },
        { "metadata", Metadata(project.Name) },
        {
            "spec", new YamlMapping
            {
                { "minAvailable", 1 },
                { "selector", new YamlMapping { { "matchLabels", Selector(project.Name) } } },
            }
        },
    };
}
