using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using CrdKit.Validation;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// Issue 18, item 5: an enum value from a newer release of a CRD reads, is kept, is written back verbatim and is
/// reported by Validate() for the target version; it is never a read failure. Known values stay C# enum members
/// (switch and == work as usual).
/// </summary>
public sealed class UnknownEnumValueTests
{
    // A consumer's own code over the generated enum: a switch on known members with a default arm, and ==.
    private const string Consumer = """
        namespace Consumer
        {
            public static class UsesModes
            {
                public static string Describe(global::Consumer.Crds.GizmoMode mode) => mode switch
                {
                    global::Consumer.Crds.GizmoMode.Fast => "fast",
                    global::Consumer.Crds.GizmoMode.Slow => "slow",
                    _ => "other",
                };

                public static bool IsFast(global::Consumer.Crds.GizmoMode mode) => mode == global::Consumer.Crds.GizmoMode.Fast;
            }
        }
        """;

    private static readonly Lazy<GeneratorOutcome> Gizmos = new(() => GeneratorHarness.Run(
        [GeneratorHarness.Crd("gizmos.yaml", CrdText.Single("Gizmo",
            "{type: object, properties: {mode: {type: string, enum: [fast, slow]}, modes: {type: array, items: {type: string, enum: [fast, slow]}}, "
            + "zones: {type: object, additionalProperties: {type: string, enum: [fast, slow]}}, level: {type: string, enum: [low, high], x-kubernetes-validations: [{rule: \"self != 'turbo'\", message: no turbo}]}}}"))],
        GeneratorHarness.CreateCompilation(Consumer)));

    private const string Future = """{"apiVersion":"example.io/v1","kind":"Gizmo","metadata":{"name":"g"},"spec":{"mode":"turbo","modes":["fast","turbo","warp"],"zones":{"a":"slow","b":"warp"},"level":"high"}}""";

    [Fact]
    public void The_generated_code_and_a_consumer_switching_on_it_compile()
    {
        Assert.Empty(Gizmos.Value.GeneratorDiagnostics);
        Assert.Empty(Gizmos.Value.CompileProblems);
    }

    [Fact]
    public void Values_from_a_newer_release_read_and_are_written_back_verbatim()
    {
        var assembly = Gizmos.Value.Load();
        var gizmo = Deserialize(assembly, Future);
        var written = JsonNode.Parse(JsonSerializer.Serialize(gizmo, gizmo.GetType(), Context(assembly).Options));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Future), written), written!.ToJsonString());
    }

    [Fact]
    public void Known_values_stay_enum_members_and_unknown_ones_fall_to_the_default_arm()
    {
        var assembly = Gizmos.Value.Load();
        var spec = Spec(Deserialize(assembly, Future));
        var mode = spec.GetType().GetProperty("Mode")!.GetValue(spec)!;
        var modes = (System.Collections.IList)spec.GetType().GetProperty("Modes")!.GetValue(spec)!;
        var uses = assembly.GetType("Consumer.UsesModes", throwOnError: true)!;
        string Describe(object value) => (string)uses.GetMethod("Describe")!.Invoke(null, [value])!;
        Assert.Equal("other", Describe(mode));
        Assert.Equal("fast", Describe(modes[0]!));
        Assert.True((bool)uses.GetMethod("IsFast")!.Invoke(null, [modes[0]])!);
        Assert.False((bool)uses.GetMethod("IsFast")!.Invoke(null, [mode])!);
        Assert.False(Enum.IsDefined(mode.GetType(), mode));

        // The same text read twice is the same value; different texts are different values.
        Assert.Equal(mode, modes[1]);
        Assert.NotEqual(modes[1], modes[2]);
        Assert.Equal(mode, spec.GetType().GetProperty("Mode")!.GetValue(Spec(Deserialize(assembly, Future))));
    }

    [Fact]
    public void Validate_reports_each_unknown_value_at_its_path_for_the_target_version()
    {
        var assembly = Gizmos.Value.Load();
        var gizmo = Deserialize(assembly, Future);
        var errors = Validate(gizmo, "1.20");
        Assert.Equal(
            ["spec.mode=turbo", "spec.modes[1]=turbo", "spec.modes[2]=warp", "spec.zones.b=warp"],
            errors.Select(e => $"{e.Path}={e.Value}").Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal("is not an allowed value in version 1.20", e.Message));
        Assert.All(errors, e => Assert.Equal("use one of fast, slow", e.Fix));
        Assert.All(Validate(gizmo, null), e => Assert.Equal("is not an allowed value", e.Message));
    }

    [Fact]
    public void A_value_differing_only_in_case_is_reported_with_the_near_value()
    {
        var assembly = Gizmos.Value.Load();
        var gizmo = Deserialize(assembly, """{"apiVersion":"example.io/v1","kind":"Gizmo","metadata":{"name":"g"},"spec":{"mode":"FAST"}}""");
        var error = Assert.Single(Validate(gizmo, null));
        Assert.Equal("spec.mode", error.Path);
        Assert.Equal("did you mean 'fast'? (values are case-sensitive)", error.Fix);
    }

    [Fact]
    public void A_rule_comparing_with_a_literal_outside_the_enum_compares_the_kept_text()
    {
        // self != 'turbo' on an enum of low/high: a kept 'turbo' breaks the rule (and is an unknown value); 'high' holds.
        var assembly = Gizmos.Value.Load();
        var turbo = Validate(Deserialize(assembly, """{"apiVersion":"example.io/v1","kind":"Gizmo","metadata":{"name":"g"},"spec":{"level":"turbo"}}"""), null);
        Assert.Equal(["spec.level: is not an allowed value", "spec.level: no turbo"], turbo.Select(e => $"{e.Path}: {e.Message}").Order(StringComparer.Ordinal));
        Assert.Empty(Validate(Deserialize(assembly, """{"apiVersion":"example.io/v1","kind":"Gizmo","metadata":{"name":"g"},"spec":{"level":"high"}}"""), null));
    }

    [Fact]
    public void A_value_that_is_not_a_string_is_still_a_read_error()
    {
        var assembly = Gizmos.Value.Load();
        var e = Assert.ThrowsAny<JsonException>(() => Deserialize(assembly, """{"apiVersion":"example.io/v1","kind":"Gizmo","metadata":{"name":"g"},"spec":{"mode":true}}"""));
        Assert.Contains("expected one of fast, slow", e.Message, StringComparison.Ordinal);
    }

    private static object Spec(object gizmo) => gizmo.GetType().GetProperty("Spec")!.GetValue(gizmo)!;

    private static IReadOnlyList<ValidationError> Validate(object record, string? version) =>
        (IReadOnlyList<ValidationError>)record.GetType().GetMethod("Validate", [typeof(string)])!.Invoke(record, [version])!;

    private static object Deserialize(Assembly assembly, string json) =>
        JsonSerializer.Deserialize(json, assembly.GetType("Consumer.Crds.V1.Gizmo", throwOnError: true)!, Context(assembly).Options)!;

    private static System.Text.Json.Serialization.JsonSerializerContext Context(Assembly assembly) =>
        (System.Text.Json.Serialization.JsonSerializerContext)assembly.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
}
