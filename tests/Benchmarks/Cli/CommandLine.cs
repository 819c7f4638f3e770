using System.Globalization;

namespace Chat.Benchmarks.Cli;

/// <summary>A command line mistake: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>command --name value --name=value ...</c>; options may repeat. Every option given must be read by the
/// command, so a misspelt one is reported instead of silently ignored.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> options;
    private readonly HashSet<string> read = [];

    private CommandLine(string command, Dictionary<string, List<string>> options)
    {
        Command = command;
        this.options = options;
    }

    public string Command { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            return new CommandLine("help", []);
        }

        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"Expected an option, got '{arg}'.");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals > 0
                ? (arg[2..equals], arg[(equals + 1)..])
                : (arg[2..], i + 1 < args.Count ? args[++i] : throw new UsageException($"--{arg[2..]} needs a value."));
            if (!options.TryGetValue(name, out var values))
            {
                options[name] = values = [];
            }

            values.Add(value);
        }

        return new CommandLine(args[0], options);
    }

    public IReadOnlyList<string> All(string name)
    {
        read.Add(name);
        return options.TryGetValue(name, out var values) ? values : [];
    }

    public string? Optional(string name) => All(name) switch
    {
        [] => null,
        [var single] => single,
        _ => throw new UsageException($"--{name} is given more than once."),
    };

    public string Required(string name) => Optional(name) ?? throw new UsageException($"--{name} is required.");

    public Uri? OptionalUrl(string name) => Optional(name) is { } text ? Url(name, text) : null;

    public Uri RequiredUrl(string name) => Url(name, Required(name));

    public double? OptionalNumber(string name, bool allowZero = false) => Optional(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && (number > 0 || (allowZero && number == 0))
            ? number
            : throw new UsageException($"--{name} must be a {(allowZero ? "non-negative" : "positive")} number, not '{text}'.")
        : null;

    public double Number(string name, double fallback, bool allowZero = false) => OptionalNumber(name, allowZero) ?? fallback;

    public int Integer(string name, int fallback) => OptionalNumber(name) switch
    {
        null => fallback,
        var number when number == Math.Floor(number.Value) && number <= int.MaxValue => (int)number,
        _ => throw new UsageException($"--{name} must be a whole number."),
    };

    /// <summary>Throws for any option the command did not read.</summary>
    public void RejectUnread()
    {
        var unknown = options.Keys.Where(name => !read.Contains(name)).Select(name => "--" + name).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option(s) for '{Command}': {string.Join(", ", unknown)}.");
        }
    }

    private static Uri Url(string name, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp
            ? url
            : throw new UsageException($"--{name} must be an absolute http:// URL, not '{text}'.");
}
