using System.Linq;
using Xunit;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>Holds our schema files against upstream's CRDs, fact by fact.</summary>
public sealed class ConformanceTests
{
    /// <summary>One row per kind and upstream release; built from the catalog so discovery needs no data.</summary>
    public static TheoryData<string> Cases => new(ConformanceCase.All().Select(c => c.Label));

    /// <summary>Every upstream field is ours with equal facts, and we have nothing upstream lacks.</summary>
    /// <param name="label">Kind and release, e.g. <c>CiliumNetworkPolicy@1.19</c>.</param>
    [Theory]
    [MemberData(nameof(Cases))]
    public void SchemaMatchesUpstream(string label)
    {
        ConformanceOutcome outcome = CrdComparison.All.Single(o => o.Case.Label == label);

        Assert.True(outcome.Unexplained.Count == 0,
            $"{label}: {outcome.Unexplained.Count} difference(s) from upstream without a listed exception:\n"
            + string.Join("\n", outcome.Unexplained.Take(50)));
    }

    /// <summary>Each listed exception still covers a real difference; stale ones must go.</summary>
    [Fact]
    public void EveryExceptionIsStillNeeded()
    {
        var used = CrdComparison.All.SelectMany(o => o.UsedExceptions).ToHashSet();
        var stale = KnownExceptions.All.Where(e => !used.Contains(e)).ToList();

        Assert.True(stale.Count == 0, "Exceptions no longer needed:\n" + string.Join("\n", stale));
    }
}
