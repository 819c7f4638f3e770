namespace Chat.Benchmarks.Requests;

/// <summary>One request header line, as given on the command line (<c>Name: value</c>).</summary>
public sealed record HttpHeader(string Name, string Value)
{
    public static HttpHeader Parse(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"Header '{line}' is not 'Name: value'.");
        }

        return new HttpHeader(line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    public override string ToString() => $"{Name}: {Value}";
}
