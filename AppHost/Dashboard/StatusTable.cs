using System.Globalization;
using System.Text;
using Chat.AppHost.Hosting;

namespace Chat.AppHost.Dashboard;

/// <summary>The resources as a fixed-width text table, for the console.</summary>
internal static class StatusTable
{
    private static readonly string[] Headers = ["NAME", "KIND", "STATE", "HEALTH", "RESTARTS", "PID", "URL"];

    public static string Render(IReadOnlyList<ResourceSnapshot> snapshots)
    {
        var rows = snapshots.Select(snapshot => new[]
        {
            snapshot.Name,
            snapshot.Kind,
            snapshot.State.ToString(),
            Shorten(snapshot.Health, 24),
            snapshot.Restarts.ToString(CultureInfo.InvariantCulture),
            string.Join(',', snapshot.ProcessIds),
            snapshot.Url ?? string.Empty,
        }).ToList();
        var widths = Headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();

        var text = new StringBuilder();
        AppendRow(text, Headers, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        foreach (var failed in snapshots.Where(snapshot => snapshot.Error is not null))
        {
            text.Append("  ").Append(failed.Name).Append(": ").AppendLine(Shorten(failed.Error!.ReplaceLineEndings(" "), 200));
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var column = 0; column < cells.Length; column++)
        {
            text.Append(column == cells.Length - 1 ? cells[column] : cells[column].PadRight(widths[column] + 2));
        }

        text.AppendLine();
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
