using System.Text.Json;
using Chat.AppHost.Publishing;
using YamlDotNet.RepresentationModel;
using YamlNode = YamlDotNet.RepresentationModel.YamlNode;

namespace Chat.AppHost.Tests.Publishing;

public sealed class PublishTests(PublishedDeployment deployment) : IClassFixture<PublishedDeployment>
{
    private static readonly string[] Projects = ["groups", "messaging", "knowledge", "aibot", "gateway"];

    private static readonly (string Name, string Image)[] Servers =
        [("postgres", "postgres:15"), ("cache", "redis:7"), ("messaging-bus", "rabbitmq:3.10-management")];

    [Fact]
    public void Writes_aspire_manifest_a_manifest_per_server_and_project_a_secret_template_and_a_kustomization_listing_them()
    {
        string[] listed = ["secrets.yaml", "postgres.yaml", "cache.yaml", "messaging-bus.yaml", "groups.yaml", "messaging.yaml", "knowledge.yaml", "aibot.yaml", "gateway.yaml"];

        Assert.Equal(
            listed.Append("aspire-manifest.json").Append("kustomization.yaml").Order(StringComparer.Ordinal),
            Directory.GetFiles(deployment.Output).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));
        var kustomization = (YamlMappingNode)Documents("kustomization.yaml").Single();
        Assert.Equal(listed, Strings(kustomization["resources"]));
        Assert.All(listed, file => Assert.All(Documents(file).Cast<YamlMappingNode>(), document =>
        {
            Assert.NotEmpty(Scalar(document["apiVersion"]));
            Assert.NotEmpty(Scalar(document["kind"]));
        }));
    }

    [Fact]
    public void The_aspire_manifest_has_the_servers_as_containers_of_the_official_images_and_the_projects_without_local_paths_or_ports()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(deployment.File("aspire-manifest.json")));
        var resources = manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value);
        string TypeOf(string name) => resources[name].GetProperty("type").GetString()!;

        Assert.All(Projects, name => Assert.Equal("project.v0", TypeOf(name)));
        Assert.DoesNotContain(resources.Values, resource => resource.GetProperty("type").GetString() == "executable.v0");
        foreach (var (name, image) in Servers)
        {
            var server = resources[name];
            Assert.Equal("container.v0", TypeOf(name));
            Assert.Equal($"docker.io/library/{image}", server.GetProperty("image").GetString());
            Assert.Contains($"{{{name}-password.value}}", server.GetProperty("connectionString").GetString());
            Assert.Equal("tcp", server.GetProperty("bindings").GetProperty("tcp").GetProperty("scheme").GetString());
        }

        Assert.Equal(5432, resources["postgres"].GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Equal("{postgres-password.value}", resources["postgres"].GetProperty("env").GetProperty("POSTGRES_PASSWORD").GetString());
        Assert.Equal("{postgres.connectionString};Database=groupsdb", resources["groupsdb"].GetProperty("connectionString").GetString());
        var secrets = resources.Where(entry => TypeOf(entry.Key) == "parameter.v0").ToList();
        Assert.Equal(["cache-password", "default-app-jwt-secret", "identity-signing-key", "messaging-bus-password", "postgres-password"], secrets.Select(entry => entry.Key).Order(StringComparer.Ordinal));
        Assert.All(secrets, secret => Assert.True(secret.Value.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean()));

        var groups = resources["groups"];
        var projectFile = System.IO.Path.GetFullPath(System.IO.Path.Combine(deployment.Output, groups.GetProperty("path").GetString()!));
        Assert.EndsWith("/Groups.Service/Groups.Service.csproj", projectFile);
        Assert.True(File.Exists(projectFile), projectFile);
        var environment = groups.GetProperty("env");
        Assert.Equal("{groupsdb.connectionString}", environment.GetProperty("ConnectionStrings__groupsdb").GetString());
        Assert.Equal("{identity-signing-key.value}", environment.GetProperty("Identity__SigningKey").GetString());
        Assert.All(environment.EnumerateObject(), variable => Assert.DoesNotContain("127.0.0.1", variable.Value.GetString()));
        Assert.All(environment.EnumerateObject(), variable => Assert.DoesNotContain("/.data", variable.Value.GetString()));
        var bindings = groups.GetProperty("bindings");
        Assert.Equal(["h2c", "http"], bindings.EnumerateObject().Select(binding => binding.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("http2", 8081), (bindings.GetProperty("h2c").GetProperty("transport").GetString(), bindings.GetProperty("h2c").GetProperty("targetPort").GetInt32()));
        Assert.Equal(8080, bindings.GetProperty("http").GetProperty("targetPort").GetInt32());

        var gateway = resources["gateway"];
        Assert.Equal("{knowledge.bindings.h2c.url}", gateway.GetProperty("env").GetProperty("services__knowledge__h2c__0").GetString());
        var gatewayHttp = gateway.GetProperty("bindings").GetProperty("http");
        Assert.Equal((8004, 8080, true), (gatewayHttp.GetProperty("port").GetInt32(), gatewayHttp.GetProperty("targetPort").GetInt32(), gatewayHttp.GetProperty("external").GetBoolean()));
    }

    [Fact]
    public void Every_project_has_a_probed_deployment_services_an_autoscaler_and_a_disruption_budget()
    {
        foreach (var project in Projects)
        {
            var all = Documents($"{project}.yaml").Cast<YamlMappingNode>().ToList();
            var servesH2c = project != "gateway";
            Assert.Equal(
                ["ConfigMap", "Deployment", "Service", .. (string[])(servesH2c ? ["Service"] : []), "HorizontalPodAutoscaler", "PodDisruptionBudget"],
                all.Select(document => Scalar(document["kind"])));
            var documents = all.DistinctBy(document => Scalar(document["kind"])).ToDictionary(document => Scalar(document["kind"]));

            var container = Container(documents["Deployment"]);
            Assert.Equal($"chat/{project}:latest", Scalar(container["image"]));
            Assert.Equal("/health", Scalar(Path(container, "readinessProbe", "httpGet", "path")));
            Assert.Equal("/alive", Scalar(Path(container, "livenessProbe", "httpGet", "path")));
            Assert.NotNull(Path(container, "resources", "requests", "cpu"));
            Assert.NotNull(Path(container, "resources", "limits", "memory"));
            Assert.Equal($"{project}-config", Scalar(Path((YamlMappingNode)((YamlSequenceNode)container["envFrom"])[0], "configMapRef", "name")));
            var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Select(port => (Scalar(port["name"]), Scalar(port["containerPort"])));
            var configuration = (YamlMappingNode)Path(documents["ConfigMap"], "data");
            if (servesH2c)
            {
                Assert.Equal([("http", "8080"), ("h2c", "8081")], ports);
                Assert.Equal("http://*:8080", Scalar(Path(configuration, "Kestrel__Endpoints__http__Url")));
                Assert.Equal("http://*:8081", Scalar(Path(configuration, "Kestrel__Endpoints__h2c__Url")));
                var h2cService = all.Where(document => Scalar(document["kind"]) == "Service").Last();
                Assert.Equal($"{project}-h2c", Scalar(Path(h2cService, "metadata", "name")));
                Assert.Equal("None", Scalar(Path(h2cService, "spec", "clusterIP")));
                var h2cPort = (YamlMappingNode)((YamlSequenceNode)Path(h2cService, "spec", "ports"))[0];
                Assert.Equal(("8081", "h2c"), (Scalar(h2cPort["port"]), Scalar(h2cPort["targetPort"])));
            }
            else
            {
                Assert.Equal([("http", "8080")], ports);
                Assert.Equal("8080", Scalar(Path(configuration, "HTTP_PORTS")));
            }

            var variables = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToList();
            var secretKeys = variables.Where(variable => variable.Children.ContainsKey("valueFrom"))
                .Select(variable => Scalar(Path(variable, "valueFrom", "secretKeyRef", "key"))).ToList();
            Assert.Contains("identity-signing-key", secretKeys);
            Assert.Contains("cache-password", secretKeys);
            Assert.Equal("cache:6379,password=$(CACHE_PASSWORD)", Scalar(variables.Single(variable => Scalar(variable["name"]) == "ConnectionStrings__cache")["value"]));

            Assert.Equal("autoscaling/v2", Scalar(documents["HorizontalPodAutoscaler"]["apiVersion"]));
            Assert.Equal("70", Scalar(Path((YamlMappingNode)((YamlSequenceNode)Path(documents["HorizontalPodAutoscaler"], "spec", "metrics"))[0], "resource", "target", "averageUtilization")));
            Assert.Equal("policy/v1", Scalar(documents["PodDisruptionBudget"]["apiVersion"]));
            Assert.Equal("1", Scalar(Path(documents["PodDisruptionBudget"], "spec", "minAvailable")));
            Assert.Equal("2", Scalar(Path(documents["Deployment"], "spec", "replicas")));
        }

        var messaging = Container(Documents("messaging.yaml").Cast<YamlMappingNode>().Single(document => Scalar(document["kind"]) == "Deployment"));
        Assert.Equal(
            "Host=postgres;Port=5432;Username=postgres;Password=$(POSTGRES_PASSWORD);Database=messagingdb",
            Scalar(((YamlSequenceNode)messaging["env"]).Cast<YamlMappingNode>().Single(variable => Scalar(variable["name"]) == "ConnectionStrings__messagingdb")["value"]));
        var gatewayDocuments = Documents("gateway.yaml").Cast<YamlMappingNode>().ToList();
        var gatewayConfiguration = (YamlMappingNode)Path(gatewayDocuments[0], "data");
        Assert.Equal("http://groups", Scalar(Path(gatewayConfiguration, "services__groups__http__0")));
        Assert.Equal("http://groups-h2c:8081", Scalar(Path(gatewayConfiguration, "services__groups__h2c__0")));
        var gatewayService = gatewayDocuments.Single(document => Scalar(document["kind"]) == "Service");
        Assert.Equal("LoadBalancer", Scalar(Path(gatewayService, "spec", "type")));
        Assert.Equal("8004", Scalar(((YamlMappingNode)((YamlSequenceNode)Path(gatewayService, "spec", "ports"))[0])["port"]));
    }

    [Fact]
    public void Servers_are_stateful_sets_of_the_official_images_and_the_secret_holds_only_placeholders()
    {
        foreach (var (server, image) in Servers)
        {
            var documents = Documents($"{server}.yaml").Cast<YamlMappingNode>().ToList();
            var statefulSet = documents.Single(document => Scalar(document["kind"]) == "StatefulSet");
            Assert.Equal("apps/v1", Scalar(statefulSet["apiVersion"]));
            Assert.Equal(image, Scalar(Container(statefulSet)["image"]));
            Assert.Equal("None", Scalar(Path(documents.Single(document => Scalar(document["kind"]) == "Service"), "spec", "clusterIP")));
        }

        var postgresInit = Documents("postgres.yaml").Cast<YamlMappingNode>().Single(document => Scalar(document["kind"]) == "ConfigMap");
        Assert.Equal(
            "CREATE DATABASE \"groupsdb\";\nCREATE DATABASE \"messagingdb\";\nCREATE DATABASE \"knowledgedb\";\nCREATE DATABASE \"aibotdb\";\n",
            Scalar(Path(postgresInit, "data", "create-databases.sql")));
        var secret = (YamlMappingNode)Documents("secrets.yaml").Single();
        Assert.Equal("Secret", Scalar(secret["kind"]));
        Assert.Equal(
            ["cache-password", "default-app-jwt-secret", "identity-signing-key", "messaging-bus-password", "postgres-password"],
            ((YamlMappingNode)secret["stringData"]).Children.Keys.Select(Scalar).Order(StringComparer.Ordinal));
        Assert.All(((YamlMappingNode)secret["stringData"]).Children.Values, value => Assert.StartsWith("<", Scalar(value)));
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes()
    {
        var again = deployment.Publish("again");

        var files = Directory.GetFiles(deployment.Output).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(again).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(deployment.File(file!)), File.ReadAllBytes(System.IO.Path.Combine(again, file!))));
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
    [InlineData("http://*:8080")]
    public void Strings_read_back_as_the_same_strings(string value)
    {
        var yaml = YamlWriter.Write([new Chat.AppHost.Publishing.YamlMapping { { value, value }, { "list", new Chat.AppHost.Publishing.YamlSequence { value } } }]);

        var document = (YamlMappingNode)Parse(yaml).Single();
        var (key, read) = document.Children.First();
        Assert.Equal(value, Scalar(key));
        Assert.Equal(value, Scalar(read));
        Assert.Equal(value, Scalar(((YamlSequenceNode)document["list"])[0]));
    }

    private YamlNode[] Documents(string file) => Parse(File.ReadAllText(deployment.File(file)));

    private static YamlNode[] Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(document => document.RootNode).ToArray();
    }

    private static YamlMappingNode Container(YamlMappingNode workload) =>
        (YamlMappingNode)((YamlSequenceNode)Path(workload, "spec", "template", "spec", "containers"))[0];

    private static YamlNode Path(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static IEnumerable<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Select(Scalar);
}
