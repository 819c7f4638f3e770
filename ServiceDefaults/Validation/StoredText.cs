using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Chat.ServiceDefaults.Validation;

/// <summary>
/// What PostgreSQL can keep as sent: text and JSON without the NUL character (U+0000), which it refuses in both; jsonb also
/// refuses text that is not valid Unicode (an unpaired UTF-16 surrogate escape, invalid UTF-8) and numbers its numeric type
/// can't hold. Values are checked on the way in so such input is a 400, not a failed write.
/// </summary>
public static class StoredText
{
    /// <summary>PostgreSQL's numeric, which jsonb keeps numbers as, holds at most this many digits before the decimal point.</summary>
    public const int MaxIntegerDigits = 131_072;

    /// <summary>... and at most this many after it.</summary>
    public const int MaxFractionDigits = 16_383;

    /// <summary>numeric refuses an exponent from INT_MAX / 2 on, even on a zero.</summary>
    private const long MaxExponent = int.MaxValue / 2;

    /// <summary>How deep a tree is walked: the request reader's own limit, so a tree parsed with a larger one can't exhaust the stack.</summary>
    public const int MaxDepth = 64;

    private enum Problem
    {
        None,
        Nul,
        UnpairedSurrogate,
        InvalidUtf8,
        Number,
        TooDeep,
    }

    public static bool HasNul(string? value) => value is not null && value.Contains('\0');

    /// <summary>The error to answer for <paramref name="field"/> holding U+0000.</summary>
    public static string NulError(string field) => $"{field} must not contain the NUL character (U+0000)";

    /// <summary>
    /// The error to answer when a key or value anywhere in <paramref name="json"/> can't be stored as jsonb, or null. One walk
    /// over the parsed tree reading each key, string and number as its raw UTF-8: nothing is decoded or serialized again.
    /// </summary>
    public static string? JsonError(JsonElement json, string field) => ProblemIn(json, depth: 0) switch
    {
        Problem.None => null,
        Problem.Nul => NulError(field),
        Problem.UnpairedSurrogate => $@"{field} must not contain an unpaired UTF-16 surrogate (\ud800-\udfff)",
        Problem.InvalidUtf8 => $"{field} must be valid UTF-8",
        Problem.Number => $"{field} holds a number PostgreSQL can't store (at most {MaxIntegerDigits} digits before the decimal point and {MaxFractionDigits} after it)",
        _ => $"{field} nests deeper than {MaxDepth} levels",
    };

    private static Problem ProblemIn(JsonElement json, int depth)
    {
        if (depth > MaxDepth)
        {
            return Problem.TooDeep;
        }

        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    var problem = TextProblem(JsonMarshal.GetRawUtf8PropertyName(property));
                    if (problem == Problem.None)
                    {
                        problem = ProblemIn(property.Value, depth + 1);
                    }

                    if (problem != Problem.None)
                    {
                        return problem;
                    }
                }

                return Problem.None;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    if (ProblemIn(item, depth + 1) is var problem and not Problem.None)
                    {
                        return problem;
                    }
                }

                return Problem.None;
            case JsonValueKind.String:
                return TextProblem(JsonMarshal.GetRawUtf8Value(json));
            case JsonValueKind.Number:
                return NumericHolds(JsonMarshal.GetRawUtf8Value(json)) ? Problem.None : Problem.Number;
            default:
                return Problem.None;
        }
    }

    /// <summary>
    /// Checks a JSON string as written: the reader has checked its escapes' syntax but neither the UTF-8 around them nor
    /// what a <c>\uXXXX</c> escape spells.
    /// </summary>
    private static Problem TextProblem(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw))
        {
            return Problem.InvalidUtf8;
        }

        for (var escape = raw.IndexOf((byte)'\\'); escape >= 0; escape = raw.IndexOf((byte)'\\'))
        {
            raw = raw[escape..];
            if (raw[1] != 'u')
            {
                raw = raw[2..];
                continue;
            }

            var unit = CodeUnit(raw);
            if (unit == 0)
            {
                return Problem.Nul;
            }

            if (char.IsLowSurrogate(unit)
                || (char.IsHighSurrogate(unit) && (raw.Length < 12 || raw[6] != '\\' || raw[7] != 'u' || !char.IsLowSurrogate(CodeUnit(raw[6..])))))
            {
                return Problem.UnpairedSurrogate;
            }

            raw = raw[(char.IsHighSurrogate(unit) ? 12 : 6)..];
        }

        return Problem.None;
    }

    /// <summary>The UTF-16 code unit a <c>\uXXXX</c> escape at the start of <paramref name="escape"/> spells.</summary>
    private static char CodeUnit(ReadOnlySpan<byte> escape) =>
        (char)ushort.Parse(escape.Slice(2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Whether numeric holds a JSON number: counts its digits before and after the point once the exponent is applied.</summary>
    private static bool NumericHolds(ReadOnlySpan<byte> raw)
    {
        var e = raw.IndexOfAny((byte)'e', (byte)'E');
        if (e < 0 && raw.Length <= MaxFractionDigits)
        {
            return true;
        }

        long exponent = 0;
        if (e >= 0 && (!long.TryParse(raw[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                       || exponent is >= MaxExponent or <= -MaxExponent))
        {
            return false;
        }

        var mantissa = e < 0 ? raw : raw[..e];
        mantissa = mantissa[0] == '-' ? mantissa[1..] : mantissa;
        var point = mantissa.IndexOf((byte)'.');
        var integer = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? [] : mantissa[(point + 1)..];
        if (fraction.Length - exponent > MaxFractionDigits)
        {
            return false;
        }

        var significantInteger = integer.IndexOfAnyExcept((byte)'0');
        var significantFraction = fraction.IndexOfAnyExcept((byte)'0');
        var digitsBeforePoint = significantInteger >= 0 ? integer.Length - significantInteger + exponent
            : significantFraction >= 0 ? exponent - significantFraction
            : 0;
        return digitsBeforePoint <= MaxIntegerDigits;
    }
}
