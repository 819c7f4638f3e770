using Chat.ServiceDefaults;
using Chat.ServiceDefaults.Data;
using Chat.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase("aibotdb", typeof(Program).Assembly);
builder.AddServiceBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseVerifiedIdentity();
app.Run();

public partial class Program;
