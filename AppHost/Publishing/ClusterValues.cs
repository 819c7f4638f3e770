using System.Globalization;

namespace Chat.AppHost.Publishing;

/// <summary>A variable taken from the <see cref="ClusterValues.SecretName"/> Secret.</summary>
internal sealed record SecretVariable(string Name, string Key);

/// <summary>
/// How the values of the Aspire model read inside a cluster: an endpoint is the Service named after it, a secret parameter
/// is a key of one Secret, and a value that contains one says <c>$(VARIABLE)</c>, which Kubernetes expands from a
/// variable declared before it in <c>env</c>.
/// </summary>
internal static class ClusterValues
{
    public const string SecretName = "chat-secrets";
    public const string PartOf = "chat";
    public const int ServiceHttpPort = 80;

    /// <summary>The variable a secret parameter is read into when a value refers to it: <c>postgres-password</c> is <c>POSTGRES_PASSWORD</c>.</summary>
    public static SecretVariable Variable(ParameterResource secret) =>
        new(secret.Name.ToUpperInvariant().Replace('-', '_'), secret.Name);

    /// <summary>The value in the cluster; every secret parameter it refers to is added to <paramref name="secrets"/>.</summary>
    public static string Render(object? value, ISet<ParameterResource> secrets) => value switch
    {
        string text => text,
        ParameterResource { Secret: true } secret => ReferTo(secret, secrets),
        IResourceWithConnectionString resource => Render(resource.ConnectionStringExpression, secrets),
        ConnectionStringReference reference => Render(reference.Resource.ConnectionStringExpression, secrets),
        ReferenceExpression expression => string.Format(
            CultureInfo.InvariantCulture, expression.Format, [.. expression.ValueProviders.Select(provider => (object)Render(provider, secrets))]),
        EndpointReference reference => ClusterEndpoint.Of(reference).Url,
        EndpointReferenceExpression expression => Property(ClusterEndpoint.Of(expression.Endpoint), expression.Property),
        _ => throw new InvalidOperationException($"A {value?.GetType().Name ?? "null"} has no value in a cluster."),
    };

    private static string Property(ClusterEndpoint endpoint, EndpointProperty property) => property switch
    {
        EndpointProperty.Url => endpoint.Url,
        EndpointProperty.Host or EndpointProperty.IPV4Host => endpoint.ServiceName,
        EndpointProperty.Port => endpoint.ServicePort.ToString(CultureInfo.InvariantCulture),
        EndpointProperty.TargetPort => endpoint.TargetPort.ToString(CultureInfo.InvariantCulture),
        EndpointProperty.HostAndPort => $"{endpoint.ServiceName}:{endpoint.ServicePort}",
        EndpointProperty.Scheme => endpoint.Annotation.UriScheme,
        _ => throw new InvalidOperationException($"{endpoint.ServiceName}'s {property} has no value in a cluster."),
    };

    private static string ReferTo(ParameterResource secret, ISet<ParameterResource> secrets)
    {
        secrets.Add(secret);
        return $"$({Variable(secret).Name})";
    }
}

/// <summary>
/// An endpoint of the model inside the cluster. A project's <c>http</c> endpoint, or a server's, is the Service named after
/// the resource. Any other endpoint of a project (h2c) is a headless Service, <c>&lt;name&gt;-&lt;endpoint&gt;</c>: its DNS
/// name has one address per ready pod, which a caller (the gateway) balances over itself, since one HTTP/2 connection
/// through a Service stays on one pod.
/// </summary>
internal sealed record ClusterEndpoint(IResource Resource, EndpointAnnotation Annotation)
{
    public static ClusterEndpoint Of(EndpointReference reference) => new(reference.Resource, reference.EndpointAnnotation);

    public static IEnumerable<ClusterEndpoint> Of(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>().Select(annotation => new ClusterEndpoint(resource, annotation));

    public bool IsHeadless => Resource is ProjectResource && Annotation.Name != "http";

    public string ServiceName => IsHeadless ? $"{Resource.Name}-{Annotation.Name}" : Resource.Name;

    /// <summary>A project's http Service listens on its endpoint's public port (80 unless given); the others on the pod's port.</summary>
    public int ServicePort => Resource is ProjectResource && !IsHeadless ? Annotation.Port ?? ClusterValues.ServiceHttpPort : TargetPort;

    public int TargetPort => Annotation.TargetPort
        ?? throw new InvalidOperationException($"{Resource.Name}'s {Annotation.Name} endpoint has no target port.");

    public string Url => ServicePort == ClusterValues.ServiceHttpPort && Annotation.UriScheme == "http"
        ? $"http://{ServiceName}"
        : $"{Annotation.UriScheme}://{ServiceName}:{ServicePort}";
}
