using System.Globalization;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>JSON to YAML: one test per writing rule (see YamlJsonBridge and YamlScalars).</summary>
public sealed class YamlWritingTests
{
    private static string Yaml(string json) => Manifests.ToYaml(JsonNode.Parse(json)!);

    private static string ValueLine(string text) => Manifests.ToYaml(new JsonObject { ["v"] = text });

    [Fact]
    public void Block_style_with_two_space_indent_and_indented_sequences()
    {
        var yaml = Yaml("""{"spec":{"endpointSelector":{"matchLabels":{"app":"web"}},"ports":["80","443"],"rules":[{"a":1,"b":[2]}],"nested":[[1]]}}""");
        Assert.Equal(
            """
            spec:
              endpointSelector:
                matchLabels:
                  app: web
              ports:
                - "80"
                - "443"
              rules:
                - a: 1
                  b:
                    - 2
              nested:
                - - 1

            """,
            yaml);
    }

    [Fact]
    public void Keys_keep_object_order()
    {
        Assert.Equal("zeta: 1\nalpha: 2\nmid: 3\n", Yaml("""{"zeta":1,"alpha":2,"mid":3}"""));
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("012")]
    [InlineData(".5")]
    [InlineData("1_000")]
    [InlineData("80")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData("0o17")]
    [InlineData("0b101")]
    [InlineData("1:30")]
    [InlineData("1.")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    [InlineData("2001-12-14")]
    [InlineData("08")]
    public void String_that_looks_like_number_is_quoted(string text) =>
        Assert.Equal($"v: \"{text}\"\n", ValueLine(text));

    [Theory]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("yes")]
    [InlineData("yEs")]
    [InlineData("NO")]
    [InlineData("on")]
    [InlineData("oFF")]
    [InlineData("y")]
    [InlineData("N")]
    [InlineData("<<")]
    public void String_that_looks_like_boolean_or_null_is_quoted(string text) =>
        Assert.Equal($"v: \"{text}\"\n", ValueLine(text));

    [Theory]
    [InlineData(" lead")]
    [InlineData("trail ")]
    [InlineData("-dash")]
    [InlineData("?q")]
    [InlineData(":c")]
    [InlineData(",c")]
    [InlineData("[x")]
    [InlineData("]x")]
    [InlineData("{x")]
    [InlineData("}x")]
    [InlineData("#x")]
    [InlineData("&x")]
    [InlineData("*x")]
    [InlineData("!x")]
    [InlineData("|x")]
    [InlineData(">x")]
    [InlineData("%x")]
    [InlineData("@x")]
    [InlineData("`x")]
    [InlineData("a: b")]
    [InlineData("a #b")]
    [InlineData("key:")]
    public void String_with_indicator_or_blank_is_quoted(string text) =>
        Assert.Equal($"v: \"{text}\"\n", ValueLine(text));

    [Fact]
    public void String_with_quote_indicators_or_control_characters_is_double_quoted_with_escapes()
    {
        Assert.Equal("v: \"'x\"\n", ValueLine("'x"));
        Assert.Equal("v: \"\\\"x\"\n", ValueLine("\"x"));
        Assert.Equal("v: \"a\\x01b\"\n", ValueLine("a\u0001b"));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("cilium.io/v2")]
    [InlineData("10.0.0.0/8")]
    [InlineData("a:b")]
    [InlineData("a#b")]
    [InlineData("v1.19.3")]
    [InlineData("1.2.3")]
    [InlineData("quay.io/cilium/cilium:v1.19.0@sha256:abc")]
    [InlineData("grüße 日本")]
    [InlineData("yes please")]
    public void Plain_strings_stay_unquoted(string text) => Assert.Equal($"v: {text}\n", ValueLine(text));

    [Fact]
    public void Multiline_string_uses_literal_block()
    {
        Assert.Equal("v: |\n  line one\n  line two\n", ValueLine("line one\nline two\n"));
        Assert.Equal("v: |-\n  line one\n    indented\n", ValueLine("line one\n  indented"));
    }

    [Theory]
    [InlineData("trailing \nspace", "\"trailing \\nspace\"")]
    [InlineData(" leading\nspace", "\" leading\\nspace\"")]
    [InlineData("two\n\n", "\"two\\n\\n\"")]
    [InlineData("cr\r\nlf", "\"cr\\r\\nlf\"")]
    public void Multiline_string_falls_back_to_double_quotes_when_a_block_cannot_hold_it(string text, string expected) =>
        Assert.Equal($"v: {expected}\n", ValueLine(text));

    [Fact]
    public void Numbers_booleans_and_null_are_written_as_json()
    {
        Assert.Equal("a: 80\nb: 1.5\nc: 1e3\nd: -0.25\ne: true\nf: false\ng: null\n", Yaml("""{"a":80,"b":1.5,"c":1e3,"d":-0.25,"e":true,"f":false,"g":null}"""));
        Assert.Equal("a: 9.5\nb: 18446744073709551615\n", Manifests.ToYaml(new JsonObject { ["a"] = 9.5, ["b"] = ulong.MaxValue }));
    }

    [Fact]
    public void Empty_collections_are_flow()
    {
        Assert.Equal("a: {}\nb: []\nc:\n  - {}\n  - []\n", Yaml("""{"a":{},"b":[],"c":[{},[]]}"""));
        Assert.Equal("{}\n", Yaml("{}"));
    }

    [Fact]
    public void Keys_are_quoted_by_the_same_rules()
    {
        Assert.Equal("\"on\": 1\n\"80\": 2\nplain: 3\n", Yaml("""{"on":1,"80":2,"plain":3}"""));

        // A multi-line key cannot be an implicit key: the emitter writes the explicit "? key" form.
        Assert.Equal("? \"a\\nb\"\n: 3\n", Yaml("""{"a\nb":3}"""));
    }

    [Fact]
    public void Characters_outside_the_basic_plane_are_escaped_in_double_quotes()
    {
        // YamlDotNet's emitter has no unescaped form for them; the escape reads back as the same character.
        Assert.Equal("v: \"bee \\U0001F41D\"\n", ValueLine("bee \U0001F41D"));
    }

    [Fact]
    public void Output_ends_with_exactly_one_newline()
    {
        Assert.EndsWith("b\n", Yaml("""{"a":"b"}"""));
        Assert.DoesNotContain("\n\n", Yaml("""{"a":"b"}"""));
        Assert.Equal("v: |\n  x\n", ValueLine("x\n"));
        Assert.Equal("plain\n", Manifests.ToYaml(JsonValue.Create("plain")));
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        const string json = """{"apiVersion":"cilium.io/v2","kind":"CiliumNetworkPolicy","metadata":{"name":"x"},"spec":{"n":-1.5,"s":"multi\nline\n","l":["yes",1e3,null]}}""";
        var first = Yaml(json);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma and another minus sign must not leak into numbers (built by hand, so
            // both differ at once; named cultures in fresh processes are CrossProcessRenderTests).
            var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            odd.NumberFormat.NumberDecimalSeparator = ",";
            odd.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = odd;
            Assert.Equal(first, Yaml(json));
            Assert.Equal("d: -1.5\n", Manifests.ToYaml(new JsonObject { ["d"] = -1.5 }));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Multi_document_write_joins_with_dashes()
    {
        var yaml = Manifests.ToYaml([JsonNode.Parse("""{"a":1}""")!, JsonNode.Parse("""{"b":"x\n"}""")!, JsonNode.Parse("""{"c":3}""")!]);
        Assert.Equal("a: 1\n---\nb: |\n  x\n---\nc: 3\n", yaml);
        Assert.Equal(string.Empty, Manifests.ToYaml(System.Array.Empty<JsonNode>()));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("0x1F")]
    [InlineData("a: b")]
    [InlineData("multi\nline")]
    [InlineData("multi\nline\n")]
    [InlineData("tab\there")]
    [InlineData("trailing \nline")]
    [InlineData("\u2028sep")]
    [InlineData("🐝\n  bee")]
    [InlineData("---")]
    [InlineData("...")]
    [InlineData("- x")]
    [InlineData("'")]
    [InlineData("\\")]
    public void Written_strings_read_back_unchanged(string text)
    {
        var yaml = ValueLine(text);
        var back = (JsonObject)Manifests.ParseYaml(yaml)[0];
        Assert.Equal(text, back["v"]!.GetValue<string>());
    }

    [Fact]
    public void Non_finite_number_is_refused()
    {
        Assert.Throws<ManifestException>(() => Manifests.ToYaml(new JsonObject { ["v"] = double.NaN }));
    }
}
