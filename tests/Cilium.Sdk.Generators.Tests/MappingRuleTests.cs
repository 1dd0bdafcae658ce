using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Generators.Tests.Infrastructure;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>One test per schema-to-C# mapping rule, on the hand-written widgets CRD and small inline CRDs.</summary>
public sealed class MappingRuleTests
{
    private static readonly Lazy<GeneratorOutcome> Widgets = new(() =>
        GeneratorHarness.Run(GeneratorHarness.FromFile(Path.Combine(AppContext.BaseDirectory, "Crds", "widgets.yaml"))));

    private static string Widget => Widgets.Value.Source("example.io.Widget.g.cs");

    [Fact]
    public void Generated_code_compiles_without_warnings()
    {
        Assert.Empty(Widgets.Value.GeneratorDiagnostics);
        Assert.Empty(Widgets.Value.CompileProblems);
    }

    [Fact]
    public void Root_is_a_sealed_partial_record_implementing_the_kubernetes_interfaces()
    {
        Assert.Contains("public sealed partial record Widget : global::k8s.IKubernetesObject<__K8s.V1ObjectMeta>, __Validation.IValidatable, __K8s.ISpec<global::Consumer.Crds.WidgetSpec?>, __K8s.IStatus<global::Consumer.Crds.WidgetStatus?>", Widget);
        Assert.Contains("namespace Consumer.Crds.V1", Widget);
    }

    [Fact]
    public void Kind_group_version_and_plural_are_constants_and_a_list_type_exists()
    {
        Assert.Contains("public const string KubeKind = \"Widget\";", Widget);
        Assert.Contains("public const string KubeGroup = \"example.io\";", Widget);
        Assert.Contains("public const string KubeApiVersion = \"v1\";", Widget);
        Assert.Contains("public const string KubePluralName = \"widgets\";", Widget);
        Assert.Contains("public sealed partial record WidgetList : global::k8s.IKubernetesObject<__K8s.V1ListMeta>, __K8s.IItems<Widget>", Widget);
    }

    [Fact]
    public void Required_becomes_required_and_optional_becomes_nullable()
    {
        Assert.Contains("public required int Size { get; set; }", Widget);
        Assert.Contains("public WidgetMode? Mode { get; set; }", Widget);
        Assert.Contains("public required string Name { get; set; }", Widget);
    }

    [Fact]
    public void Enums_carry_their_wire_values_including_dotted_kebab_and_numeric()
    {
        Assert.Contains("[__EnumMember(Value = \"fast-path\")]", Widget);
        Assert.Contains("FastPath,", Widget);
        Assert.Contains("SlowPath,", Widget);
        Assert.Contains("_8,", Widget);
        Assert.Contains("Values = new(\"fast-path\", \"slow.path\", \"8\");", Widget);
    }

    [Fact]
    public void Schema_default_is_documented_and_available_as_a_constant()
    {
        Assert.Contains("public const string ModeDefaultJson = \"\\\"fast-path\\\"\";", Widget);
    }

    [Fact]
    public void Additional_properties_become_dictionaries_recursively()
    {
        Assert.Contains("public __Collections.IDictionary<string, string>? Labels { get; set; }", Widget);
        Assert.Contains("public __Collections.IDictionary<string, __Collections.IDictionary<string, long>>? Nested { get; set; }", Widget);
    }

    [Fact]
    public void Int_or_string_and_preserve_unknown_fields_map_to_their_types()
    {
        Assert.Contains("public global::CrdKit.Serialization.IntOrString? Port { get; set; }", Widget);
        Assert.Contains("public __Json.Nodes.JsonNode? Raw { get; set; }", Widget);
    }

    [Fact]
    public void Keywords_and_kebab_case_names_are_escaped_and_the_wire_name_kept()
    {
        Assert.Contains("[__JsonName(\"class\")]", Widget);
        Assert.Contains("public string? Class { get; set; }", Widget);
        Assert.Contains("[__JsonName(\"max-surge\")]", Widget);
        Assert.Contains("public string? MaxSurge { get; set; }", Widget);
    }

    [Fact]
    public void Well_known_kubernetes_shapes_map_to_kubernetes_client_types()
    {
        Assert.Contains("public __K8s.V1LabelSelector? Selector { get; set; }", Widget);
        Assert.Contains("__Collections.IList<__K8s.V1Condition>? Conditions", Widget);
        Assert.Contains("public __K8s.V1ObjectMeta Metadata { get; set; } = new();", Widget);
    }

    [Fact]
    public void Structurally_identical_shapes_become_one_type()
    {
        // backup and primary have one shape; the first path in order names it.
        Assert.Contains("public WidgetBackup? Backup { get; set; }", Widget);
        Assert.Contains("public WidgetBackup? Primary { get; set; }", Widget);
        Assert.DoesNotContain("record WidgetPrimary", Widget);
    }

    [Fact]
    public void Descriptions_become_xml_docs()
    {
        Assert.Contains("/// <summary>How big.</summary>", Widget);
        Assert.Contains("/// <summary>A widget.</summary>", Widget);
    }

    [Fact]
    public void Every_served_version_is_generated_and_the_storage_version_marked()
    {
        var yaml = CrdText.Build("Gadget", string.Empty,
            ("v2", true, "{type: object, properties: {a: {type: string}}}"),
            ("v1beta1", false, "{type: object, properties: {a: {type: integer}}}"));
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("gadget.yaml", yaml));
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompileProblems);
        var source = outcome.Source("example.io.Gadget.g.cs");
        Assert.Contains("namespace Consumer.Crds.V2", source);
        Assert.Contains("namespace Consumer.Crds.V1beta1", source);
        Assert.Contains("public const bool IsStorageVersion = true;", source);
        Assert.Contains("public const bool IsStorageVersion = false;", source);
        Assert.Contains("record GadgetSpec ", source);
        Assert.Contains("record GadgetSpecV1beta1 ", source);
    }

    [Fact]
    public void Root_fields_besides_spec_and_status_are_first_class()
    {
        var yaml = CrdText.Single("Policy", "{type: object, properties: {a: {type: string}}}",
            "specs: {type: array, items: {type: object, properties: {a: {type: string}}}}");
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("policy.yaml", yaml));
        Assert.Empty(outcome.CompileProblems);
        var source = outcome.Source("example.io.Policy.g.cs");
        Assert.Contains("public __Collections.IList<global::Consumer.Crds.PolicySpec>? Specs { get; set; }", source);
    }

    [Fact]
    public void Schema_author_can_name_a_type()
    {
        var yaml = CrdText.Single("Named", "{type: object, x-csharp-type-name: NamedThing, properties: {a: {type: string}}}");
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("named.yaml", yaml));
        Assert.Empty(outcome.CompileProblems);
        Assert.Contains("public sealed partial record NamedThing ", outcome.AllSource);
    }

    [Fact]
    public void Different_shapes_wanting_one_name_get_longer_path_names()
    {
        var spec = "{type: object, properties: {left: {type: object, properties: {config: {type: object, properties: {a: {type: string}}}}}, right: {type: object, properties: {config: {type: object, properties: {b: {type: string}}}}}}}";
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("clash.yaml", CrdText.Single("Clash", spec)));
        Assert.Empty(outcome.CompileProblems);
        Assert.Contains("record ClashLeftConfig ", outcome.AllSource);
        Assert.Contains("record ClashRightConfig ", outcome.AllSource);
    }

    [Fact]
    public void Int_or_string_keeps_string_versus_number_on_round_trip()
    {
        var assembly = Widgets.Value.Load();
        foreach (var json in new[] { """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1,"port":"8"}}""", """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1,"port":8}}""" })
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), RoundTrip(assembly, "Consumer.Crds.V1.Widget", json)));
        }
    }

    [Fact]
    public void Unknown_fields_survive_read_modify_write_and_api_version_kind_metadata_come_first()
    {
        var assembly = Widgets.Value.Load();
        var json = """{"spec":{"size":2,"futureField":{"x":[1,2]},"max-surge":"25%"},"metadata":{"name":"w"},"kind":"Widget","apiVersion":"example.io/v1","extra":true}""";
        var back = RoundTrip(assembly, "Consumer.Crds.V1.Widget", json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), back));
        Assert.Equal(new[] { "apiVersion", "kind", "metadata" }, back!.AsObject().Select(p => p.Key).Take(3));
    }

    [Fact]
    public void Unknown_top_level_fields_of_a_list_survive_read_modify_write()
    {
        var assembly = Widgets.Value.Load();
        var json = """{"apiVersion":"example.io/v1","kind":"WidgetList","metadata":{"resourceVersion":"7"},"items":[{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1}}],"futureListField":{"a":[1,"b"]},"note":null}""";
        var list = Deserialize(assembly, "Consumer.Crds.V1.WidgetList", json);
        var additional = (System.Text.Json.Nodes.JsonObject?)list.GetType().GetProperty("AdditionalProperties")!.GetValue(list);
        Assert.Equal(new[] { "futureListField", "note" }, additional!.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), RoundTrip(assembly, "Consumer.Crds.V1.WidgetList", json)));
    }

    [Fact]
    public void Validate_reports_every_violation_with_path_value_and_fix()
    {
        var assembly = Widgets.Value.Load();
        var json = """{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":11,"max-surge":"lots","targets":[{"name":"a"},{"name":"a"}]}}""";
        var widget = Deserialize(assembly, "Consumer.Crds.V1.Widget", json);
        var errors = (IReadOnlyList<CrdKit.Validation.ValidationError>)widget.GetType().GetMethod("Validate", new[] { typeof(string) })!.Invoke(widget, new object?[] { null })!;
        Assert.Contains(errors, e => e.Path == "spec.size" && e.Value == "11" && e.Fix.Contains("[1, 10]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "spec.max-surge" && e.Value == "lots");
        Assert.Contains(errors, e => e.Path == "spec.targets[1]" && e.Message.Contains("name", StringComparison.Ordinal));
        Assert.Equal(3, errors.Count);
    }

    private static object Deserialize(Assembly assembly, string typeName, string json)
    {
        var type = assembly.GetType(typeName, throwOnError: true)!;
        var options = Context(assembly).Options;
        return JsonSerializer.Deserialize(json, type, options)!;
    }

    private static JsonNode? RoundTrip(Assembly assembly, string typeName, string json)
    {
        var value = Deserialize(assembly, typeName, json);
        return JsonNode.Parse(JsonSerializer.Serialize(value, value.GetType(), Context(assembly).Options));
    }

    private static System.Text.Json.Serialization.JsonSerializerContext Context(Assembly assembly) =>
        (System.Text.Json.Serialization.JsonSerializerContext)assembly.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
}
