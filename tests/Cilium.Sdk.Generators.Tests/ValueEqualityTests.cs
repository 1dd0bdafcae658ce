using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Generators.Tests.Infrastructure;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// Issue 18, item 5: generated records are values. Two records read from the same JSON are Equals with the same hash
/// (lists element by element, maps and JSON objects in any member order, metadata by its JSON); changing any one field
/// makes them unequal. The world examples (WorldExamplesTests) check the same on every upstream example.
/// </summary>
public sealed class ValueEqualityTests
{
    private static readonly Lazy<GeneratorOutcome> Widgets = new(() =>
        GeneratorHarness.Run(GeneratorHarness.FromFile(Path.Combine(AppContext.BaseDirectory, "Crds", "widgets.yaml"))));

    private const string Full = """
        {"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"1","b":"2"}},
         "spec":{"size":3,"mode":"slow.path","port":"http","labels":{"x":"1","y":"2"},"nested":{"n":{"k":1}},"raw":{"free":[1,{"deep":true}]},
                 "class":"c","selector":{"matchLabels":{"app":"web"}},"primary":{"host":"h","port":1},"targets":[{"name":"t1","weight":1},{"name":"t2"}]},
         "status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z","reason":"R","message":"m"}]},
         "unknownTop":{"z":1}}
        """;

    public static TheoryData<string, string> Mutations() => new()
    {
        { "a scalar", """{"spec":{"size":4}}""" },
        { "an enum", """{"spec":{"mode":"fast-path"}}""" },
        { "int or string", """{"spec":{"port":8080}}""" },
        { "a map entry", """{"spec":{"labels":{"x":"1","y":"3"}}}""" },
        { "a nested map entry", """{"spec":{"nested":{"n":{"k":2}}}}""" },
        { "a JSON payload", """{"spec":{"raw":{"free":[1,{"deep":false}]}}}""" },
        { "a label selector", """{"spec":{"selector":{"matchLabels":{"app":"db"}}}}""" },
        { "a nested record", """{"spec":{"primary":{"host":"h","port":2}}}""" },
        { "a list item", """{"spec":{"targets":[{"name":"t1","weight":1},{"name":"t3"}]}}""" },
        { "list order", """{"spec":{"targets":[{"name":"t2"},{"name":"t1","weight":1}]}}""" },
        { "a condition", """{"status":{"conditions":[{"type":"Ready","status":"False","lastTransitionTime":"2024-01-01T00:00:00Z","reason":"R","message":"m"}]}}""" },
        { "a metadata label", """{"metadata":{"name":"w","labels":{"a":"1","b":"3"}}}""" },
        { "an unknown field", """{"unknownTop":{"z":2}}""" },
    };

    [Fact]
    public void The_same_document_read_twice_is_equal_with_the_same_hash()
    {
        var assembly = Widgets.Value.Load();
        var a = Read(assembly, "Consumer.Crds.V1.Widget", Full);
        var b = Read(assembly, "Consumer.Crds.V1.Widget", Full);
        Assert.NotSame(a, b);
        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(2, new HashSet<object> { a, b, Read(assembly, "Consumer.Crds.V1.Widget", Merge(Full, """{"spec":{"size":4}}""")) }.Count);
    }

    [Fact]
    public void Map_and_json_object_member_order_does_not_matter()
    {
        var assembly = Widgets.Value.Load();
        var reordered = Full.Replace("""{"x":"1","y":"2"}""", """{"y":"2","x":"1"}""", StringComparison.Ordinal)
            .Replace("""{"name":"w","labels":{"a":"1","b":"2"}}""", """{"labels":{"b":"2","a":"1"},"name":"w"}""", StringComparison.Ordinal);
        Assert.NotEqual(Full, reordered);
        var a = Read(assembly, "Consumer.Crds.V1.Widget", Full);
        var b = Read(assembly, "Consumer.Crds.V1.Widget", reordered);
        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Changing_one_field_makes_the_records_unequal(string what, string patch)
    {
        var assembly = Widgets.Value.Load();
        var a = Read(assembly, "Consumer.Crds.V1.Widget", Full);
        var b = Read(assembly, "Consumer.Crds.V1.Widget", Merge(Full, patch));
        Assert.False(a.Equals(b), $"still equal after changing {what}");
    }

    [Fact]
    public void List_types_compare_their_items_by_value()
    {
        var assembly = Widgets.Value.Load();
        var list = """{"apiVersion":"example.io/v1","kind":"WidgetList","metadata":{"resourceVersion":"7"},"items":[""" + Full + "]}";
        var a = Read(assembly, "Consumer.Crds.V1.WidgetList", list);
        Assert.True(a.Equals(Read(assembly, "Consumer.Crds.V1.WidgetList", list)));
        Assert.Equal(a.GetHashCode(), Read(assembly, "Consumer.Crds.V1.WidgetList", list).GetHashCode());
        Assert.False(a.Equals(Read(assembly, "Consumer.Crds.V1.WidgetList", list.Replace("\"size\":3", "\"size\":5", StringComparison.Ordinal))));
    }

    /// <summary>Replaces the patch's top-level and spec/status/metadata members in the document.</summary>
    private static string Merge(string json, string patch)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            if (value is JsonObject inner && key is "spec" or "status" && document[key] is JsonObject target)
            {
                foreach (var (k, v) in inner)
                {
                    target[k] = v?.DeepClone();
                }
            }
            else
            {
                document[key] = value?.DeepClone();
            }
        }

        return document.ToJsonString();
    }

    private static object Read(Assembly assembly, string typeName, string json)
    {
        var context = (System.Text.Json.Serialization.JsonSerializerContext)assembly.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
        return JsonSerializer.Deserialize(json, assembly.GetType(typeName, throwOnError: true)!, context.Options)!;
    }
}
