using Chat.AppHost.Hosting;

namespace Chat.AppHost.Modes;

/// <summary><c>dotnet run --project AppHost</c>: the whole suite, until Ctrl+C.</summary>
internal static class RunMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);
        ChatSuite.Define(builder);
        await using var app = builder.Build();
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (DistributedApplicationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
