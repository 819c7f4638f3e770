using System.Text.Json.Serialization;

namespace Chat.Gateway.Errors;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Chat21Error))]
[JsonSerializable(typeof(AiChatError))]
[JsonSerializable(typeof(EasemobError))]
[JsonSerializable(typeof(OpenAiError))]
[JsonSerializable(typeof(DathorError))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
