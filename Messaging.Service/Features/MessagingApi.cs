using Chat.Messaging.Features.Conversations;
using Chat.Messaging.Features.Messages;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults.Identity;

namespace Chat.Messaging.Features;

public static class MessagingApi
{
    /// <summary>Chat21's message and conversation routes, every one scoped to the caller's app.</summary>
    public static IEndpointRouteBuilder MapMessagingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/{app_id}")
            .WithTags("Messaging")
            .AddEndpointFilter<CallerAppFilter>();
        SendMessage.Map(api);
        DeleteConversation.Map(api);
        MarkConversationRead.Map(api);
        StreamEvents.Map(api);

        var conversations = api.MapGroup("/{user_id}/conversations");
        ListConversations.Map(conversations);
        GetConversation.Map(conversations);
        ListConversationMessages.Map(conversations);
        return app;
    }
}
