using System.Text;
using Chat.Gateway.Errors;
using Chat.Gateway.Tenancy;
using Chat.ServiceDefaults.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Gateway.Authentication;

/// <summary>
/// Chat21 JWTs (SPEC §3, kind 1): HS256, signed with the <c>jwt_secret</c> of the app named by the
/// <c>app_id</c> claim; <c>sub</c> is the user, <c>name</c> the display name, roles come from <c>roles</c>
/// or <c>tiledesk_api_roles</c>; <c>exp</c> is required.
/// </summary>
internal sealed class JwtTokenValidator(IAppDirectory apps, ValidatedTokenCache cache) : ITokenValidator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);
    private static readonly string[] Algorithms = [SecurityAlgorithms.HmacSha256];

    private readonly JsonWebTokenHandler _handler = new();

    public string Kind => TokenKind.Jwt;

    public async ValueTask<TokenValidation> ValidateAsync(ReadOnlyMemory<char> credential, CancellationToken cancellationToken)
    {
        if (!JwsHeader.LooksLikeJwt(credential.Span))
        {
            return TokenValidation.NotApplicable;
        }

        if (cache.TryGet(credential.Span, out var cached))
        {
            var current = await apps.FindAsync(cached.Caller.Identity.AppId, cancellationToken);
            if (current is { Enabled: true } && current.JwtSecret == cached.Secret)
            {
                return TokenValidation.Valid(cached.Caller);
            }

            cache.Remove(credential.Span);
        }

        return await ValidateUncachedAsync(credential.ToString(), cancellationToken);
    }

    private async ValueTask<TokenValidation> ValidateUncachedAsync(string token, CancellationToken cancellationToken)
    {
        if (!JwsHeader.IsCompactHs256(token))
        {
            return TokenValidation.Rejected(GatewayError.InvalidToken);
        }

        var unverified = Read(token);
        if (unverified is null
            || !unverified.TryGetPayloadValue<string>("app_id", out var appId) || string.IsNullOrEmpty(appId)
            || !unverified.TryGetPayloadValue<long>("exp", out _))
        {
            return TokenValidation.Rejected(GatewayError.InvalidToken);
        }

        var app = await apps.FindAsync(appId, cancellationToken);
        if (app is not { Enabled: true, JwtSecret: { } secret })
        {
            return TokenValidation.Rejected(GatewayError.InvalidToken);
        }

        var result = _handler.ValidateToken(token, Parameters(secret));
        if (!result.IsValid)
        {
            return TokenValidation.Rejected(
                result.Exception is SecurityTokenExpiredException ? GatewayError.TokenExpired : GatewayError.InvalidToken);
        }

        var validated = (JsonWebToken)result.SecurityToken;
        if (Describe(validated, app) is not { } caller)
        {
            return TokenValidation.Rejected(GatewayError.InvalidToken);
        }

        cache.Add(token, new CachedToken(caller, secret, new DateTimeOffset(validated.ValidTo, TimeSpan.Zero)));
        return TokenValidation.Valid(caller);
    }

    private JsonWebToken? Read(string token)
    {
        try
        {
            return _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static TokenValidationParameters Parameters(string secret) => new()
    {
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        ValidAlgorithms = Algorithms,
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
    };

    private static AuthenticatedCaller? Describe(JsonWebToken token, TenantApp app)
    {
        string? subject = null, name = null;
        var roles = new List<string>(2);
        foreach (var claim in token.Claims)
        {
            switch (claim.Type)
            {
                case "sub":
                    subject = claim.Value;
                    break;
                case "name":
                    name = claim.Value;
                    break;
                case "roles" or "tiledesk_api_roles" when claim.Value.Length > 0 && !roles.Contains(claim.Value):
                    roles.Add(claim.Value);
                    break;
            }
        }

        return string.IsNullOrEmpty(subject)
            ? null
            : new AuthenticatedCaller(new CallerIdentity(app.AppId, subject, name, roles, TokenKind.Jwt), app.OrgName);
    }
}
