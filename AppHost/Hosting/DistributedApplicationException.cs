namespace Chat.AppHost.Hosting;

/// <summary>The application could not do what was asked (a resource failed to start, a name is unknown).</summary>
public sealed class DistributedApplicationException : Exception
{
    public DistributedApplicationException()
    {
    }

    public DistributedApplicationException(string message)
        : base(message)
    {
    }

    public DistributedApplicationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
