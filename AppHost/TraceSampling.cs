using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost;

/// <summary>
/// <c>Telemetry:TraceSampleRatio</c> (0 to 1): the share of traces the services record, parent-based so a trace is kept or
/// dropped whole. Aspire has every project record every trace (<c>always_on</c>), which suits reading one request in the
/// dashboard; under load, recording and ingesting every span took half of a two-core machine (docs/benchmarks.md).
/// </summary>
public static class TraceSampling
{
    public const string RatioKey = "Telemetry:TraceSampleRatio";

    /// <summary>Call once every project is in the model; the environment it sets wins over Aspire's default.</summary>
    public static IDistributedApplicationBuilder WithTraceSampling(this IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration[RatioKey] is not { } configured)
        {
            return builder;
        }

        if (!double.TryParse(configured, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || ratio is < 0 or > 1 or double.NaN)
        {
            throw new DistributedApplicationException($"{RatioKey} must be a number from 0 to 1, not '{configured}'.");
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation((EnvironmentCallbackContext context) =>
            {
                context.EnvironmentVariables["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio";
                context.EnvironmentVariables["OTEL_TRACES_SAMPLER_ARG"] = ratio.ToString(CultureInfo.InvariantCulture);
            }));
        }

        return builder;
    }
}
