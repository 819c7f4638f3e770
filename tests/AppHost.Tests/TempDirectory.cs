namespace Chat.AppHost.Tests;

/// <summary>A fresh folder under the system temp directory, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("apphost-tests-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was just stopped may still be closing files; the OS temp cleaner gets the rest.
        }
    }
}
