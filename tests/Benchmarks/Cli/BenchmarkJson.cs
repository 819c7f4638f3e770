using System.Text.Json.Serialization;
using Chat.Benchmarks.Load;
using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Cli;

/// <summary>One named scenario's runs: through the gateway, and direct when the service was given.</summary>
public sealed record ScenarioReport(string Scenario, IReadOnlyList<RunResult> Results);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(ScenarioReport))]
[JsonSerializable(typeof(ComparisonResult))]
[JsonSerializable(typeof(PlatformReport))]
internal sealed partial class BenchmarkJson : JsonSerializerContext;
