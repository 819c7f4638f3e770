using System.Text;
using System.Text.Json;
using Chat.Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Gateway.Tests.Errors;

public class ErrorDialectTests
{
    [Theory]
    [InlineData("chat21", "PayloadTooLarge", 413, """{"success":false,"err":"Request body too large"}""")]
    [InlineData("chat21", "BadGateway", 502, """{"success":false,"err":"Service unavailable"}""")]
    [InlineData("chat21", "GatewayTimeout", 504, """{"success":false,"err":"Service timed out"}""")]
    [InlineData("ai-chat", "MissingToken", 401, """{"success":false,"message":"Missing authorization token"}""")]
    [InlineData("ai-chat", "NotFound", 404, """{"success":false,"message":"Not found"}""")]
    [InlineData("dathor", "MissingToken", 401, """{"error":{"message":"Missing bearer authentication in header","type":"invalid_request_error","param":null,"code":null}}""")]
    [InlineData("dathor", "TokenExpired", 401, """{"error":{"message":"Invalid token","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""")]
    [InlineData("dathor", "PayloadTooLarge", 413, """{"error":"Request body too large"}""")]
    [InlineData("openai", "InvalidToken", 401, """{"error":{"message":"Invalid token","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""")]
    [InlineData("openai", "GatewayTimeout", 504, """{"error":{"message":"Service timed out","type":"server_error","param":null,"code":null}}""")]
    public async Task Each_dialect_writes_its_own_shape(string dialect, string error, int status, string body)
    {
        var (actualStatus, actualBody) = await WriteAsync(dialect, error);

        Assert.Equal(status, actualStatus);
        Assert.Equal(body, actualBody);
    }

    [Theory]
    [InlineData("InvalidToken", 401, "unauthorized", "Unable to authenticate (OAuth)", "EasemobSecurityException")]
    [InlineData("NotFound", 404, "service_resource_not_found", "Service resource not found", "ServiceResourceNotFoundException")]
    [InlineData("BadRequest", 400, "illegal_argument", "Request param error", "IllegalArgumentException")]
    [InlineData("BadGateway", 502, "service_unavailable", "Service unavailable", "ServiceUnavailableException")]
    public async Task Easemob_errors_carry_code_description_exception_and_time(
        string error, int status, string code, string description, string exception)
    {
        var (actualStatus, body) = await WriteAsync("easemob", error);

        Assert.Equal(status, actualStatus);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(code, root.GetProperty("error").GetString());
        Assert.Equal(description, root.GetProperty("error_description").GetString());
        Assert.Equal(exception, root.GetProperty("exception").GetString());
        Assert.Equal(0, root.GetProperty("duration").GetInt32());
        Assert.InRange(root.GetProperty("timestamp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Unknown_dialect_names_are_not_guessed() => Assert.Null(ErrorDialect.Find("Chat21"));

    private static async Task<(int Status, string Body)> WriteAsync(string dialect, string error)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton(TimeProvider.System).BuildServiceProvider(),
        };
        var body = new MemoryStream();
        context.Response.Body = body;

        await ErrorDialect.Find(dialect)!.WriteAsync(context, Enum.Parse<GatewayError>(error));

        Assert.StartsWith("application/json", context.Response.ContentType);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }
}
