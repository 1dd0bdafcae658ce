using Cilium.Sdk.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Generators.Tests.World;

/// <summary>
/// A consumer opts in every CRD of one real project (Gateway API: one channel) and builds with nullable and warnings as
/// errors: no generator diagnostic above Info and no compiler warning. Compiled in-process (Roslyn and the .NET 10
/// reference assemblies), as a real build compiles it, without paying for 14 project builds.
/// </summary>
public sealed class WorldBuildTests(ITestOutputHelper output)
{
    public static TheoryData<string> Projects() => new(WorldCorpus.Projects);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_crd_of_the_project_generates_and_compiles_with_warnings_as_errors(string project)
    {
        var outcome = WorldCorpus.Outcome(project);
        var generator = outcome.GeneratorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        var compiler = outcome.CompileProblems;
        output.WriteLine($"{project}: {WorldCorpus.ConsumerCrdFiles(project).Count} files, {outcome.Sources.Count} sources, " +
            $"{outcome.AllSource.Length / 1024} KiB; {generator.Count} generator warnings/errors, {compiler.Count} compiler warnings/errors");
        foreach (var group in generator.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {group.Key} x{group.Count()}: {group.First().GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        foreach (var group in compiler.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {group.Key} x{group.Count()}: {group.First()}");
        }

        Assert.Empty(generator);
        Assert.Empty(compiler);
    }
}
