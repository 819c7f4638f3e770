namespace Chat.Messaging.Features.Messages;

/// <summary>Chat21's message status codes.</summary>
public static class MessageStatus
{
    public const int Failed = -100;
    public const int Sending = 0;
    public const int Sent = 100;
    public const int Delivered = 150;
    public const int Received = 200;
    public const int ReturnReceipt = 250;
    public const int Seen = 300;
}

/// <summary>Chat21's message types and channel types.</summary>
public static class MessageKind
{
    public const string Text = "text";
    public const string Image = "image";
    public const string Direct = "direct";
    public const string Group = "group";
}
