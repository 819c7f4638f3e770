using Chat.Groups.Features.Groups;
using Chat.ServiceDefaults;
using Chat.ServiceDefaults.Data;
using Chat.ServiceDefaults.Dialects;
using Chat.ServiceDefaults.Errors;
using Chat.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase("groupsdb", typeof(Program).Assembly);
builder.AddServiceBus();
builder.Services.AddSingleton<IErrorResponseWriter, Chat21ErrorWriter>();
builder.Services.AddSingleton<GroupCreations>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseVerifiedIdentity();
app.MapGroupsApi();
app.Run();

public partial class Program;
