using Microsoft.Extensions.Configuration;

namespace Chat.ServiceDefaults.Http;

/// <summary>
/// Resolves <c>http://&lt;service&gt;/...</c> to the address in <c>services:&lt;service&gt;:http:0</c>
/// (or <c>https:0</c>), Aspire's service-discovery configuration convention. Hosts without an entry
/// are left alone.
/// </summary>
public sealed class ServiceDiscoveryHandler(IConfiguration configuration) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && Resolve(configuration, uri.Host) is { } destination)
        {
            request.RequestUri = new UriBuilder(uri)
            {
                Scheme = destination.Scheme,
                Host = destination.Host,
                Port = destination.Port,
            }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The configured address of a named service, or null when the name is not a known service.</summary>
    public static Uri? Resolve(IConfiguration configuration, string serviceName)
    {
        var address = configuration[$"services:{serviceName}:http:0"] ?? configuration[$"services:{serviceName}:https:0"];
        return address is null ? null : new Uri(address);
    }
}
