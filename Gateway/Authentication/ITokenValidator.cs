using Chat.Gateway.Errors;
using Chat.Gateway.Identity;
using Chat.ServiceDefaults.Identity;

namespace Chat.Gateway.Authentication;

/// <summary>
/// Validates one kind of token (<see cref="TokenKind"/>) completely: signature, expiry, app exists and is
/// enabled. A route lists the kinds it accepts; each kind is one validator registered in DI.
/// </summary>
internal interface ITokenValidator
{
    /// <summary>The <see cref="TokenKind"/> this validator accepts, as routes name it in <c>Auth</c>.</summary>
    string Kind { get; }

    ValueTask<TokenValidation> ValidateAsync(ReadOnlyMemory<char> credential, CancellationToken cancellationToken);
}

/// <summary>A caller whose token was verified, and the org of its app (Easemob paths name it).</summary>
internal sealed class AuthenticatedCaller(CallerIdentity identity, string orgName)
{
    public CallerIdentity Identity { get; } = identity;

    public string OrgName { get; } = orgName;

    /// <summary>The last identity headers signed for this caller (see <c>ForwardedIdentity</c>).</summary>
    public SignedIdentityHeaders? Signed { get; set; }
}

internal enum TokenOutcome
{
    /// <summary>The credential is not this validator's kind of token; another may accept it.</summary>
    NotApplicable,
    Valid,
    Rejected,
}

internal readonly record struct TokenValidation(TokenOutcome Outcome, AuthenticatedCaller? Caller, GatewayError Error)
{
    public static TokenValidation NotApplicable => new(TokenOutcome.NotApplicable, null, GatewayError.InvalidToken);

    public static TokenValidation Valid(AuthenticatedCaller caller) => new(TokenOutcome.Valid, caller, default);

    public static TokenValidation Rejected(GatewayError error) => new(TokenOutcome.Rejected, null, error);
}
