namespace Chat.TestInfrastructure;

/// <summary>Waits for something asynchronous (an event consumed, a row written) with a deadline.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time{(because is null ? "" : $": {because}")}; last value: {(value is System.Runtime.CompilerServices.ITuple tuple && tuple.Length > 1 ? tuple[1] : value)}");
            }

            await Task.Delay(50);
        }
    }
}
