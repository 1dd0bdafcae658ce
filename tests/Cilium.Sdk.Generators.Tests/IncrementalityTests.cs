using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits re-run nothing, and editing one CRD regenerates only its output.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps = { "CrdInputs", "Parsed", "Plan", "Units" };

    private static InputFile[] Files(string bSpec = "{type: object, properties: {b: {type: string}}}") => new[]
    {
        GeneratorHarness.Crd("a.yaml", CrdText.Single("Alpha", "{type: object, properties: {a: {type: string}}}")),
        GeneratorHarness.Crd("b.yaml", CrdText.Single("Beta", bSpec)),
    };

    [Fact]
    public void An_unrelated_csharp_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(Files()).RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Other { } }"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} is not tracked");
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {o.Reason}"));
    }

    [Fact]
    public void Editing_one_crd_regenerates_only_that_crds_output()
    {
        var compilation = GeneratorHarness.CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(Files(), out var texts).RunGenerators(compilation);
        var changed = Files("{type: object, properties: {b: {type: string}, c: {type: integer}}}")[1];
        driver = driver.ReplaceAdditionalText(texts[1], GeneratorHarness.Text(changed.Path, changed.Text));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var units = result.TrackedSteps["Units"].SelectMany(s => s.Outputs).ToList();
        var modified = units.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).ToList();
        var unchanged = units.Where(o => o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached).ToList();
        Assert.Contains(modified, o => o.Value.ToString()!.Contains("example.io.Beta.g.cs", StringComparison.Ordinal));
        Assert.Contains(unchanged, o => o.Value.ToString()!.Contains("example.io.Alpha.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(modified, o => o.Value.ToString()!.Contains("example.io.Alpha.g.cs", StringComparison.Ordinal));
    }

    /// <summary>Every Cilium 1.20 CRD, read in place from ../shared (real shapes, shared across CRDs).</summary>
    private static List<InputFile> RealCrds() =>
        Directory.GetFiles(RepositoryPaths.RequireShared("corpus/cilium/crds/v1.20"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => GeneratorHarness.FromFile(path))
            .ToList();

    private static string HintName(IncrementalStepRunReason reason, object? value) =>
        value?.GetType().GetProperty("HintName")?.GetValue(value) as string ?? throw new InvalidOperationException($"a {reason} unit without a hint name");

    private static List<(string HintName, IncrementalStepRunReason Reason)> UnitOutcomes(GeneratorRunResult result) =>
        result.TrackedSteps["Units"].SelectMany(s => s.Outputs).Select(o => (HintName(o.Reason, o.Value), o.Reason)).ToList();

    private static Dictionary<string, string> Sources(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>An edit that moves every line of a real CRD but changes no schema (a comment line at the top) must leave
    /// every generated source cached: line numbers feed diagnostics only, never the emitted units.</summary>
    [Fact]
    public void A_line_shift_in_a_real_crd_leaves_every_output_cached()
    {
        var files = RealCrds();
        var compilation = GeneratorHarness.CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(files, out var texts).RunGenerators(compilation);
        var before = Sources(driver);
        int edited = files.FindIndex(f => f.Path.EndsWith("ciliumnetworkpolicies.yaml", StringComparison.Ordinal));
        Assert.True(edited >= 0);

        driver = driver.ReplaceAdditionalText(texts[edited], GeneratorHarness.Text(files[edited].Path, "# moved down one line by this comment\n" + files[edited].Text));
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        // The edit reached the pipeline (the parsed file changed: its lines did), so the test is not vacuous...
        Assert.Contains(result.TrackedSteps["Parsed"].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        // ...and no unit was regenerated.
        var units = UnitOutcomes(result);
        Assert.True(units.Count >= files.Count, $"{units.Count} units for {files.Count} CRDs");
        var regenerated = units.Where(u => u.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).ToList();
        Assert.True(regenerated.Count == 0, "regenerated after a line shift: " + string.Join(", ", regenerated));
        Assert.Equal(before, Sources(driver));
    }

    /// <summary>A schema edit in one real CRD (a property added to CiliumCIDRGroup's spec) regenerates only the output
    /// that holds that CRD's types; every other unit, those of CRDs sharing shapes with others included, stays cached.</summary>
    [Fact]
    public void A_schema_edit_in_one_real_crd_regenerates_only_its_output()
    {
        var files = RealCrds();
        var compilation = GeneratorHarness.CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(files, out var texts).RunGenerators(compilation);
        var before = Sources(driver);
        int edited = files.FindIndex(f => f.Path.EndsWith(Path.Combine("v2", "ciliumcidrgroups.yaml"), StringComparison.Ordinal));
        Assert.True(edited >= 0);
        const string at = "          spec:\n            properties:\n              externalCIDRs:\n";
        Assert.Contains(at, files[edited].Text, StringComparison.Ordinal);
        // In both served versions, so the spec shape they share stays one type (a split would rightly add a type).
        var text = files[edited].Text.Replace(at, "          spec:\n            properties:\n              comment:\n                type: string\n              externalCIDRs:\n", StringComparison.Ordinal);

        driver = driver.ReplaceAdditionalText(texts[edited], GeneratorHarness.Text(files[edited].Path, text)).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        var units = UnitOutcomes(result);
        var regenerated = units.Where(u => u.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).Select(u => u.HintName).ToList();
        var after = Sources(driver);
        var changed = after.Where(s => !before.TryGetValue(s.Key, out var old) || old != s.Value).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(changed, regenerated.Order(StringComparer.Ordinal)); // regenerated exactly where the text changed
        var only = Assert.Single(changed);
        Assert.Contains("CiliumCIDRGroup", only, StringComparison.Ordinal);
        Assert.Contains("Comment", after[only], StringComparison.Ordinal);
    }

    [Fact]
    public void No_roslyn_object_or_reference_equal_collection_enters_the_pipeline()
    {
        var driver = GeneratorHarness.CreateDriver(Files()).RunGenerators(GeneratorHarness.CreateCompilation());
        var result = driver.GetRunResult().Results.Single();
        foreach (var (name, steps) in result.TrackedSteps.Where(s => TrackedSteps.Contains(s.Key)))
        {
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                AssertNoForbiddenTypes(output.Value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
            }
        }
    }

    private static void AssertNoForbiddenTypes(object? value, string step, HashSet<object> seen, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 40 || !seen.Add(value))
        {
            return;
        }

        var type = value.GetType();
        Assert.False(value is Compilation or ISymbol or SyntaxNode or Location or AdditionalText, $"{step} holds a Roslyn {type.Name}");
        Assert.False(type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ImmutableArray<>) || type.GetGenericTypeDefinition() == typeof(List<>) || type.GetGenericTypeDefinition() == typeof(Dictionary<,>)),
            $"{step} holds a reference-equal {type.Name}");
        if (value is IEnumerable enumerable)
        {
            foreach (var item in enumerable)
            {
                AssertNoForbiddenTypes(item, step, seen, depth + 1);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertNoForbiddenTypes(property.GetValue(value), step, seen, depth + 1);
        }
    }
}
