namespace Chat.TestInfrastructure;

/// <summary>The Chat21 <c>err</c> texts the services answer for input PostgreSQL can't store or the JSON reader refuses.</summary>
public static class BadInputMessages
{
    public const string Surrogate = "must not contain an unpaired UTF-16 surrogate (\\ud800-\\udfff)";
    public const string Nul = "must not contain the NUL character (U+0000)";
    public const string Number = "holds a number PostgreSQL can't store (at most 131072 digits before the decimal point and 16383 after it)";
    public const string MissingLowSurrogate = "Cannot read incomplete UTF-16 JSON text as string with missing low surrogate.";
    public const string LoneLowSurrogate = "Cannot read invalid UTF-16 JSON text as string. Invalid surrogate value: '0xDC00'.";
}
