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
        "The one-of over L7 rule kinds differs per version (1.19: http, kafka, dns, l7proto; 1.20: http, dns), so one union schema cannot carry it: Validation/Agent/L7RulesVersions.cs checks each version's own one-of (the conformance suite's sanitize cases hold it to both).";

    /// <summary>The list; a test fails if any entry is no longer needed.</summary>
    public static readonly IReadOnlyList<KnownException> All =
    [
        .. ForPolicyKinds("1.19", "*.toPorts[].serverNames[]", "pattern", ServerNamesPattern),
        .. ForPolicyKinds("1.19", "*.toPorts[].rules", "oneOf", L7OneOf),
        .. ForPolicyKinds("1.20", "*.toPorts[].rules", "oneOf", L7OneOf),
    ];

    // CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy share every rule definition.
    private static IEnumerable<KnownException> ForPolicyKinds(string ciliumVersion, string path, string fact, string reason)
    {
        yield return new("CiliumNetworkPolicy", ciliumVersion, path, fact, reason);
        yield return new("CiliumClusterwideNetworkPolicy", ciliumVersion, path, fact, reason);
    }
}
