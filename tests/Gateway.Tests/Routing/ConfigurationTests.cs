using Chat.Gateway.Tests.Infrastructure;

namespace Chat.Gateway.Tests.Routing;

public class ConfigurationTests
{
    [Theory]
    [InlineData("ReverseProxy:Routes:chat21-group:Dialect", "chat-21", "Dialect 'chat-21'")]
    [InlineData("ReverseProxy:Routes:chat21-group:Auth:0", "password", "unknown token kinds: password")]
    [InlineData("ReverseProxy:Routes:chat21-group:ClusterId", "nowhere", "ClusterId 'nowhere'")]
    [InlineData("ReverseProxy:Routes:chat21-group:Match:Path", "/api/{app_id:int}", "plain name")]
    [InlineData("ReverseProxy:Routes:chat21-group:Timeout", "00:00:00", "Timeout must be a positive duration")]
    [InlineData("Identity:SigningKey", "", "Identity:SigningKey is required")]
    [InlineData("Apps:Default:JwtSecret", "short", "at least 16 bytes")]
    [InlineData("Apps:Tenants:auth:JwtSecret", "0123456789abcdef0123", "not a valid app id")]
    public async Task A_configuration_mistake_stops_the_gateway_at_startup(string key, string value, string message)
    {
        var failure = await Record.ExceptionAsync(() => GatewayHost.StartAsync(settings => settings[key] = value));

        Assert.NotNull(failure);
        Assert.Contains(message, failure.ToString(), StringComparison.Ordinal);
    }
}
