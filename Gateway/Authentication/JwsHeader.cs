using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Chat.Gateway.Authentication;

/// <summary>
/// Looks at a token's shape and JOSE header before the token library does, so that only compact JWS
/// tokens signed with HS256 ever reach it: no JWE (5 parts), no <c>none</c>, no other algorithm, no
/// extensions we would have to understand (<c>crit</c>, <c>zip</c>, <c>enc</c>).
/// </summary>
internal static class JwsHeader
{
    public const int MaxTokenLength = 4096;
    private const int MaxHeaderLength = 512;

    /// <summary>Whether the credential is shaped like a JWT at all (has a dot); other token kinds have none.</summary>
    public static bool LooksLikeJwt(ReadOnlySpan<char> credential) => credential.Contains('.');

    public static bool IsCompactHs256(string token)
    {
        if (token.Length > MaxTokenLength || token.AsSpan().Count('.') != 2)
        {
            return false;
        }

        var encodedHeader = token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal));
        if (encodedHeader.IsEmpty || encodedHeader.Length > MaxHeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[Base64Url.GetMaxDecodedLength(encodedHeader.Length)];
        // OperationStatus, not TryDecodeFromChars: that one throws on malformed input.
        if (Base64Url.DecodeFromChars(encodedHeader, header, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        return DeclaresOnlyHs256(header[..written]);
    }

    private static bool DeclaresOnlyHs256(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        var algorithms = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    algorithms++;
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("HS256"u8))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("crit"u8) || reader.ValueTextEquals("zip"u8) || reader.ValueTextEquals("enc"u8))
                {
                    return false;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && algorithms == 1;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
