using System;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Context for the rerun numbers: a generator with the same input pipeline shape as CrdGenerator (additional texts
/// combined with options, opt-in filter, a Collect) that does no work and emits nothing. Its rerun time is the
/// Roslyn driver's own floor for that many additional files; the CRD generator cannot rerun faster than this.
/// </summary>
internal sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var inputs = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) =>
                pair.Right.GetOptions(pair.Left).TryGetValue("build_metadata.AdditionalFiles.KubernetesCrd", out var flag)
                && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase)
                    ? pair.Left.Path
                    : null)
            .Where(static path => path is not null);
        context.RegisterSourceOutput(inputs.Collect(), static (_, _) => { });
    }
}
