using Chat.Gateway.Errors;
using Chat.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Gateway.Forwarding;

/// <summary>
/// Forwards one request to its route's cluster and streams the answer back, following YARP's rules
/// (SPEC §4.4): both bodies streamed, hop-by-hop headers dropped, X-Forwarded-* set, a request the service
/// refused to connect for sent to the cluster's next instance, 502 when the service can't be reached, 504
/// when it stays silent past the route's timeout, the client connection aborted
/// (never ended cleanly) when a started response breaks, the service's request canceled when the
/// client goes away.
/// </summary>
internal sealed class HttpForwarder(HttpMessageInvoker invoker, ILogger<HttpForwarder> logger)
{
    /// <param name="identity">The signed identity headers sent instead of any <c>X-Chat-*</c> header from the client.</param>
    public async Task ForwardAsync(HttpContext context, GatewayRoute route, KeyValuePair<string, string>[] identity)
    {
        if (route.MaxRequestBodySize is { } limit && !LimitRequestBody(context, limit))
        {
            await route.Dialect.WriteAsync(context, GatewayError.PayloadTooLarge);
            return;
        }

        var cancellation = ForwardingCancellation.Rent(route.Timeout, context.RequestAborted);
        var destination = route.Cluster.NextDestination();
        var message = CreateRequest(context, destination, identity, cancellation);
        HttpResponseMessage? upstream = null;
        try
        {
            for (var attempt = 1; upstream is null; attempt++)
            {
                try
                {
                    upstream = await invoker.SendAsync(message, cancellation.Token);
                }
                catch (Exception exception)
                {
                    var refused = exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
                    if (refused)
                    {
                        route.Cluster.ReportUnreachable(destination);
                    }

                    // A refused request reached no service and, unless its body began to be read, can go to another instance.
                    if (!refused || attempt >= route.Cluster.Count || message.Content is StreamingRequestContent { Started: true })
                    {
                        await ReportSendFailureAsync(context, route, message.Content as StreamingRequestContent, cancellation, exception);
                        return;
                    }

                    destination = route.Cluster.NextDestination();
                    message.Dispose();
                    message = CreateRequest(context, destination, identity, cancellation);
                }
            }

            await ForwardResponseAsync(context, route, upstream, cancellation);
        }
        finally
        {
            upstream?.Dispose();
            message.Dispose();
            cancellation.Return();
        }
    }

    /// <summary>False when the declared length is already over the limit; otherwise Kestrel enforces it while streaming.</summary>
    private static bool LimitRequestBody(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return false;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return true;
    }

    private static HttpRequestMessage CreateRequest(
        HttpContext context, Destination destination, KeyValuePair<string, string>[] identity, ForwardingCancellation cancellation)
    {
        var request = context.Request;
        var message = new HttpRequestMessage
        {
            Method = HttpMethod.Parse(request.Method),
            RequestUri = new Uri(
                string.Concat(destination.BaseAddress, request.Path.ToUriComponent(), request.QueryString.Value),
                UriKind.Absolute),
            Version = destination.Version,
            VersionPolicy = destination.VersionPolicy,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0)
        {
            message.Content = new StreamingRequestContent(request, cancellation);
        }

        RequestHeaders.Copy(context, message, identity);
        return message;
    }

    private async Task ReportSendFailureAsync(
        HttpContext context,
        GatewayRoute route,
        StreamingRequestContent? content,
        ForwardingCancellation cancellation,
        Exception exception)
    {
        if (cancellation.ClientAborted)
        {
            // The client left; nobody is there to answer. The service's request was canceled with it.
            return;
        }

        var error = content?.Failure switch
        {
            RequestBodyFailure.Client when content.FailureException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                => GatewayError.PayloadTooLarge,
            RequestBodyFailure.Client => GatewayError.BadRequest,
            _ when cancellation.TimedOut || exception is OperationCanceledException => GatewayError.GatewayTimeout,
            _ => GatewayError.BadGateway,
        };
        if (error is GatewayError.BadGateway or GatewayError.GatewayTimeout)
        {
            ForwarderLog.SendFailed(logger, route.Id, route.Cluster.Id, error.StatusCode(), exception);
        }

        await route.Dialect.WriteAsync(context, error);
    }

    private async Task ForwardResponseAsync(
        HttpContext context, GatewayRoute route, HttpResponseMessage upstream, ForwardingCancellation cancellation)
    {
        var response = context.Response;
        ResponseHeaders.Copy(upstream, response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Once headers arrived only silence ends the exchange: a stream may last as long as it keeps talking.
        cancellation.Restart(route.IdleTimeout);
        Stream source;
        try
        {
            source = await upstream.Content.ReadAsStreamAsync(cancellation.Token);
        }
        catch (Exception exception)
        {
            await BreakAsync(context, route, cancellation, CopyResult.ServiceFailed, exception);
            return;
        }

        var result = await ResponseBodyCopier.CopyAsync(source, response, cancellation);
        if (result != CopyResult.Completed)
        {
            await BreakAsync(context, route, cancellation, result, null);
        }
    }

    /// <summary>
    /// A response that can't be completed: before anything was sent the client still gets a 502/504;
    /// after, the connection is aborted so the client sees a broken response, never a truncated "success".
    /// </summary>
    private async Task BreakAsync(
        HttpContext context, GatewayRoute route, ForwardingCancellation cancellation, CopyResult result, Exception? exception)
    {
        if (result == CopyResult.ServiceFailed)
        {
            ForwarderLog.ResponseBroken(logger, route.Id, route.Cluster.Id, cancellation.TimedOut, exception);
        }

        if (result == CopyResult.ServiceFailed && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await route.Dialect.WriteAsync(context, cancellation.TimedOut ? GatewayError.GatewayTimeout : GatewayError.BadGateway);
            return;
        }

        context.Abort();
    }
}

internal static partial class ForwarderLog
{
    [LoggerMessage(1, LogLevel.Warning, "Route {RouteId}: forwarding to cluster {ClusterId} failed, answered {StatusCode}")]
    public static partial void SendFailed(ILogger logger, string routeId, string clusterId, int statusCode, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Route {RouteId}: the response from cluster {ClusterId} broke off (timed out: {TimedOut})")]
    public static partial void ResponseBroken(ILogger logger, string routeId, string clusterId, bool timedOut, Exception? exception);
}
