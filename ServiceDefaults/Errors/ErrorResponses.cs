using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.ServiceDefaults.Errors;

/// <summary>
/// Writes an error in the dialect a service's routes speak (Chat21, Dathor, ...). The default
/// writes RFC 7807 problem details.
/// </summary>
public interface IErrorResponseWriter
{
    Task WriteAsync(HttpContext context, int statusCode, string message);
}

internal sealed class ProblemDetailsErrorWriter : IErrorResponseWriter
{
    public Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        return Results.Problem(detail: message, statusCode: statusCode).ExecuteAsync(context);
    }
}

/// <summary>
/// Turns malformed requests (unreadable JSON, bad route values) into a 400 and unexpected failures
/// into a 500, both in the service's dialect; nothing escapes as a dropped connection.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, IErrorResponseWriter writer, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            await writer.WriteAsync(context, exception.StatusCode, BadRequestMessage(exception));
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await writer.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal server error");
        }
    }

    private static string BadRequestMessage(BadHttpRequestException exception) => exception.InnerException switch
    {
        // The reader's reason names what to fix: a value of the wrong type, or text that is not valid Unicode.
        System.Text.Json.JsonException { Path: { } path, InnerException: InvalidOperationException reason } => $"Invalid JSON body at {path}: {reason.Message}",
        System.Text.Json.JsonException => "Invalid JSON body",
        _ => exception.Message,
    };
}

/// <summary>An error answered through the service's <see cref="IErrorResponseWriter"/>, from places that don't know its dialect.</summary>
public sealed class DialectError(int statusCode, string message) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<IErrorResponseWriter>().WriteAsync(httpContext, statusCode, message);
}
