using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// Changes a reviewer has accepted: patterns over a change's flow as the report prints it,
/// <c>SOURCE -> DESTINATION PORT/PROTOCOL</c> (e.g. <c>monitoring/grafana -> monitoring/loki 3100/TCP</c>), where
/// <c>*</c> stands for any run of characters (<c>monitoring/* -> * 443/TCP</c>, <c>* -> world* *</c>). Spaces around
/// <c>-&gt;</c> may be one or more. An accepted change is still listed, marked with the pattern that accepted it, and no
/// longer makes the diff fail.
/// </summary>
public sealed class PolicyDiffAcceptance
{
    // SOURCE -> DESTINATION PORT: the port is the last word; a side may hold spaces ("world 203.0.113.10").
    private static readonly Regex Shape = new(@"^(?<source>\S.*?)\s+->\s+(?<destination>\S.*?)\s+(?<port>\S+)$", RegexOptions.CultureInvariant);

    private readonly List<(string Pattern, Regex Regex)> patterns;

    private PolicyDiffAcceptance(IEnumerable<string> patterns) =>
        this.patterns = patterns.Select(p => (p, Compile(p))).ToList();

    /// <summary>Accepts nothing.</summary>
    public static PolicyDiffAcceptance None { get; } = new([]);

    /// <summary>The patterns, as given.</summary>
    public IReadOnlyList<string> Patterns => patterns.Select(p => p.Pattern).ToList();

    /// <summary>Acceptance from patterns.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <returns>The acceptance.</returns>
    /// <exception cref="ArgumentException">A pattern is empty or does not have the form <c>SOURCE -> DESTINATION PORT</c>.</exception>
    public static PolicyDiffAcceptance Of(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var list = patterns.Select(p => p?.Trim() ?? string.Empty).ToList();
        foreach (var p in list)
        {
            if (!Shape.IsMatch(p))
            {
                throw new ArgumentException($"'{p}' is not an accept pattern: write SOURCE -> DESTINATION PORT/PROTOCOL, e.g. 'monitoring/grafana -> monitoring/loki 3100/TCP' ('*' matches anything)", nameof(patterns));
            }
        }

        return new PolicyDiffAcceptance(list);
    }

    /// <summary>Acceptance from the lines of a file's text: one pattern a line; blank lines and lines starting with
    /// <c>#</c> are ignored, as is anything after <c> #</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The acceptance.</returns>
    /// <exception cref="ArgumentException">A line is not a pattern (the message names its line).</exception>
    public static PolicyDiffAcceptance Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<string>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            var comment = line.IndexOf(" #", StringComparison.Ordinal);
            line = (comment >= 0 ? line[..comment] : line).Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                Of([line]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {number}: {e.Message.Split(" (Parameter", 2)[0]}"), nameof(text), e);
            }

            list.Add(line);
        }

        return new PolicyDiffAcceptance(list);
    }

    /// <summary>This acceptance and <paramref name="other"/>'s patterns.</summary>
    /// <param name="other">More patterns.</param>
    /// <returns>The union.</returns>
    public PolicyDiffAcceptance With(PolicyDiffAcceptance other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PolicyDiffAcceptance(Patterns.Concat(other.Patterns));
    }

    /// <summary>The first pattern that accepts <paramref name="change"/>, or null.</summary>
    /// <param name="change">The change.</param>
    /// <returns>The pattern.</returns>
    public string? Match(PolicyDiffChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var flow = change.Flow;
        return patterns.FirstOrDefault(p => p.Regex.IsMatch(flow)).Pattern;
    }

    internal IReadOnlyList<string> Unused(IReadOnlyList<PolicyDiffChange> changes) =>
        patterns.Where(p => !changes.Any(c => p.Regex.IsMatch(c.Flow))).Select(p => p.Pattern).ToList();

    private static Regex Compile(string pattern)
    {
        var m = Shape.Match(pattern);
        var body = Glob(m.Groups["source"].Value) + @"\s+->\s+" + Glob(m.Groups["destination"].Value) + @"\s+" + Glob(m.Groups["port"].Value);
        return new Regex("^" + body + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.IgnoreCase);
    }

    private static string Glob(string part) =>
        string.Join(".*", part.Split('*').Select(piece => string.Join(@"\s+", Regex.Split(piece, @"\s+").Select(Regex.Escape))));
}
