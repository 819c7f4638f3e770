using System.Text;
using Chat.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace Chat.ServiceDefaults.Tests;

public sealed class IdentityHeadersTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("unit-test-key");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static HeaderDictionary Signed(CallerIdentity caller)
    {
        var headers = new HeaderDictionary();
        IdentityHeaders.Write(headers, caller, Key, Now);
        return headers;
    }

    [Fact]
    public void A_signed_identity_reads_back_including_a_non_ascii_name()
    {
        var caller = new CallerIdentity("default", "u1", "张三", [Role.Admin, Role.User], TokenKind.Jwt);

        var read = IdentityHeaders.Read(Signed(caller), Key, Now.AddSeconds(30));

        Assert.NotNull(read);
        Assert.Equal(("default", "u1", "张三", "jwt"), (read.AppId, read.UserId, read.UserName, read.TokenKind));
        Assert.Equal([Role.Admin, Role.User], read.Roles);
        Assert.True(read.IsAdmin);
    }

    [Theory]
    [InlineData(IdentityHeaders.User, "someone-else")]
    [InlineData(IdentityHeaders.App, "other")]
    [InlineData(IdentityHeaders.Roles, "admin")]
    [InlineData(IdentityHeaders.Timestamp, "1800000001")]
    [InlineData(IdentityHeaders.Signature, "AAAA")]
    public void Any_tampered_header_is_refused(string header, string value)
    {
        var headers = Signed(new CallerIdentity("default", "u1", null, [Role.User], TokenKind.Jwt));
        headers[header] = value;

        Assert.Null(IdentityHeaders.Read(headers, Key, Now));
    }

    [Fact]
    public void A_stale_or_wrongly_keyed_signature_is_refused()
    {
        var headers = Signed(new CallerIdentity("default", "u1", null, [], TokenKind.Jwt));

        Assert.Null(IdentityHeaders.Read(headers, Key, Now + IdentityHeaders.MaxAge + TimeSpan.FromSeconds(1)));
        Assert.Null(IdentityHeaders.Read(headers, Encoding.UTF8.GetBytes("other-key"), Now));
        Assert.Null(IdentityHeaders.Read(new HeaderDictionary(), Key, Now));
    }

    [Theory]
    [InlineData("1800000000000")]
    [InlineData("253402300800")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999")]
    [InlineData("-1800000000")]
    [InlineData("1.8e9")]
    public void A_timestamp_in_milliseconds_or_out_of_range_is_refused(string timestamp)
    {
        var headers = Signed(new CallerIdentity("default", "u1", null, [Role.User], TokenKind.Jwt));
        headers[IdentityHeaders.Timestamp] = timestamp;

        Assert.Null(IdentityHeaders.Read(headers, Key, Now));
    }

    [Fact]
    public void Strip_removes_every_x_chat_header_whatever_its_case()
    {
        var headers = new HeaderDictionary { ["x-chat-user"] = "admin", ["X-CHAT-APP"] = "a", ["X-Other"] = "keep" };

        IdentityHeaders.Strip(headers);

        Assert.Equal(["X-Other"], headers.Keys.ToArray());
    }
}
