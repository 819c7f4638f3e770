using Chat.Gateway;
using Chat.ServiceDefaults;

SocketEventLoops.Apply();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGateway();
app.Run();

public partial class Program;
