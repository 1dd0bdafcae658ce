using System.Collections.Generic;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>
/// Every deliberate difference from upstream. Where a bound, pattern or required-set differs between
/// Cilium releases, the schema keeps 1.20's and the older release's value is listed here.
/// </summary>
internal static class KnownExceptions
{
    private const string ServerNamesPattern =
        "1.20 allows '*' anywhere in a server-name label, 1.19 only as a leading '*.' or '**.'; one union schema keeps 1.20's pattern.";

    private const string L7OneOf =
        "1.19's one-of over L7 rules also lists kafka and l7proto, which 1.20 removed; one union schema keeps 1.20's required-sets (the fields themselves are marked removed-in 1.20).";

    /// <summary>The list; a test fails if any entry is no longer needed.</summary>
    public static readonly IReadOnlyList<KnownException> All =
    [
        .. ForPolicyKinds("1.19", "*.toPorts[].serverNames[]", "pattern", ServerNamesPattern),
        .. ForPolicyKinds("1.19", "*.toPorts[].rules", "oneOf", L7OneOf),
    ];

    // CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy share every rule definition.
    private static IEnumerable<KnownException> ForPolicyKinds(string ciliumVersion, string path, string fact, string reason)
    {
        yield return new("CiliumNetworkPolicy", ciliumVersion, path, fact, reason);
        yield return new("CiliumClusterwideNetworkPolicy", ciliumVersion, path, fact, reason);
    }
}
