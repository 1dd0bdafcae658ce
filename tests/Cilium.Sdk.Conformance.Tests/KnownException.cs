using System.Text.RegularExpressions;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>One deliberate difference between our schema and upstream's, with the reason for it.</summary>
/// <param name="Kind">The CRD kind.</param>
/// <param name="CiliumVersion">The Cilium release it applies to; null for every release and for Flux.</param>
/// <param name="PathPattern">Field path; <c>*</c> matches any run of characters.</param>
/// <param name="Fact">The fact that differs (<c>presence</c> for a field on one side only).</param>
/// <param name="Reason">Why the difference is right.</param>
internal sealed record KnownException(string Kind, string? CiliumVersion, string PathPattern, string Fact, string Reason)
{
    /// <summary>Whether this exception covers a difference found in one comparison.</summary>
    public bool Covers(ConformanceCase testCase, FactDifference difference) =>
        AppliesTo(testCase) && Fact == difference.Fact && MatchesPath(difference.Path);

    /// <summary>Whether this exception is about the comparison's kind and release.</summary>
    public bool AppliesTo(ConformanceCase testCase) =>
        Kind == testCase.Kind.Kind && (CiliumVersion is null || CiliumVersion == testCase.CiliumVersion);

    /// <summary>Whether <see cref="PathPattern"/> names the field path.</summary>
    public bool MatchesPath(string path) =>
        Regex.IsMatch(path, "^" + Regex.Escape(PathPattern).Replace(@"\*", ".*", System.StringComparison.Ordinal) + "$");

    /// <summary>A short label for messages.</summary>
    public override string ToString() => $"{Kind} {CiliumVersion ?? "*"} {PathPattern} [{Fact}]: {Reason}";
}
