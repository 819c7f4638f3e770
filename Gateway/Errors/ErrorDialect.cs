namespace Chat.Gateway.Errors;

/// <summary>
/// Writes a gateway error the way the API family of the route answers errors (SPEC §4.2), so existing
/// clients of Chat21, Easemob, the AI chat API, Dathor and OpenAI parse it unchanged.
/// </summary>
internal abstract class ErrorDialect
{
    public static readonly ErrorDialect Chat21 = new Chat21Dialect();
    public static readonly ErrorDialect Easemob = new EasemobDialect();
    public static readonly ErrorDialect AiChat = new AiChatDialect();
    public static readonly ErrorDialect Dathor = new DathorDialect();
    public static readonly ErrorDialect OpenAi = new OpenAiDialect();

    public static ErrorDialect? Find(string? name) => name switch
    {
        "chat21" => Chat21,
        "easemob" => Easemob,
        "ai-chat" => AiChat,
        "dathor" => Dathor,
        "openai" => OpenAi,
        _ => null,
    };

    public Task WriteAsync(HttpContext context, GatewayError error)
    {
        var response = context.Response;
        response.StatusCode = error.StatusCode();
        response.Headers.CacheControl = "no-store";
        return WriteBodyAsync(context, error);
    }

    protected abstract Task WriteBodyAsync(HttpContext context, GatewayError error);
}
