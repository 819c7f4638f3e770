namespace Chat.AppHost.Hosting;

/// <summary>
/// The current snapshot of every resource and a signal on each change: the status view and
/// dashboard read it, and <see cref="WaitForResourceHealthyAsync"/> gates dependents on it.
/// </summary>
public sealed class ResourceNotificationService
{
    private readonly Dictionary<string, Func<ResourceSnapshot>> sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> order = [];
    private TaskCompletionSource changed = NewSignal();

    /// <summary>Raised after any resource changed state (on the thread that changed it).</summary>
    public event Action? Changed;

    public IReadOnlyList<ResourceSnapshot> GetSnapshots() => order.Select(name => sources[name]()).ToArray();

    public ResourceSnapshot GetSnapshot(string resourceName) =>
        sources.TryGetValue(resourceName, out var source)
            ? source()
            : throw new KeyNotFoundException($"There is no resource named '{resourceName}'.");

    /// <summary>Completes when the resource is healthy; throws when it failed to start for good.</summary>
    public async Task WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = Volatile.Read(ref changed).Task;
            var snapshot = GetSnapshot(resourceName);
            switch (snapshot.State)
            {
                case ResourceState.Healthy:
                    return;
                case ResourceState.FailedToStart:
                    throw new DistributedApplicationException($"Resource '{resourceName}' failed to start: {snapshot.Error}");
                default:
                    await signal.WaitAsync(cancellationToken);
                    break;
            }
        }
    }

    internal void Register(string resourceName, Func<ResourceSnapshot> source)
    {
        sources.Add(resourceName, source);
        order.Add(resourceName);
    }

    internal void NotifyChanged()
    {
        Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();
        Changed?.Invoke();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
