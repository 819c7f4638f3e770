using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chat.Contracts;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Http;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Messaging.Features.Messages;

/// <summary>
/// <c>POST /api/{app_id}/messages</c>: stores a direct or group message and puts it in every
/// participant's timeline and conversation, with its <see cref="MessageSent"/> event, in one transaction
/// (a direct one through <see cref="DirectMessageWriter"/>, with other direct messages sent at the same time).
/// </summary>
public static class SendMessage
{
    public sealed record Request(
        [property: JsonPropertyName("sender_id")] string? SenderId,
        [property: JsonPropertyName("sender_fullname")] string? SenderFullname,
        [property: JsonPropertyName("recipient_id")] string? RecipientId,
        [property: JsonPropertyName("recipient_fullname")] string? RecipientFullname,
        [property: JsonPropertyName("text")] string? Text,
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("channel_type")] string? ChannelType,
        [property: JsonPropertyName("attributes")] JsonElement? Attributes,
        [property: JsonPropertyName("metadata")] JsonElement? Metadata,
        [property: JsonPropertyName("timestamp")] long? Timestamp);

    public sealed record Response(bool Success, Chat21Message Message);

    internal static void Map(RouteGroupBuilder api) =>
        api.MapPost("/messages", HandleAsync).WithName(nameof(SendMessage));

    private static async Task<IResult> HandleAsync(
        [FromRoute(Name = "app_id")] string appId,
        Request request,
        CallerIdentity caller,
        NpgsqlDataSource dataSource,
        SenderRateLimiter rateLimiter,
        DirectMessageWriter directWriter,
        GroupMessageWriter groupWriter,
        IOptions<MessagingOptions> options,
        HttpResponse httpResponse,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var type = request.Type ?? MessageKind.Text;
        var channelType = request.ChannelType ?? MessageKind.Direct;
        if (InputError(request, type, channelType) is { } inputError)
        {
            return Chat21.BadRequest(inputError);
        }

        if (!caller.IsAdmin && ((request.SenderId is not null && request.SenderId != caller.UserId) || request.Timestamp is not null))
        {
            return Chat21.Forbidden("Only admins can set sender_id or timestamp");
        }

        var sender = request.SenderId ?? caller.UserId;
        if (channelType == MessageKind.Direct && sender == request.RecipientId)
        {
            return Chat21.BadRequest("recipient_id must be another user than the sender");
        }

        var limit = rateLimiter.LimitFor(appId);
        if (await rateLimiter.TryTakeAsync(appId, sender, limit) is { } wait)
        {
            var retryAfter = (long)Math.Ceiling(wait.TotalSeconds);
            httpResponse.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Chat21.Error(StatusCodes.Status429TooManyRequests,
                $"Too many messages: a sender may send {limit.Capacity} at once and {limit.RefillPerMinute} a minute; retry in {retryAfter} s");
        }

        var message = new Chat21Message(
            Guid.CreateVersion7(), sender, request.SenderFullname!, request.RecipientId!, request.RecipientFullname!, request.Text,
            type, channelType, ObjectOrNull(request.Attributes), ObjectOrNull(request.Metadata),
            request.Timestamp ?? clock.GetUtcNow().ToUnixTimeMilliseconds(), MessageStatus.Sent);

        if (channelType == MessageKind.Direct)
        {
            await directWriter.StoreAsync(appId, message);
            return JsonBody.Ok(new Response(true, message));
        }

        var stored = await groupWriter.TryStoreAsync(appId, message, caller.IsAdmin);
        if (!stored && await GroupDirectoryWait.UntilMayPostAsync(
                dataSource, appId, message, caller.IsAdmin, options.Value.GroupMembershipWait, cancellationToken))
        {
            stored = await groupWriter.TryStoreAsync(appId, message, caller.IsAdmin);
        }

        return stored
            ? JsonBody.Ok(new Response(true, message))
            : Chat21.Forbidden("Only members of the group can send messages to it");
    }

    private static string? InputError(Request request, string type, string channelType) =>
        MessageInput.NameError(request.SenderFullname, "sender_fullname")
        ?? (MessageInput.IsValidId(request.RecipientId) ? null : "recipient_id is mandatory")
        ?? MessageInput.NameError(request.RecipientFullname, "recipient_fullname")
        ?? (request.SenderId is null || MessageInput.IsValidId(request.SenderId) ? null : "sender_id is not a valid id")
        ?? (type is MessageKind.Text or MessageKind.Image ? null : "type must be text or image")
        ?? (channelType is MessageKind.Direct or MessageKind.Group ? null : "channel_type must be direct or group")
        ?? MessageInput.TextError(request.Text, type)
        ?? MessageInput.ObjectError(request.Attributes, "attributes")
        ?? MessageInput.ObjectError(request.Metadata, "metadata")
        ?? (type == MessageKind.Image ? MessageInput.ImageError(request.Metadata) : null)
        ?? (request.Timestamp is null or > 0 ? null : "timestamp must be a positive number of milliseconds");

    private static JsonElement? ObjectOrNull(JsonElement? value) => value is { ValueKind: JsonValueKind.Object } ? value : null;
}
