using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using CrdKit.Validation;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// Issue 18, item 5: reading as the API server does. JSON null is absent (a null required field is missing, not the
/// type's default; a null optional field is dropped), and a required field with a schema default may be left out
/// (the server fills it in; rules read the default).
/// </summary>
public sealed class ReadingLikeTheApiServerTests
{
    private static readonly Lazy<GeneratorOutcome> Switches = new(() => GeneratorHarness.Run(GeneratorHarness.Crd("switches.yaml", CrdText.Single("Switch",
        "{type: object, required: [enabled, state, level], x-kubernetes-validations: [{rule: \"self.state == 'Managed' || self.level > 1\", message: unmanaged needs level 2}], "
        + "properties: {enabled: {type: boolean}, state: {type: string, enum: [Managed, Unmanaged], default: Managed}, level: {type: integer, default: 1}, note: {type: string}, count: {type: integer}}}"))));

    private static readonly Lazy<Assembly> Loaded = new(() => Switches.Value.Load());

    [Fact]
    public void The_generated_code_compiles()
    {
        Assert.Empty(Switches.Value.GeneratorDiagnostics);
        Assert.Empty(Switches.Value.CompileProblems);
    }

    [Fact]
    public void A_null_required_field_is_missing_not_false()
    {
        var e = Assert.ThrowsAny<JsonException>(() => Read("""{"enabled":null}"""));
        Assert.Contains("enabled", e.Message, StringComparison.Ordinal);
        Assert.Contains("is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_optional_field_is_absent_and_dropped_on_writing()
    {
        var record = Read("""{"enabled":true,"note":null,"count":null}""");
        var spec = JsonNode.Parse(JsonSerializer.Serialize(record, record.GetType(), Context().Options))!["spec"]!.AsObject();
        Assert.Equal(["enabled"], spec.Select(p => p.Key));
    }

    [Fact]
    public void Required_fields_with_defaults_may_be_left_out_and_rules_read_the_defaults()
    {
        var record = Read("""{"enabled":false}""");
        Assert.Empty(Validate(record));

        // Explicitly unmanaged at the default level 1 breaks the rule: the default is what the rule reads.
        var unmanaged = Validate(Read("""{"enabled":false,"state":"Unmanaged"}"""));
        Assert.Equal("unmanaged needs level 2", Assert.Single(unmanaged).Message);
    }

    private static IReadOnlyList<ValidationError> Validate(object record) =>
        (IReadOnlyList<ValidationError>)record.GetType().GetMethod("Validate", [typeof(string)])!.Invoke(record, [null])!;

    private static object Read(string spec)
    {
        var json = """{"apiVersion":"example.io/v1","kind":"Switch","metadata":{"name":"s"},"spec":""" + spec + "}";
        return JsonSerializer.Deserialize(json, Loaded.Value.GetType("Consumer.Crds.V1.Switch", throwOnError: true)!, Context().Options)!;
    }

    private static System.Text.Json.Serialization.JsonSerializerContext Context() =>
        (System.Text.Json.Serialization.JsonSerializerContext)Loaded.Value.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
}
