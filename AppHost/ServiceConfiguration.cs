using Microsoft.Extensions.Configuration;

namespace Chat.AppHost;

public static class ServiceConfiguration
{
    /// <summary>
    /// Hands the AppHost's configuration sections (from its appsettings, environment or command line) to a service as
    /// environment variables in the <c>Section__Key</c> form: <c>Apps__Default__JwtSecret=...</c> given to <c>./run.sh</c>
    /// reaches the gateway as exactly that.
    /// </summary>
    public static IResourceBuilder<T> WithConfigurationSections<T>(this IResourceBuilder<T> resource, params string[] sections)
        where T : IResourceWithEnvironment
    {
        var configuration = resource.ApplicationBuilder.Configuration;
        return resource.WithEnvironment(context =>
        {
            foreach (var section in sections)
            {
                foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
                {
                    if (value is not null)
                    {
                        context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                    }
                }
            }
        });
    }
}
