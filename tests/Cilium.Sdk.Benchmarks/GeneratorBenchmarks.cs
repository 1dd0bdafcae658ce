using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the same scenarios as the quick harness (run with <c>-- --bdn</c>).
/// <see cref="FullGeneration"/> is the warm case (a new driver per invocation);
/// <see cref="RerunUnchanged"/> reruns one primed driver on unchanged input (the incremental cache).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private Scenario scenario = null!;
    private GeneratorDriver primed = null!;

    /// <summary>Which input set to generate from.</summary>
    [Params(ScenarioId.CiliumNetworkPolicy, ScenarioId.AllV120, ScenarioId.SdkSchemas)]
    public ScenarioId Scenario { get; set; }

    /// <summary>Reads the scenario's files once and primes the driver used by <see cref="RerunUnchanged"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        scenario = Benchmarks.Scenario.Load(Scenario, HarnessPaths.Locate());
        primed = scenario.CreateDriver().RunGenerators(scenario.Compilation, CancellationToken.None);
    }

    /// <summary>Warm full generation: a new <c>CSharpGeneratorDriver</c> over the same inputs, run once.</summary>
    /// <returns>The driver holding the run result (returned so the work is not eliminated).</returns>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullGeneration() => scenario.RunFresh();

    /// <summary>Rerun of a primed driver with the identical compilation and inputs.</summary>
    /// <returns>The driver after the rerun.</returns>
    [Benchmark]
    public GeneratorDriver RerunUnchanged() => primed.RunGenerators(scenario.Compilation, CancellationToken.None);
}
