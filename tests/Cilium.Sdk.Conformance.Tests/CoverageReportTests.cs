using System.Linq;
using Xunit;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>Prints how much of upstream each schema matches.</summary>
/// <param name="output">Where the table goes.</param>
public sealed class CoverageReportTests(ITestOutputHelper output)
{
    /// <summary>Per kind, version and release: upstream paths, exact matches and excepted paths; then the total.</summary>
    [Fact]
    public void ReportCoverage()
    {
        output.WriteLine($"{"kind",-32} {"api",-9} {"cilium",-6} {"upstream",8} {"matched",8} {"excepted",8}");
        int total = 0, matched = 0, excepted = 0;
        foreach (ConformanceOutcome outcome in CrdComparison.All)
        {
            foreach (VersionCoverage row in outcome.Coverage)
            {
                output.WriteLine($"{outcome.Case.Kind.Kind,-32} {row.ApiVersion,-9} {outcome.Case.CiliumVersion ?? "-",-6} {row.UpstreamPaths,8} {row.Matched,8} {row.Excepted,8}");
                total += row.UpstreamPaths;
                matched += row.Matched;
                excepted += row.Excepted;
            }
        }

        double exact = 100.0 * matched / total;
        double accounted = 100.0 * (matched + excepted) / total;
        output.WriteLine($"TOTAL upstream paths {total}: matched {matched} ({exact:F2}%), excepted {excepted}, accounted for {accounted:F2}%");
        output.WriteLine($"Exceptions ({KnownExceptions.All.Count}):");
        foreach (KnownException exception in KnownExceptions.All)
        {
            output.WriteLine("  " + exception);
        }

        // The per-case theory fails on gaps; this guards against comparing nothing at all.
        Assert.True(total > 0, "No upstream paths were compared.");
    }
}
