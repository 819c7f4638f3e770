using Chat.AppHost.Hosting;

namespace Chat.AppHost.Tests.Hosting;

public sealed class ReplicaTests
{
    [Fact]
    public async Task Replicas_share_one_endpoint_and_a_killed_replica_is_restarted()
    {
        using var data = new TempDirectory();
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DataDirectory = data.Path });
        builder.AddProbeService("backend").WithReplicas(2);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitForResourceHealthyAsync("backend").WaitAsync(TimeSpan.FromSeconds(30));

        var endpoint = app.GetEndpoint("backend");
        var answering = new HashSet<int>();
        for (var i = 0; i < 6; i++)
        {
            answering.Add(await ProbeServices.ProcessIdAtAsync(endpoint));
        }

        var before = app.ResourceNotifications.GetSnapshot("backend");
        Assert.Equal(before.ProcessIds.Order(), answering.Order());
        Assert.NotEqual(endpoint, app.GetEndpoint("backend", 0));

        var killed = before.Replicas[0].ProcessId!.Value;
        await app.KillReplicaAsync("backend", 0);
        Assert.False(ProcessTable.IsAlive(killed));
        Assert.Equal(1, app.ResourceNotifications.GetSnapshot("backend").Restarts);
        Assert.NotEqual(killed, await ProbeServices.ProcessIdAtAsync(endpoint));

        await app.WaitForResourceHealthyAsync("backend").WaitAsync(TimeSpan.FromSeconds(30));
        var after = app.ResourceNotifications.GetSnapshot("backend");
        Assert.Equal(1, after.Replicas[0].Restarts);
        Assert.Equal(137, after.Replicas[0].LastExitCode);
        Assert.NotEqual(killed, after.Replicas[0].ProcessId);
        Assert.Equal(after.Replicas[0].ProcessId, await ProbeServices.ProcessIdAtAsync(app.GetEndpoint("backend", 0)));
    }

    [Fact]
    public async Task A_project_that_was_never_built_fails_to_start_and_so_does_what_waits_for_it()
    {
        using var repository = new TempDirectory();
        await File.WriteAllTextAsync(repository.Sub("Chat.sln"), string.Empty);
        Directory.CreateDirectory(repository.Sub("Unbuilt"));
        await File.WriteAllTextAsync(repository.Sub("Unbuilt/Unbuilt.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />");

        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { RepositoryRoot = repository.Path });
        var unbuilt = builder.AddProject("unbuilt", "Unbuilt");
        builder.AddProbeService("dependent").WithReference(unbuilt).WaitFor(unbuilt);
        await using var app = builder.Build();
        await app.StartAsync();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.WaitForResourceHealthyAsync("dependent").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("unbuilt", error.Message);
        var snapshot = app.ResourceNotifications.GetSnapshot("unbuilt");
        Assert.Equal(ResourceState.FailedToStart, snapshot.State);
        Assert.Contains(Path.Combine("Unbuilt", "bin", "Debug", "net10.0", "Unbuilt.dll"), snapshot.Error);
    }
}
