namespace Chat.Gateway.Routing;

/// <summary>
/// Resolves a destination address such as <c>http://groups</c> the way Aspire's configuration-based
/// service discovery does: the host names a service whose endpoints are in <c>services:&lt;name&gt;:http:N</c>
/// (or <c>https:N</c>). <c>https+http://</c> prefers https. Without such configuration the address is used
/// as it is (in Kubernetes the service name resolves through DNS). An <c>http://</c> address whose service
/// also lists <c>h2c:N</c> endpoints (HTTP/2 without TLS, one per instance, as the AppHost gives them) is
/// spoken to there in HTTP/2: many requests share each connection's reads and writes.
/// </summary>
internal static class ServiceDiscovery
{
    public static IEnumerable<Destination> Resolve(string address, IConfiguration configuration)
    {
        var preferHttps = address.StartsWith("https+http://", StringComparison.OrdinalIgnoreCase)
            || address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var uri = new Uri(
            address.StartsWith("https+http://", StringComparison.OrdinalIgnoreCase) ? "https://" + address["https+http://".Length..] : address,
            UriKind.Absolute);
        if (uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Destination address '{address}' must be http or https.");
        }

        var service = configuration.GetSection("services").GetSection(uri.Host);
        var path = uri.AbsolutePath.TrimEnd('/');
        if (uri.Scheme == "http" && Endpoints(service, "h2c") is { Count: > 0 } h2c)
        {
            return h2c.Select(endpoint => Destination.H2c(endpoint + path));
        }

        var endpoints = Endpoints(service, preferHttps ? "https" : "http");
        if (endpoints.Count == 0)
        {
            endpoints = Endpoints(service, preferHttps ? "http" : "https");
        }

        if (endpoints.Count == 0)
        {
            return [Destination.Http11(uri.GetLeftPart(UriPartial.Authority) + path)];
        }

        return endpoints.Select(endpoint => Destination.Http11(endpoint + path));
    }

    private static List<string> Endpoints(IConfigurationSection service, string scheme) =>
        service.GetSection(scheme).GetChildren()
            .Where(endpoint => !string.IsNullOrWhiteSpace(endpoint.Value))
            .OrderBy(endpoint => int.TryParse(endpoint.Key, out var index) ? index : int.MaxValue)
            .Select(endpoint => new Uri(endpoint.Value!.Trim(), UriKind.Absolute).GetLeftPart(UriPartial.Authority))
            .ToList();
}
