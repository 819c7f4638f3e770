namespace Chat.AppHost.Servers;

/// <summary>A server run from a Debian binary, with one TCP endpoint named <see cref="EndpointName"/>.</summary>
public abstract class LocalServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? endpoint;

    public EndpointReference Endpoint => endpoint ??= new(this, EndpointName);

    /// <summary>The password a published server asks for; none locally, on 127.0.0.1.</summary>
    public ParameterResource? Password { get; internal set; }

    public abstract ReferenceExpression ConnectionStringExpression { get; }
}
