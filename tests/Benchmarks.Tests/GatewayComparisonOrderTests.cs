using Chat.Benchmarks.Scenarios;

namespace Chat.Benchmarks.Tests;

public sealed class GatewayComparisonOrderTests
{
    private const int Targets = 3;

    [Fact]
    public void The_default_rounds_take_every_order_of_the_targets_once()
    {
        var orders = Enumerable.Range(0, GatewayComparison.DefaultRounds).Select(Order).ToList();

        Assert.All(orders, order => Assert.Equal([0, 1, 2], order.Order()));
        Assert.Equal(6, orders.Select(order => string.Join(',', order)).Distinct().Count());
    }

    [Fact]
    public void Over_the_default_rounds_each_target_follows_each_other_target_equally_often_within_a_round()
    {
        var followings = Enumerable.Range(0, GatewayComparison.DefaultRounds)
            .Select(Order)
            .SelectMany(order => order.Zip(order.Skip(1), (before, after) => (before, after)))
            .CountBy(pair => pair)
            .ToDictionary();

        Assert.Equal(Targets * (Targets - 1), followings.Count);
        Assert.All(followings.Values, count => Assert.Equal(2, count));
    }

    [Fact]
    public void The_first_round_takes_direct_then_gateway_then_nginx()
    {
        Assert.Equal([0, 1, 2], Order(0));
    }

    private static int[] Order(int round) =>
        [.. Enumerable.Range(0, Targets).Select(turn => GatewayComparison.TargetOf(round, turn, Targets))];
}
