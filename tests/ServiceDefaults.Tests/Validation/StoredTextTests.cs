using System.Text.Json;
using Chat.ServiceDefaults.Validation;
using Chat.TestInfrastructure;
using Npgsql;

namespace Chat.ServiceDefaults.Tests.Validation;

public sealed class StoredTextTests
{
    [Theory]
    [InlineData("1e131071")]
    [InlineData("1e131072")]
    [InlineData("-9.9e131071")]
    [InlineData("0.5e131072")]
    [InlineData("0.05e131073")]
    [InlineData("1e-16383")]
    [InlineData("1e-16384")]
    [InlineData("0.5e-16383")]
    [InlineData("1.00e-16382")]
    [InlineData("100e-16385")]
    [InlineData("0e-16383")]
    [InlineData("0e-16384")]
    [InlineData("0e1000000")]
    [InlineData("0E+1073741822")]
    [InlineData("0e1073741823")]
    [InlineData("-0e-1073741823")]
    [InlineData("1e99999999999999999999")]
    [InlineData("1e1000000")]
    [InlineData("-1e1000000")]
    [InlineData("1e-1000000")]
    [InlineData("12.5")]
    public async Task A_number_is_refused_exactly_when_postgresql_jsonb_refuses_it(string number)
    {
        using var json = JsonDocument.Parse($$"""{"n":[{{number}}]}""");

        Assert.Equal(await JsonbAcceptsAsync(json.RootElement.GetRawText()), StoredText.JsonError(json.RootElement, "attributes") is null);
    }

    [Theory]
    [InlineData(131_072, 0)]
    [InlineData(131_073, 0)]
    [InlineData(1, 16_383)]
    [InlineData(1, 16_384)]
    public async Task A_long_number_is_refused_exactly_when_postgresql_jsonb_refuses_it(int integerDigits, int fractionDigits)
    {
        var number = new string('9', integerDigits) + (fractionDigits > 0 ? "." + new string('1', fractionDigits) : "");
        using var json = JsonDocument.Parse($$"""{"n":{{number}}}""");

        Assert.Equal(await JsonbAcceptsAsync(json.RootElement.GetRawText()), StoredText.JsonError(json.RootElement, "attributes") is null);
    }

    [Theory]
    [InlineData("""{"\ud800":1}""", false)]
    [InlineData("""{"k":"\udc00"}""", false)]
    [InlineData("""{"k":["\ud800\ud800"]}""", false)]
    [InlineData("""{"k":"\ud800\\udc00"}""", false)]
    [InlineData("""{"k":"x\u0000"}""", false)]
    [InlineData("""{"\u0000":1}""", false)]
    [InlineData("""{"k":"\ud83d\ude00 \\u0000 \u00e9 \n"}""", true)]
    [InlineData("""{"\ud83d\ude00":"\uD83D\uDE00"}""", true)]
    public async Task Text_is_refused_exactly_when_postgresql_jsonb_refuses_it(string text, bool stored)
    {
        using var json = JsonDocument.Parse(text);

        Assert.Equal(stored, await JsonbAcceptsAsync(text));
        Assert.Equal(stored, StoredText.JsonError(json.RootElement, "attributes") is null);
    }

    [Fact]
    public void A_tree_deeper_than_the_request_reader_allows_is_refused()
    {
        using var deep = JsonDocument.Parse(new string('[', 200) + new string(']', 200), new JsonDocumentOptions { MaxDepth = 256 });
        using var allowed = JsonDocument.Parse(new string('[', StoredText.MaxDepth + 1) + new string(']', StoredText.MaxDepth + 1), new JsonDocumentOptions { MaxDepth = 256 });

        Assert.Equal($"attributes nests deeper than {StoredText.MaxDepth} levels", StoredText.JsonError(deep.RootElement, "attributes"));
        Assert.Null(StoredText.JsonError(allowed.RootElement, "attributes"));
    }

    private static async Task<bool> JsonbAcceptsAsync(string json)
    {
        var servers = await TestServers.GetAsync();
        await using var connection = new NpgsqlConnection(servers.Postgres.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT $1::jsonb IS NOT NULL", connection) { Parameters = { new() { Value = json } } };
        try
        {
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.NumericValueOutOfRange
                                                      or PostgresErrorCodes.InvalidTextRepresentation
                                                      or PostgresErrorCodes.UntranslatableCharacter)
        {
            return false;
        }
    }
}
