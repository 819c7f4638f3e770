namespace Chat.EndToEnd.Tests;

/// <summary>What is given to the AppHost reaches the services that read it.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ConfigurationTests(SuiteFixture suite)
{
    [Fact]
    public async Task The_trace_sample_ratio_given_to_the_AppHost_reaches_every_replica()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var project in new[] { "gateway", "groups", "messaging", "knowledge", "aibot" })
        {
            foreach (var replica in await suite.ReplicasAsync(project, timeout.Token))
            {
                Assert.Equal("parentbased_traceidratio", replica.Environment["OTEL_TRACES_SAMPLER"]);
                Assert.Equal(SuiteFixture.TraceSampleRatio, replica.Environment["OTEL_TRACES_SAMPLER_ARG"]);
            }
        }
    }
}
