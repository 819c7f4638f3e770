using Chat.Messaging.Consumers;
using Chat.Messaging.Features;
using Chat.Messaging.Features.Messages;
using Chat.Messaging.Features.Realtime;
using Chat.ServiceDefaults;
using Chat.ServiceDefaults.Data;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Errors;
using Chat.ServiceDefaults.Messaging;
using MassTransit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase("messagingdb", typeof(Program).Assembly);
builder.AddServiceBus(bus =>
{
    bus.AddPostingConsumer<GroupCreatedConsumer>();
    bus.AddPostingConsumer<GroupMembersChangedConsumer>();
    bus.AddPostingConsumer<GroupUpdatedConsumer>();
    bus.AddPostingConsumer<BotReplyReadyConsumer>();
    bus.AddConsumer<GroupDeletedConsumer>();
});
builder.Services.AddSingleton<IErrorResponseWriter, Chat21ErrorWriter>();
builder.Services.AddSingleton<SenderRateLimiter>();
builder.Services.AddSingleton<FeedRelay>();
builder.Services.AddSingleton<DirectMessageWriter>();
builder.Services.AddSingleton<GroupMessageWriter>();
builder.Services.AddSingleton<SharedPosting>();
builder.Services.Configure<MessagingOptions>(builder.Configuration.GetSection(MessagingOptions.Section));
builder.Services.Configure<RealtimeOptions>(builder.Configuration.GetSection(RealtimeOptions.Section));
builder.Services.AddHostedService<FeedRetention>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseVerifiedIdentity();
app.MapMessagingApi();
app.Run();

public partial class Program;
