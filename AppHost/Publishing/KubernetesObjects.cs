namespace Chat.AppHost.Publishing;

/// <summary>The pieces every manifest repeats: metadata, labels, secret references, probes.</summary>
internal static class KubernetesObjects
{
    /// <param name="app">The application the object belongs to (its own name unless it serves another, like a ConfigMap).</param>
    public static YamlMapping Metadata(string name, string? app = null) => new()
    {
        { "name", name },
        { "labels", Labels(app ?? name) },
    };

    public static YamlMapping Labels(string name) => new()
    {
        { "app.kubernetes.io/name", name },
        { "app.kubernetes.io/part-of", ClusterValues.PartOf },
    };

    public static YamlMapping Selector(string name) => new()
    {
        { "app.kubernetes.io/name", name },
    };

    public static YamlMapping FromSecret(SecretVariable variable) => new()
    {
        { "name", variable.Name },
        {
            "valueFrom", new YamlMapping
            {
                { "secretKeyRef", new YamlMapping { { "name", ClusterValues.SecretName }, { "key", variable.Key } } },
            }
        },
    };

    public static YamlMapping Variable(string name, string value) => new()
    {
        { "name", name },
        { "value", value },
    };

    public static YamlMapping HttpProbe(string path, int initialDelaySeconds, int periodSeconds) => new()
    {
        { "httpGet", new YamlMapping { { "path", path }, { "port", "http" } } },
        { "initialDelaySeconds", initialDelaySeconds },
        { "periodSeconds", periodSeconds },
        { "timeoutSeconds", 3 },
        { "failureThreshold", 3 },
    };

    public static YamlMapping ExecProbe(string command, int initialDelaySeconds, int periodSeconds, int timeoutSeconds) => new()
    {
        { "exec", new YamlMapping { { "command", new YamlSequence { "sh", "-c", command } } } },
        { "initialDelaySeconds", initialDelaySeconds },
        { "periodSeconds", periodSeconds },
        { "timeoutSeconds", timeoutSeconds },
    };

    public static YamlMapping Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        { "requests", new YamlMapping { { "cpu", cpuRequest }, { "memory", memoryRequest } } },
        { "limits", new YamlMapping { { "cpu", cpuLimit }, { "memory", memoryLimit } } },
    };

    public static YamlMapping Port(string name, int port) => new()
    {
        { "name", name },
        { "containerPort", port },
        { "protocol", "TCP" },
    };
}
