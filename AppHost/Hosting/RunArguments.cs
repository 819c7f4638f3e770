namespace Chat.AppHost.Hosting;

/// <summary>The run command's switches; whatever else is on the command line becomes configuration.</summary>
internal static class RunArguments
{
    public const string DefaultDashboardUrl = "http://localhost:18888";

    public static DistributedApplicationOptions Parse(IReadOnlyList<string> args)
    {
        var build = true;
        var configuration = "Debug";
        string? data = null;
        string? dashboard = DefaultDashboardUrl;
        var echo = false;
        List<string> rest = [];
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--no-build":
                    build = false;
                    break;
                case "-c" or "--configuration":
                    configuration = Value();
                    break;
                case "--data":
                    data = Value();
                    break;
                case "--dashboard-url":
                    dashboard = Value();
                    break;
                case "--no-dashboard":
                    dashboard = null;
                    break;
                case "--echo":
                    echo = true;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return new DistributedApplicationOptions
        {
            Args = rest,
            BuildProjects = build,
            Configuration = configuration,
            DataDirectory = data,
            DashboardUrl = dashboard,
            ConsoleOutput = true,
            EchoProcessOutput = echo,
        };
    }
}
