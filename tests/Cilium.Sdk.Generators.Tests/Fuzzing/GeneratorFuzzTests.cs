using System.Diagnostics;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using CsCheck;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Generators.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of the generator with real Cilium CRDs: whatever the damage, the generator never throws,
/// and its output compiles without warnings unless a CRDGEN diagnostic says what is wrong.
/// </summary>
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    /// <summary>How many mutated CRDs one run tries; fixed so CI time stays bounded.</summary>
    public const int Cases = 300;

    /// <summary>A fixed CsCheck seed: the same 300 cases every run (change it to explore, keep it when a case fails).</summary>
    public const string Seed = "0N0XIzNsQ0O2";

    /// <summary>How many mutated world CRDs one run tries (bounded like <see cref="Cases"/>).</summary>
    public const int WorldCases = 150;

    /// <summary>The world fuzz's fixed seed.</summary>
    public const string WorldSeed = "0N0XIzNsQ0O2";

    // Small world CRDs, chosen for what they carry: CEL (transition rules included), oneOf, int-or-string, enums.
    private static readonly string[] WorldSources =
    [
        "metallb/metallb.io_servicebgpstatuses.yaml", "metallb/metallb.io_bgpadvertisements.yaml", "external-secrets/generators.external-secrets.io_passwords.yaml",
        "external-secrets/generators.external-secrets.io_gitlabdeploytokens.yaml", "grafana-operator/grafana.integreatly.org_grafanafolders.yaml",
        "grafana-operator/grafana.integreatly.org_grafanamutetimings.yaml", "external-snapshotter/groupsnapshot.storage.k8s.io_volumegroupsnapshotclasses.yaml",
        "gateway-api/experimental/gateway.networking.x-k8s.io_xmeshes.yaml", "prometheus-operator/monitoring.coreos.com_prometheusrules.yaml",
    ];

    // The smaller upstream CRDs: every schema construct the big ones use, at a fraction of the compile time.
    private static readonly string[] Sources =
    [
        "v2/ciliumidentities.yaml", "v2/ciliumcidrgroups.yaml", "v2/ciliumnodeconfigs.yaml", "v2/ciliumenvoyconfigs.yaml",
        "v2/ciliumbgpnodeconfigoverrides.yaml", "v2alpha1/ciliumdatapathplugins.yaml", "v2alpha1/ciliumendpointslices.yaml",
        "v2alpha1/ciliuml2announcementpolicies.yaml", "v2alpha1/ciliumgatewayclassconfigs.yaml",
    ];

    [Fact]
    public void Mutated_upstream_crds_never_crash_the_generator_and_compile_or_are_diagnosed() =>
        Fuzz(RepositoryPaths.RequireShared("corpus/cilium/crds/v1.20"), Sources, Cases, Seed);

    /// <summary>The same over small CRDs of other projects (world corpus): CEL rules of every kind, schema forms, int-or-string.</summary>
    [Fact]
    public void Mutated_world_crds_never_crash_the_generator_and_compile_or_are_diagnosed() =>
        Fuzz(Path.GetDirectoryName(RepositoryPaths.RequireShared("corpus/world-crds/index.json"))!, WorldSources, WorldCases, WorldSeed);

    private void Fuzz(string folder, string[] sources, int cases, string seed)
    {
        var texts = sources.Select(s => File.ReadAllText(Path.Combine(folder, s))).ToArray();
        var caseGen = Gen.Select(Gen.Int[0, texts.Length - 1], CrdMutator.Mutation.Array[1, 3], (file, mutations) => (File: file, Mutations: mutations));

        int tried = 0, diagnosed = 0, compiledClean = 0;
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        // One sample of a 300-case array: a fixed seed fixes every case (CsCheck reseeds later iterations randomly).
        caseGen.Array[cases].Sample(
            batch =>
            {
                foreach (var (file, mutations) in batch)
                {
                    tried++;
                    var text = CrdMutator.Apply(texts[file], mutations);
                    var label = $"{sources[file]} [{string.Join(", ", mutations)}]";
                    foreach (var kind in mutations.Select(m => m.Kind.ToString()).Distinct())
                    {
                        byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
                    }

                    var problem = Check(text, out var hadCrdgen, out var clean);
                    diagnosed += hadCrdgen ? 1 : 0;
                    compiledClean += clean ? 1 : 0;
                    if (problem is not null)
                    {
                        failures.Add($"{label}: {problem}");
                    }
                }
            },
            seed: seed,
            iter: 1,
            threads: 1);

        output.WriteLine($"generator fuzz: {tried} mutated CRDs tried in {clock.Elapsed.TotalSeconds:F1}s (seed {seed}, {folder}); " +
            $"{diagnosed} rejected or warned with CRDGEN diagnostics, {compiledClean} compiled without warnings, {failures.Count} crashes or undiagnosed compile problems");
        output.WriteLine("mutations applied: " + string.Join(", ", byKind.Select(k => $"{k.Key} {k.Value}")));
        Assert.Equal(cases, tried);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));

        // Every kind of damage was exercised and some of it was caught: a fuzzer whose cases all pass untouched proves little.
        Assert.Equal(Enum.GetValues<MutationKind>().Length, byKind.Count);
        Assert.InRange(diagnosed, cases / 10, cases);
    }

    /// <summary>Runs one input; null when the generator behaved, else what went wrong.</summary>
    internal static string? Check(string text, out bool hadCrdgen, out bool compiledClean)
    {
        hadCrdgen = false;
        compiledClean = false;
        GeneratorOutcome outcome;
        try
        {
            outcome = GeneratorHarness.Run(GeneratorHarness.Crd("fuzz/crd.yaml", text));
        }
        catch (Exception e)
        {
            return "the driver threw " + e.GetType().Name + ": " + e.Message;
        }

        var thrown = outcome.Result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        if (thrown is not null)
        {
            return "the generator threw " + thrown;
        }

        // CS8784/CS8785 (generator failed) and AD0001 (analyzer threw) are how the compiler reports a crash.
        var crash = outcome.GeneratorDiagnostics.Concat(outcome.Compilation.GetDiagnostics())
            .FirstOrDefault(d => d.Id is "CS8784" or "CS8785" or "AD0001");
        if (crash is not null)
        {
            return crash.ToString();
        }

        hadCrdgen = outcome.GeneratorDiagnostics.Any(d => d.Id.StartsWith("CRDGEN", StringComparison.Ordinal) && d.Severity >= DiagnosticSeverity.Warning);
        var problems = outcome.CompileProblems;
        compiledClean = problems.Count == 0;
        if (!compiledClean && !hadCrdgen)
        {
            return $"{problems.Count} compile problems and no CRDGEN diagnostic, first: {problems[0]}";
        }

        if (!compiledClean && hadCrdgen)
        {
            // Diagnosed input may skip output, but what is emitted must still compile: a half-written type is a generator bug.
            return $"diagnosed ({string.Join(",", outcome.GeneratorDiagnostics.Select(d => d.Id).Distinct())}) but the emitted code does not compile: {problems[0]}";
        }

        return null;
    }
}
