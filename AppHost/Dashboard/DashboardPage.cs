using System.Net;
using System.Text;
using Chat.AppHost.Hosting;

namespace Chat.AppHost.Dashboard;

/// <summary>The dashboard's single page: the resource table and each resource's recent log, refreshed every few seconds.</summary>
internal static class DashboardPage
{
    private const string Style = """
        body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
        table { border-collapse: collapse; margin-bottom: 1.5rem; }
        th, td { text-align: left; padding: .3rem .8rem; border-bottom: 1px solid #ddd; vertical-align: top; }
        td.url { font-family: monospace; font-size: 12px; }
        .Healthy { color: #11762b; } .Running, .Starting, .Waiting, .Restarting, .Stopping { color: #9a6700; }
        .Unhealthy, .Exited, .FailedToStart { color: #c62828; font-weight: bold; }
        pre { background: #f6f8fa; padding: .6rem; max-height: 18rem; overflow: auto; font-size: 12px; }
        """;

    public static string Render(IReadOnlyList<ResourceView> resources)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"3\">")
            .Append("<title>Chat AppHost</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>Chat AppHost</h1><table><tr><th>Name</th><th>Kind</th><th>State</th><th>Health</th><th>Restarts</th><th>PID</th><th>URL</th></tr>");
        foreach (var resource in resources)
        {
            html.Append("<tr><td><a href=\"#").Append(Encode(resource.Name)).Append("\">").Append(Encode(resource.Name)).Append("</a></td>")
                .Append("<td>").Append(Encode(resource.Kind)).Append("</td>")
                .Append("<td class=\"").Append(resource.State).Append("\">").Append(resource.State).Append("</td>")
                .Append("<td>").Append(Encode(resource.Health)).Append("</td>")
                .Append("<td>").Append(resource.Restarts).Append("</td>")
                .Append("<td>").Append(string.Join(", ", resource.ProcessIds)).Append("</td>")
                .Append("<td class=\"url\">").Append(Link(resource)).Append("</td></tr>");
        }

        html.Append("</table>");
        foreach (var resource in resources)
        {
            html.Append("<h2 id=\"").Append(Encode(resource.Name)).Append("\">").Append(Encode(resource.Name)).Append("</h2>");
            if (resource.Error is not null)
            {
                html.Append("<p class=\"FailedToStart\">").Append(Encode(resource.Error)).Append("</p>");
            }

            html.Append("<pre>").Append(Encode(string.Join('\n', resource.Logs))).Append("</pre>");
        }

        return html.Append("<p><a href=\"/api/resources\">/api/resources</a></p></body></html>").ToString();
    }

    private static string Link(ResourceView resource) =>
        resource.Url is { } url && url.StartsWith("http", StringComparison.Ordinal)
            ? $"<a href=\"{Encode(url)}/health\">{Encode(url)}</a>"
            : Encode(resource.Url ?? string.Empty);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
