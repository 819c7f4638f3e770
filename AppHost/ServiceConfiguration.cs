using Microsoft.Extensions.Configuration;

namespace Chat.AppHost;

public static class ServiceConfiguration
{
    /// <summary>
    /// Hands the AppHost's configuration sections (from its appsettings, environment or command line) to a service as
    /// environment variables in the <c>Section__Key</c> form: <c>Apps__Default__JwtSecret=...</c> given to <c>./run.sh</c>
    /// reaches the gateway as exactly that. Published, only the shared secrets of those sections are handed over, as their
    /// parameters: the rest of this machine's configuration (keys of AI providers, other apps' secrets) stays on it.
    /// </summary>
    public static IResourceBuilder<T> WithConfigurationSections<T>(this IResourceBuilder<T> resource, params string[] sections)
        where T : IResourceWithEnvironment
    {
        var configuration = resource.ApplicationBuilder.Configuration;
        return resource.WithEnvironment(context =>
        {
            if (context.ExecutionContext.IsPublishMode)
            {
                foreach (var (variable, parameter) in sections.SelectMany(section => SharedSecrets.PublishedIn(resource.ApplicationBuilder.Resources, section)))
                {
                    context.EnvironmentVariables[variable] = parameter;
                }

                return;
            }

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
