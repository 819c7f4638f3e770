using Chat.ServiceDefaults.Errors;
using Chat.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;

namespace Chat.ServiceDefaults.Dialects;

/// <summary>
/// Chat21's HTTP envelope, as its own server answers: reads <c>{"success":true,"result":...}</c>,
/// writes <c>{"success":true,...}</c>, errors <c>{"success":false,"err":"..."}</c>.
/// </summary>
public static class Chat21
{
    public static IResult Result<T>(T result) => JsonBody.Ok(new Chat21Result<T>(true, result));

    public static IResult Success() => JsonBody.Ok(new Chat21Success(true));

    public static IResult Error(int statusCode, string message) =>
        JsonBody.Status(statusCode, new Chat21Error(false, message));

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static IResult Forbidden(string message) => Error(StatusCodes.Status403Forbidden, message);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);
}

public sealed record Chat21Result<T>(bool Success, T Result);

public sealed record Chat21Success(bool Success);

public sealed record Chat21Error(bool Success, string Err);

/// <summary>Errors raised outside a handler (bad JSON, crashes) in Chat21's shape.</summary>
public sealed class Chat21ErrorWriter : IErrorResponseWriter
{
    public Task WriteAsync(HttpContext context, int statusCode, string message) =>
        JsonBody.Status(statusCode, new Chat21Error(false, message)).ExecuteAsync(context);
}
