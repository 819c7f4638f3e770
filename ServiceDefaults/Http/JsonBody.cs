using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chat.ServiceDefaults.Http;

/// <summary>
/// A JSON answer serialized before it is sent, so it goes out with a <c>Content-Length</c> in one write:
/// headers and body in one packet and no chunked terminator after them. <see cref="TypedResults.Ok{TValue}(TValue)"/>
/// streams its JSON chunked instead, which costs the service, the gateway and the client a second send and
/// read for every small answer. Serialized with the application's <see cref="JsonOptions"/>, as TypedResults.
/// </summary>
public sealed class JsonBody<T>(T value, int statusCode = StatusCodes.Status200OK, string? location = null) : IResult
{
    private const string ContentType = "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? JsonSerializerOptions.Web;
        var body = JsonSerializer.SerializeToUtf8Bytes(value, options.GetTypeInfo(typeof(T)));
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        return response.Body.WriteAsync(body, 0, body.Length, httpContext.RequestAborted);
    }
}

/// <summary>Shorthands for <see cref="JsonBody{T}"/>.</summary>
public static class JsonBody
{
    public static JsonBody<T> Ok<T>(T value) => new(value);

    public static JsonBody<T> Created<T>(string location, T value) => new(value, StatusCodes.Status201Created, location);

    public static JsonBody<T> Status<T>(int statusCode, T value) => new(value, statusCode);
}
