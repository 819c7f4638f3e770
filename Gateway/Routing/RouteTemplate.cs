using System.Buffers;
using System.Collections.Frozen;
using Chat.Gateway.Tenancy;

namespace Chat.Gateway.Routing;

/// <summary>
/// A route path compiled once into segments: literals (case-insensitive), <c>{name}</c> parameters (one
/// non-empty segment) and a final <c>{**name}</c> catch-all (zero or more segments). Matching walks the
/// request path in place without allocating. The parameters <c>app_id</c> and <c>org_name</c> are the
/// tenant the path names: <c>app_id</c> only matches a valid, non-reserved app id, and <c>org_name</c>
/// never matches a first segment that another API family owns (<c>api</c>, <c>v1</c>, ...).
/// </summary>
internal sealed class RouteTemplate
{
    public const string AppIdParameter = "app_id";
    public const string OrgNameParameter = "org_name";

    private static readonly SearchValues<char> NotInNames = SearchValues.Create(":?=*{}");

    private readonly Segment[] _segments;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _reservedOrgNames;

    private RouteTemplate(Segment[] segments, FrozenSet<string> reservedOrgNames)
    {
        _segments = segments;
        _reservedOrgNames = reservedOrgNames.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int LiteralCount { get; private init; }

    public bool HasCatchAll { get; private init; }

    public static RouteTemplate Parse(string text, IEnumerable<string>? reservedOrgNames = null)
    {
        if (!text.StartsWith('/'))
        {
            throw new FormatException($"Route path '{text}' must start with '/'.");
        }

        var parts = text.Length == 1 ? [] : text[1..].Split('/');
        var segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            segments[i] = ParseSegment(text, parts[i], isLast: i == parts.Length - 1);
        }

        return new RouteTemplate(segments, (reservedOrgNames ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase))
        {
            LiteralCount = segments.Count(segment => segment.Kind == SegmentKind.Literal),
            HasCatchAll = segments.Length > 0 && segments[^1].Kind == SegmentKind.CatchAll,
        };
    }

    /// <summary>Matches a decoded request path; the captures point into <paramref name="path"/>.</summary>
    public bool TryMatch(string path, out ReadOnlyMemory<char> appId, out ReadOnlyMemory<char> orgName)
    {
        appId = default;
        orgName = default;
        var end = path.Length > 1 && path[^1] == '/' ? path.Length - 1 : path.Length;
        var position = 1;
        foreach (var segment in _segments)
        {
            if (segment.Kind == SegmentKind.CatchAll)
            {
                return true;
            }

            if (position >= end)
            {
                return false;
            }

            var slash = path.IndexOf('/', position, end - position);
            var length = (slash < 0 ? end : slash) - position;
            var value = path.AsSpan(position, length);
            switch (segment.Kind)
            {
                case SegmentKind.Literal when !value.Equals(segment.Text, StringComparison.OrdinalIgnoreCase):
                case SegmentKind.Parameter when value.IsEmpty:
                case SegmentKind.AppId when !AppIds.IsValid(value):
                    return false;
                case SegmentKind.AppId:
                    appId = path.AsMemory(position, length);
                    break;
                case SegmentKind.OrgName:
                    if (value.IsEmpty || _reservedOrgNames.Contains(value))
                    {
                        return false;
                    }

                    orgName = path.AsMemory(position, length);
                    break;
            }

            position += length + 1;
        }

        return position > end || (position == end && end == 1);
    }

    /// <summary>The first segment of a template when it is a literal (<c>api</c> for <c>/api/{app_id}</c>).</summary>
    public static string? FirstLiteral(string text)
    {
        var first = text.AsSpan().TrimStart('/');
        var slash = first.IndexOf('/');
        first = slash < 0 ? first : first[..slash];
        return first.IsEmpty || first[0] == '{' ? null : first.ToString();
    }

    private static Segment ParseSegment(string template, string part, bool isLast)
    {
        if (part.Length == 0)
        {
            throw new FormatException($"Route path '{template}' has an empty segment.");
        }

        if (!part.StartsWith('{'))
        {
            return part.AsSpan().IndexOfAny('{', '}') >= 0
                ? throw new FormatException($"Route path '{template}': a parameter must be a whole segment ('{part}').")
                : new Segment(SegmentKind.Literal, part);
        }

        if (!part.EndsWith('}'))
        {
            throw new FormatException($"Route path '{template}': unterminated parameter '{part}'.");
        }

        var name = part[1..^1];
        if (name.StartsWith('*'))
        {
            return isLast
                ? new Segment(SegmentKind.CatchAll, name.TrimStart('*'))
                : throw new FormatException($"Route path '{template}': a catch-all must be the last segment.");
        }

        if (name.Length == 0 || name.AsSpan().IndexOfAny(NotInNames) >= 0)
        {
            throw new FormatException($"Route path '{template}': parameter '{part}' must be a plain name (no constraints or defaults).");
        }

        return new Segment(
            name switch
            {
                AppIdParameter => SegmentKind.AppId,
                OrgNameParameter => SegmentKind.OrgName,
                _ => SegmentKind.Parameter,
            },
            name);
    }

    private enum SegmentKind
    {
        Literal,
        Parameter,
        AppId,
        OrgName,
        CatchAll,
    }

    private readonly record struct Segment(SegmentKind Kind, string Text);
}
