using static Chat.AppHost.Publishing.KubernetesObjects;

namespace Chat.AppHost.Publishing;

/// <summary>
/// A project as Kubernetes objects: a ConfigMap (its environment in the model, as the cluster reads it), a Deployment
/// (probes on /health and /alive, requests and limits, secrets and the values that need them from the Secret), a Service
/// per endpoint (headless for h2c, see <see cref="ClusterEndpoint"/>), a HorizontalPodAutoscaler (CPU 70%) and a
/// PodDisruptionBudget (minAvailable 1).
/// </summary>
internal static class KubernetesProjectManifests
{
    /// <summary>At least two pods, so the disruption budget never blocks a node drain.</summary>
    public const int MinimumReplicas = 2;
    public const int MaximumReplicas = 10;
    public const int TargetCpuUtilization = 70;

    public static async Task<IEnumerable<YamlMapping>> ForAsync(
        ProjectResource project, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var (configuration, environment) = await EnvironmentAsync(project, executionContext, cancellationToken);
        var replicas = Math.Max(project.GetReplicaCount(), MinimumReplicas);
        var endpoints = ClusterEndpoint.Of(project).OrderBy(endpoint => endpoint.IsHeadless).ToList();
        return
        [
            new YamlMapping
            {
                { "apiVersion", "v1" },
                { "kind", "ConfigMap" },
                { "metadata", Metadata(ConfigMapName(project), project.Name) },
                { "data", configuration },
            },
            Deployment(project, replicas, endpoints, environment),
            .. endpoints.Select(Service),
            Autoscaler(project, replicas),
            DisruptionBudget(project),
        ];
    }

    public static string ConfigMapName(IResource project) => $"{project.Name}-config";

    /// <summary>
    /// The project's environment as Aspire publishes it (its callbacks run in publish mode), rendered for the cluster: what
    /// holds no secret goes to the ConfigMap; a secret, and a value that refers to one, to the Deployment, the secrets first
    /// so the values after them can say <c>$(…)</c>.
    /// </summary>
    private static async Task<(YamlMapping Configuration, YamlSequence Environment)> EnvironmentAsync(
        ProjectResource project, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(executionContext, project, values, cancellationToken);
        foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        var configuration = new YamlMapping { { "OTEL_SERVICE_NAME", project.Name } };
        var secrets = new List<YamlNode>();
        var withSecrets = new List<YamlNode>();
        var referred = new HashSet<ParameterResource>();
        foreach (var (name, value) in values)
        {
            if (value is ParameterResource { Secret: true } secret)
            {
                secrets.Add(FromSecret(new SecretVariable(name, secret.Name)));
                continue;
            }

            var before = referred.Count;
            var text = ClusterValues.Render(value, referred);
            if (referred.Count == before)
            {
                configuration.Add(name, text);
            }
            else
            {
                withSecrets.Add(Variable(name, text));
            }
        }

        var environment = new YamlSequence([.. secrets, .. referred.Select(secret => (YamlNode)FromSecret(ClusterValues.Variable(secret))), .. withSecrets]);
        return (configuration, environment);
    }

    private static YamlMapping Deployment(ProjectResource project, int replicas, List<ClusterEndpoint> endpoints, YamlSequence environment)
    {
        var container = new YamlMapping
        {
            { "name", project.Name },
            { "image", $"{ClusterValues.PartOf}/{project.Name}:latest" },
            { "ports", new YamlSequence(endpoints.Select(endpoint => (YamlNode)Port(endpoint.Annotation.Name, endpoint.TargetPort))) },
            { "envFrom", new YamlSequence { new YamlMapping { { "configMapRef", new YamlMapping { { "name", ConfigMapName(project) } } } } } },
            { "env", environment },
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

    /// <summary>The http endpoint's Service (a LoadBalancer when the endpoint is external), or another endpoint's headless one.</summary>
    private static YamlMapping Service(ClusterEndpoint endpoint)
    {
        var spec = endpoint.IsHeadless
            ? new YamlMapping { { "clusterIP", "None" } }
            : new YamlMapping { { "type", endpoint.Annotation.IsExternal ? "LoadBalancer" : "ClusterIP" } };
        spec.Add("selector", Selector(endpoint.Resource.Name));
        spec.Add("ports", new YamlSequence
        {
            new YamlMapping { { "name", endpoint.Annotation.Name }, { "port", endpoint.ServicePort }, { "targetPort", endpoint.Annotation.Name }, { "protocol", "TCP" } },
        });
        return new YamlMapping
        {
            { "apiVersion", "v1" },
            { "kind", "Service" },
            { "metadata", Metadata(endpoint.ServiceName, endpoint.Resource.Name) },
            { "spec", spec },
        };
    }

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
