using System.Text.Json;
using Chat.AppHost.Hosting;
using Chat.AppHost.Publishing;
using YamlDotNet.RepresentationModel;
using YamlNode = YamlDotNet.RepresentationModel.YamlNode;

namespace Chat.AppHost.Tests.Publishing;

public sealed class PublishTests
{
    private static readonly string RepositoryRoot = Chat.AppHost.Hosting.RepositoryRoot.Find(null);

    private static IReadOnlyList<IResource> Suite() => ChatSuite.Define(DistributedApplication.CreateBuilder(new DistributedApplicationOptions())).Resources;

    [Fact]
    public void Writes_a_manifest_per_server_and_project_a_secret_template_and_a_kustomization_listing_them()
    {
        using var output = new TempDirectory();

        var files = ManifestPublisher.Publish(Suite(), RepositoryRoot, output.Path);

        string[] expected =
        [
            "aspire-manifest.json", "secrets.yaml", "postgres.yaml", "cache.yaml", "messaging-bus.yaml",
            "groups.yaml", "messaging.yaml", "knowledge.yaml", "aibot.yaml", "gateway.yaml", "kustomization.yaml",
        ];
        Assert.Equal(expected, files);
        Assert.All(expected, file => Assert.True(File.Exists(output.Sub(file)), file));
        var kustomization = (YamlMappingNode)Documents(output.Sub("kustomization.yaml")).Single();
        Assert.Equal(expected.Where(file => file.EndsWith(".yaml") && file != "kustomization.yaml"), Strings(kustomization["resources"]));
    }

    [Fact]
    public void The_aspire_manifest_has_projects_containers_connection_strings_and_generated_secret_parameters()
    {
        using var output = new TempDirectory();
        ManifestPublisher.Publish(Suite(), RepositoryRoot, output.Path);

        using var manifest = JsonDocument.Parse(File.ReadAllText(output.Sub("aspire-manifest.json")));
        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", manifest.RootElement.GetProperty("$schema").GetString());
        var resources = manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value);
        string TypeOf(string name) => resources[name].GetProperty("type").GetString()!;

        Assert.All(new[] { "groups", "messaging", "knowledge", "aibot", "gateway" }, name => Assert.Equal("project.v0", TypeOf(name)));
        Assert.All(new[] { "postgres", "cache", "messaging-bus" }, name => Assert.Equal("container.v0", TypeOf(name)));
        Assert.All(new[] { "groupsdb", "messagingdb", "knowledgedb", "aibotdb" }, name => Assert.Equal("value.v0", TypeOf(name)));
        var parameters = resources.Where(entry => entry.Value.GetProperty("type").GetString() == "parameter.v0").ToList();
        Assert.Equal(5, parameters.Count);
        Assert.All(parameters, parameter =>
        {
            var input = parameter.Value.GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean());
            Assert.True(input.GetProperty("default").TryGetProperty("generate", out _));
        });

        Assert.Equal("docker.io/library/postgres:15", resources["postgres"].GetProperty("image").GetString());
        Assert.Equal("{postgres.connectionString};Database=groupsdb", resources["groupsdb"].GetProperty("connectionString").GetString());
        var groups = resources["groups"];
        Assert.Equal(
            System.IO.Path.Combine(RepositoryRoot, "Groups.Service", "Groups.Service.csproj"),
            System.IO.Path.GetFullPath(System.IO.Path.Combine(output.Path, groups.GetProperty("path").GetString()!)));
        var environment = groups.GetProperty("env");
        Assert.Equal("{groupsdb.connectionString}", environment.GetProperty("ConnectionStrings__groupsdb").GetString());
        Assert.Equal("{identity-signing-key.value}", environment.GetProperty("Identity__SigningKey").GetString());
        Assert.Equal("{knowledge.bindings.http.url}", resources["gateway"].GetProperty("env").GetProperty("services__knowledge__http__0").GetString());
        Assert.True(resources["gateway"].GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
    }

    [Fact]
    public void Every_project_has_a_probed_deployment_service_autoscaler_and_disruption_budget()
    {
        using var output = new TempDirectory();
        ManifestPublisher.Publish(Suite(), RepositoryRoot, output.Path);

        foreach (var project in new[] { "groups", "messaging", "knowledge", "aibot", "gateway" })
        {
            var all = Documents(output.Sub($"{project}.yaml")).Cast<YamlMappingNode>().ToList();
            var servesH2c = project != "gateway";
            Assert.Equal(
                ["ConfigMap", "Deployment", "Service", .. (string[])(servesH2c ? ["Service"] : []), "HorizontalPodAutoscaler", "PodDisruptionBudget"],
                all.Select(document => Scalar(document["kind"])));
            var documents = all.DistinctBy(document => Scalar(document["kind"])).ToDictionary(document => Scalar(document["kind"]));

            var container = (YamlMappingNode)((YamlSequenceNode)Path(documents["Deployment"], "spec", "template", "spec", "containers"))[0];
            Assert.Equal("/health", Scalar(Path(container, "readinessProbe", "httpGet", "path")));
            Assert.Equal("/alive", Scalar(Path(container, "livenessProbe", "httpGet", "path")));
            Assert.NotNull(Path(container, "resources", "requests", "cpu"));
            Assert.NotNull(Path(container, "resources", "limits", "memory"));
            var configMap = $"{project}-config";
            Assert.Equal(configMap, Scalar(Path((YamlMappingNode)((YamlSequenceNode)container["envFrom"])[0], "configMapRef", "name")));
            var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Select(port => (Scalar(port["name"]), Scalar(port["containerPort"])));
            if (servesH2c)
            {
                Assert.Equal([("http", "8080"), ("h2c", "8081")], ports);
                Assert.Equal("http://+:8080", Scalar(Path(documents["ConfigMap"], "data", "Kestrel__Endpoints__http__Url")));
                Assert.Equal("http://+:8081", Scalar(Path(documents["ConfigMap"], "data", "Kestrel__Endpoints__h2c__Url")));
                Assert.Equal("Http2", Scalar(Path(documents["ConfigMap"], "data", "Kestrel__Endpoints__h2c__Protocols")));
                var h2cService = all.Where(document => Scalar(document["kind"]) == "Service").Last();
                Assert.Equal($"{project}-h2c", Scalar(Path(h2cService, "metadata", "name")));
                Assert.Equal("None", Scalar(Path(h2cService, "spec", "clusterIP")));
                var h2cPort = (YamlMappingNode)((YamlSequenceNode)Path(h2cService, "spec", "ports"))[0];
                Assert.Equal(("8081", "h2c"), (Scalar(h2cPort["port"]), Scalar(h2cPort["targetPort"])));
            }
            else
            {
                Assert.Equal([("http", "8080")], ports);
                Assert.Equal("http://+:8080", Scalar(Path(documents["ConfigMap"], "data", "ASPNETCORE_URLS")));
            }
            var secretKeys = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>()
                .Where(variable => variable.Children.ContainsKey("valueFrom"))
                .Select(variable => Scalar(Path(variable, "valueFrom", "secretKeyRef", "key")));
            Assert.Contains("identity-signing-key", secretKeys);
            Assert.Contains("default-app-jwt-secret", secretKeys);

            Assert.Equal("autoscaling/v2", Scalar(documents["HorizontalPodAutoscaler"]["apiVersion"]));
            Assert.Equal("70", Scalar(Path((YamlMappingNode)((YamlSequenceNode)Path(documents["HorizontalPodAutoscaler"], "spec", "metrics"))[0], "resource", "target", "averageUtilization")));
            Assert.Equal("1", Scalar(Path(documents["PodDisruptionBudget"], "spec", "minAvailable")));
        }

        var gatewayConfig = (YamlMappingNode)Documents(output.Sub("gateway.yaml"))[0];
        Assert.Equal("http://groups", Scalar(Path(gatewayConfig, "data", "services__groups__http__0")));
        Assert.Equal("http://groups-h2c:8081", Scalar(Path(gatewayConfig, "data", "services__groups__h2c__0")));
    }

    [Fact]
    public void Servers_are_stateful_sets_of_the_official_images_and_the_secret_holds_only_placeholders()
    {
        using var output = new TempDirectory();
        ManifestPublisher.Publish(Suite(), RepositoryRoot, output.Path);

        foreach (var (server, image) in new[] { ("postgres", "postgres:15"), ("cache", "redis:7"), ("messaging-bus", "rabbitmq:3.10-management") })
        {
            var statefulSet = Documents(output.Sub($"{server}.yaml")).Cast<YamlMappingNode>().Single(document => Scalar(document["kind"]) == "StatefulSet");
            var container = (YamlMappingNode)((YamlSequenceNode)Path(statefulSet, "spec", "template", "spec", "containers"))[0];
            Assert.Equal(image, Scalar(container["image"]));
        }

        var secret = (YamlMappingNode)Documents(output.Sub("secrets.yaml")).Single();
        Assert.Equal("Secret", Scalar(secret["kind"]));
        Assert.All(((YamlMappingNode)secret["stringData"]).Children.Values, value => Assert.StartsWith("<", Scalar(value)));
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes()
    {
        using var output = new TempDirectory();
        var first = ManifestPublisher.Publish(Suite(), RepositoryRoot, output.Sub("deploy"))
            .ToDictionary(file => file, file => File.ReadAllBytes(output.Sub($"deploy/{file}")));

        var second = ManifestPublisher.Publish(Suite(), RepositoryRoot, output.Sub("deploy"));

        Assert.Equal(first.Keys, second);
        Assert.All(second, file => Assert.Equal(first[file], File.ReadAllBytes(output.Sub($"deploy/{file}"))));
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("true")]
    [InlineData("no")]
    [InlineData("")]
    [InlineData("a: b")]
    [InlineData("#not a comment")]
    [InlineData("- not a list")]
    [InlineData("$(PASSWORD)")]
    [InlineData("line one\nline \"two\"\t\\")]
    [InlineData("Host=postgres;Port=5432")]
    [InlineData("http://+:8080")]
    public void Strings_read_back_as_the_same_strings(string value)
    {
        var yaml = YamlWriter.Write([new Chat.AppHost.Publishing.YamlMapping { { value, value }, { "list", new Chat.AppHost.Publishing.YamlSequence { value } } }]);

        var document = (YamlMappingNode)Parse(yaml).Single();
        var (key, read) = document.Children.First();
        Assert.Equal(value, Scalar(key));
        Assert.Equal(value, Scalar(read));
        Assert.Equal(value, Scalar(((YamlSequenceNode)document["list"])[0]));
    }

    private static YamlNode[] Documents(string path) => Parse(File.ReadAllText(path));

    private static YamlNode[] Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(document => document.RootNode).ToArray();
    }

    private static YamlNode Path(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static IEnumerable<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Select(Scalar);
}
