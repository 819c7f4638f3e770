namespace Chat.Gateway.Tests.Hosting;

public sealed class SocketEventLoopsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 4)]
    public void There_is_one_event_loop_per_two_cores_and_at_least_one(int cores, int loops) =>
        Assert.Equal(loops, SocketEventLoops.For(cores));

    [Fact]
    public void Inline_completions_and_the_loop_count_are_set_when_the_environment_says_nothing()
    {
        var environment = new Dictionary<string, string>();

        SocketEventLoops.Apply(8, environment.GetValueOrDefault, (name, value) => environment[name] = value);

        Assert.Equal("1", environment[SocketEventLoops.InlineCompletionsVariable]);
        Assert.Equal("4", environment[SocketEventLoops.ThreadCountVariable]);
    }

    [Fact]
    public void An_operators_own_settings_are_kept()
    {
        var environment = new Dictionary<string, string>
        {
            [SocketEventLoops.InlineCompletionsVariable] = "0",
            [SocketEventLoops.ThreadCountVariable] = "3",
        };

        SocketEventLoops.Apply(2, environment.GetValueOrDefault, (name, value) => environment[name] = value);

        Assert.Equal("0", environment[SocketEventLoops.InlineCompletionsVariable]);
        Assert.Equal("3", environment[SocketEventLoops.ThreadCountVariable]);
    }
}
