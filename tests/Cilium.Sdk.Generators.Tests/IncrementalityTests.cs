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
