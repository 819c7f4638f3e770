using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Chat.AppHost.Publishing;

/// <summary>A YAML value: a scalar, a mapping (keys in insertion order) or a sequence.</summary>
internal abstract class YamlNode
{
    public static implicit operator YamlNode(string value) => new YamlScalar(value, Verbatim: false);

    public static implicit operator YamlNode(int value) => new YamlScalar(value.ToString(CultureInfo.InvariantCulture), Verbatim: true);
}

/// <param name="Verbatim">Numbers are written as they are; strings are quoted when YAML would misread them.</param>
internal sealed class YamlScalar(string Text, bool Verbatim) : YamlNode
{
    public string Text { get; } = Text;

    public bool Verbatim { get; } = Verbatim;
}

internal sealed class YamlMapping : YamlNode, IEnumerable<KeyValuePair<string, YamlNode>>
{
    private readonly List<KeyValuePair<string, YamlNode>> entries = [];

    public int Count => entries.Count;

    public void Add(string key, YamlNode value) => entries.Add(new(key, value));

    public IEnumerator<KeyValuePair<string, YamlNode>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal sealed class YamlSequence : YamlNode, IEnumerable<YamlNode>
{
    private readonly List<YamlNode> items = [];

    public YamlSequence()
    {
    }

    public YamlSequence(IEnumerable<YamlNode> items) => this.items.AddRange(items);

    public int Count => items.Count;

    public void Add(YamlNode item) => items.Add(item);

    public IEnumerator<YamlNode> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Block-style YAML the way kubectl writes it: two-space indents, sequences indented under their
/// key, strings double-quoted whenever a plain scalar could be read as anything but that string.
/// </summary>
internal static partial class YamlWriter
{
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    /// <summary>Documents separated by <c>---</c>, ending with a newline.</summary>
    public static string Write(IEnumerable<YamlMapping> documents)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            if (text.Length > 0)
            {
                text.Append("---\n");
            }

            WriteMapping(text, document, 0);
        }

        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, YamlMapping mapping, int indent)
    {
        foreach (var (key, value) in mapping)
        {
            text.Append(' ', indent).Append(Scalar(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteValue(StringBuilder text, YamlNode value, int indent)
    {
        switch (value)
        {
            case YamlScalar scalar:
                text.Append(' ').Append(scalar.Verbatim ? scalar.Text : Scalar(scalar.Text)).Append('\n');
                break;
            case YamlMapping { Count: 0 }:
                text.Append(" {}\n");
                break;
            case YamlMapping mapping:
                text.Append('\n');
                WriteMapping(text, mapping, indent + 2);
                break;
            case YamlSequence { Count: 0 }:
                text.Append(" []\n");
                break;
            case YamlSequence sequence:
                text.Append('\n');
                WriteSequence(text, sequence, indent + 2);
                break;
            default:
                throw new InvalidOperationException($"Unknown YAML node {value.GetType().Name}.");
        }
    }

    private static void WriteSequence(StringBuilder text, YamlSequence sequence, int indent)
    {
        foreach (var item in sequence)
        {
            text.Append(' ', indent).Append('-');
            if (item is YamlMapping { Count: > 0 } mapping)
            {
                // The first entry shares the dash's line; the rest line up under it.
                var nested = new StringBuilder();
                WriteMapping(nested, mapping, indent + 2);
                text.Append(' ').Append(nested.ToString(indent + 2, nested.Length - indent - 2));
            }
            else
            {
                WriteValue(text, item, indent);
            }
        }
    }

    private static string Scalar(string text) =>
        PlainSafe().IsMatch(text) && !ReservedWords.Contains(text) ? text : Quote(text);

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var character in text)
        {
            quoted.Append(character switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\x{(int)character:x2}",
                _ => character.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Starts with a letter or slash, and holds nothing YAML gives a meaning to.</summary>
    [GeneratedRegex("^[A-Za-z/][A-Za-z0-9_./@+-]*$")]
    private static partial Regex PlainSafe();
}
