using System.Collections.Generic;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>One kind held against one upstream release (Cilium version, or the single Flux release).</summary>
/// <param name="Kind">The kind.</param>
/// <param name="CiliumVersion">The Cilium release, or null for Flux kinds.</param>
internal sealed record ConformanceCase(SupportedKind Kind, string? CiliumVersion)
{
    /// <summary>Every kind against every release it must match.</summary>
    public static IEnumerable<ConformanceCase> All()
    {
        foreach (SupportedKind kind in SupportedKinds.All)
        {
            if (kind.CiliumVersions.Count == 0)
            {
                yield return new(kind, null);
            }

            foreach (string release in kind.CiliumVersions)
            {
                yield return new(kind, release);
            }
        }
    }

    /// <summary>Label for reports, e.g. <c>CiliumNetworkPolicy@1.19</c>.</summary>
    public string Label => CiliumVersion is null ? Kind.Kind : $"{Kind.Kind}@{CiliumVersion}";
}

/// <summary>A fact that differs, or a field on one side only (<see cref="FactDifference.PresenceFact"/>).</summary>
/// <param name="ApiVersion">The CRD version compared.</param>
/// <param name="Path">The field path.</param>
/// <param name="Fact">The fact name.</param>
/// <param name="Upstream">Upstream's value, null when absent.</param>
/// <param name="Ours">Our value, null when absent.</param>
internal sealed record FactDifference(string ApiVersion, string Path, string Fact, string? Upstream, string? Ours)
{
    /// <summary>Fact name used when a whole field exists on one side only.</summary>
    public const string PresenceFact = "presence";

    /// <summary>A readable line for failure messages.</summary>
    public override string ToString() => $"{ApiVersion} {Path} [{Fact}] upstream={Upstream ?? "<absent>"} ours={Ours ?? "<absent>"}";
}

/// <summary>Coverage of one CRD version in one comparison.</summary>
/// <param name="ApiVersion">The CRD version.</param>
/// <param name="UpstreamPaths">Paths upstream has.</param>
/// <param name="Matched">Upstream paths whose facts we match exactly.</param>
/// <param name="Excepted">Upstream paths that differ only in listed exceptions.</param>
/// <param name="ExceptedPaths">Those paths, sorted.</param>
internal sealed record VersionCoverage(string ApiVersion, int UpstreamPaths, int Matched, int Excepted, IReadOnlyList<string> ExceptedPaths);

/// <summary>Everything one comparison found.</summary>
/// <param name="Case">The comparison.</param>
/// <param name="Coverage">Per CRD version counts.</param>
/// <param name="Unexplained">Differences no exception covers.</param>
/// <param name="UsedExceptions">Exceptions that covered at least one difference.</param>
internal sealed record ConformanceOutcome(
    ConformanceCase Case,
    IReadOnlyList<VersionCoverage> Coverage,
    IReadOnlyList<FactDifference> Unexplained,
    IReadOnlySet<KnownException> UsedExceptions);
