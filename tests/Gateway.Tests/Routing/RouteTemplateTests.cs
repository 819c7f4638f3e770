using Chat.Gateway.Routing;

namespace Chat.Gateway.Tests.Routing;

public class RouteTemplateTests
{
    [Theory]
    [InlineData("/api/{app_id}/groups", "/api/default/groups", "default")]
    [InlineData("/api/{app_id}/groups", "/api/default/groups/", "default")]
    [InlineData("/api/{app_id}/groups", "/API/default/Groups", "default")]
    [InlineData("/api/{app_id}/groups/{**rest}", "/api/app-1_x/groups/g1/members/u2", "app-1_x")]
    [InlineData("/api/{app_id}/groups/{**rest}", "/api/default/groups", "default")]
    [InlineData("/api/{app_id}/{**rest}", "/api/default", "default")]
    [InlineData("/v1/{**rest}", "/v1", "")]
    [InlineData("/v1/embeddings", "/v1/embeddings", "")]
    public void Matches_and_captures_the_app(string template, string path, string appId)
    {
        Assert.True(RouteTemplate.Parse(template).TryMatch(path, out var captured, out _));
        Assert.Equal(appId, captured.ToString());
    }

    [Theory]
    [InlineData("/api/{app_id}/groups", "/api/default/groups/g1")]
    [InlineData("/api/{app_id}/groups", "/api/default")]
    [InlineData("/api/{app_id}/groups", "/api//groups")]
    [InlineData("/api/{app_id}/groups", "/api/Default/groups")]
    [InlineData("/api/{app_id}/groups", "/api/-bad/groups")]
    [InlineData("/api/{app_id}/{**rest}", "/api/")]
    [InlineData("/v1/embeddings", "/v1/embeddings/x")]
    [InlineData("/v1/embeddings", "/")]
    public void Does_not_match(string template, string path) =>
        Assert.False(RouteTemplate.Parse(template).TryMatch(path, out _, out _));

    [Theory]
    [InlineData("auth")]
    [InlineData("conversations")]
    [InlineData("messages")]
    [InlineData("tools")]
    public void Reserved_app_ids_never_match_an_app_id_parameter(string reserved)
    {
        var template = RouteTemplate.Parse("/api/{app_id}/{**rest}");
        Assert.False(template.TryMatch($"/api/{reserved}", out _, out _));
        Assert.False(template.TryMatch($"/api/{reserved}/x/y", out _, out _));
    }

    [Fact]
    public void Captures_org_and_app_of_an_easemob_path()
    {
        Assert.True(RouteTemplate.Parse("/{org_name}/{app_id}/{**rest}").TryMatch("/acme/shop/robot/rule", out var app, out var org));
        Assert.Equal("shop", app.ToString());
        Assert.Equal("acme", org.ToString());
    }

    [Fact]
    public void An_org_name_never_matches_another_api_familys_prefix()
    {
        var template = RouteTemplate.Parse("/{org_name}/{app_id}/{**rest}", ["api", "v1"]);
        Assert.False(template.TryMatch("/api/default/groups", out _, out _));
        Assert.False(template.TryMatch("/V1/default/x", out _, out _));
        Assert.True(template.TryMatch("/acme/default/robot/rule", out _, out _));
    }

    [Theory]
    [InlineData("api/{app_id}")]
    [InlineData("/api/{app_id:int}")]
    [InlineData("/api/{**rest}/x")]
    [InlineData("/api/x{id}")]
    [InlineData("/api//x")]
    public void Rejects_templates_it_cannot_compile(string template) =>
        Assert.Throws<FormatException>(() => RouteTemplate.Parse(template));
}
