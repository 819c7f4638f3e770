using Chat.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Chat.AppHost.Tests.Hosting;

public sealed class SharedSecretsTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Generated_secrets_are_stored_owner_only_and_read_back_on_the_next_start()
    {
        using var data = new TempDirectory();
        var empty = new ConfigurationBuilder().Build();

        var first = SharedSecrets.LoadOrCreate(empty, data.Path);
        var second = SharedSecrets.LoadOrCreate(empty, data.Path);

        Assert.Equal([SharedSecrets.IdentitySigningKeyName, SharedSecrets.DefaultAppJwtSecretName], first.Generated);
        Assert.Empty(second.Generated);
        Assert.Equal(first.IdentitySigningKey, second.IdentitySigningKey);
        Assert.Equal(first.DefaultAppJwtSecret, second.DefaultAppJwtSecret);
        Assert.NotEqual(first.IdentitySigningKey, first.DefaultAppJwtSecret);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(first.DefaultAppJwtSecret).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.FilePath));
    }

    [Fact]
    public void Configured_secrets_win_and_are_not_written()
    {
        using var data = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SharedSecrets.IdentitySigningKeyName] = "configured-signing-key",
            [SharedSecrets.DefaultAppJwtSecretName] = "configured-jwt-secret",
        }).Build();

        var secrets = SharedSecrets.LoadOrCreate(configuration, data.Path);

        Assert.Equal("configured-signing-key", secrets.IdentitySigningKey);
        Assert.Equal("configured-jwt-secret", secrets.DefaultAppJwtSecret);
        Assert.False(File.Exists(secrets.FilePath));
        Assert.Equal("conf…", SharedSecrets.Preview(secrets.DefaultAppJwtSecret));
    }
}
