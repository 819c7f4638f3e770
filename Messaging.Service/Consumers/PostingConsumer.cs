using Chat.ServiceDefaults.Messaging;
using MassTransit;

namespace Chat.Messaging.Consumers;

/// <summary>
/// An idempotent consumer that posts messages (group system messages, bot replies). Its work runs in a
/// <see cref="SharedPosting"/> transaction with the other posting consumers' messages of the moment; the event is
/// acknowledged once that transaction has committed.
/// </summary>
public abstract class PostingConsumer<TEvent>(SharedPosting shared) : IConsumer<TEvent>
    where TEvent : class
{
    /// <summary>The inbox's name for this consumer.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public Task Consume(ConsumeContext<TEvent> context)
    {
        var message = context.Message;
        return shared.RunAsync(Inbox.MessageIdOf(context), ConsumerName, posting => HandleAsync(message, posting));
    }

    /// <summary>Applies <paramref name="message"/> through <paramref name="posting"/>'s transaction and posts what it has to say.</summary>
    protected abstract Task HandleAsync(TEvent message, Posting posting);
}
