using Chat.Gateway.Forwarding;

namespace Chat.Gateway.Tests.Forwarding;

public class HopByHopHeadersTests
{
    [Theory]
    [InlineData("Connection")]
    [InlineData("keep-alive")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Upgrade")]
    [InlineData("Proxy-Authorization")]
    [InlineData("proxy-connection")]
    [InlineData("Proxy-Anything")]
    public void Standard_and_proxy_headers_are_hop_by_hop(string name) => Assert.True(HopByHopHeaders.IsHopByHop(name));

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Authorization")]
    [InlineData("X-Proxy-Id")]
    public void Message_headers_are_not(string name) => Assert.False(HopByHopHeaders.IsHopByHop(name));

    [Fact]
    public void Headers_named_by_connection_are_hop_by_hop()
    {
        var connection = HopByHopHeaders.ExtraConnectionTokens("keep-alive, X-Hop-Secret");
        Assert.NotNull(connection);
        Assert.True(HopByHopHeaders.IsListedIn(connection, "x-hop-secret"));
        Assert.False(HopByHopHeaders.IsListedIn(connection, "X-Hop"));
        Assert.Null(HopByHopHeaders.ExtraConnectionTokens("keep-alive"));
        Assert.Null(HopByHopHeaders.ExtraConnectionTokens("close, Upgrade"));
    }
}
