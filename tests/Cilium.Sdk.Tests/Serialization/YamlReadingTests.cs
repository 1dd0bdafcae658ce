using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>YAML to JSON: one test per reading rule (see YamlJsonBridge and YamlScalars).</summary>
public sealed class YamlReadingTests
{
    private static JsonNode? Value(string yamlScalar) => ((JsonObject)Manifests.ParseYaml("v: " + yamlScalar + "\n")[0])["v"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(string yaml) => Manifests.ParseYaml(yaml)[0].ToJsonString(Relaxed);

    [Theory]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("~")]
    [InlineData("")]
    public void Null_tilde_and_empty_are_read_as_null(string text) => Assert.Null(Value(text));

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("Y", true)]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("no", false)]
    [InlineData("N", false)]
    [InlineData("Off", false)]
    [InlineData("FALSE", false)]
    public void Yes_is_read_as_boolean_like_kubectl(string text, bool expected)
    {
        var value = Value(text);
        Assert.Equal(expected ? JsonValueKind.True : JsonValueKind.False, value!.GetValueKind());
    }

    [Theory]
    [InlineData("yEs")]
    [InlineData("oN")]
    [InlineData("nO")]
    public void Mixed_case_boolean_words_go_yaml_does_not_accept_stay_strings(string text) =>
        Assert.Equal(text, Value(text)!.GetValue<string>());

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("+7", "7")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("012", "10")]
    [InlineData("0b101", "5")]
    [InlineData("1_000", "1000")]
    [InlineData("0", "0")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("-0x10", "-16")]
    [InlineData("-0", "0")]
    public void Integers_are_read_like_go_yaml(string text, string json) => Assert.Equal(json, Value(text)!.ToJsonString());

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1e3", 1000)]
    [InlineData("-1.5E-2", -0.015)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1)]
    [InlineData("08", 8)] // not octal, so go-yaml falls through to its float rule
    public void Floats_with_exponent_are_read_as_numbers(string text, double expected)
    {
        var value = Value(text)!;
        Assert.Equal(JsonValueKind.Number, value.GetValueKind());
        Assert.Equal(expected, value.GetValue<double>());
    }

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    [InlineData("1e400")] // overflows to infinity: Go reports a range error and go-yaml keeps the string
    public void Inf_and_nan_stay_strings(string text) => Assert.Equal(text, Value(text)!.GetValue<string>());

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("2001-12-14")] // a timestamp: go-yaml hands it to sigs.k8s.io/yaml as the string
    [InlineData("1:30")] // YAML 1.1 base 60 is not supported by go-yaml v2
    [InlineData("0x")]
    [InlineData("+")]
    [InlineData("v1")]
    public void Number_like_text_go_yaml_does_not_parse_stays_string(string text) => Assert.Equal(text, Value(text)!.GetValue<string>());

    [Fact]
    public void Quoted_literal_and_folded_scalars_are_always_strings()
    {
        var obj = (JsonObject)Manifests.ParseYaml("a: \"yes\"\nb: '80'\nc: |\n  true\nd: >-\n  12\ne: \"\"\n")[0];
        Assert.Equal("yes", obj["a"]!.GetValue<string>());
        Assert.Equal("80", obj["b"]!.GetValue<string>());
        Assert.Equal("true\n", obj["c"]!.GetValue<string>());
        Assert.Equal("12", obj["d"]!.GetValue<string>());
        Assert.Equal(string.Empty, obj["e"]!.GetValue<string>());
    }

    [Fact]
    public void Explicit_core_tags_are_honoured()
    {
        var json = Json("""
            s: !!str 12
            i: !!int "0x10"
            f: !!float 1
            b: !!bool "yes"
            z: !!null ""
            m: !!map {a: 1}
            q: !!seq [1]
            x: ! 5
            v: !<tag:yaml.org,2002:str> true
            """);
        Assert.Equal("""{"s":"12","i":16,"f":1,"b":true,"z":null,"m":{"a":1},"q":[1],"x":"5","v":"true"}""", json);
    }

    [Theory]
    [InlineData("a: 1\nb: !ruby/object:Gem::Installer\n  i: x\n", 2)]
    [InlineData("a: !<tag:example.com,2000:app/foo> x\n", 1)]
    [InlineData("a:\n  - ok\n  - !foo bar\n", 3)]
    [InlineData("a: !!binary aGVsbG8=\n", 1)]
    [InlineData("a: !!map [1]\n", 1)]
    public void Custom_tag_is_refused(string yaml, int line)
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(yaml));
        Assert.Equal(line, e.Line);
        Assert.Contains($"line {line}", e.Message);
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void Wrongly_tagged_value_is_refused()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml("a: !!int abc\n"));
        Assert.Contains("!!int", e.Message);
    }

    [Fact]
    public void Anchors_and_aliases_expand()
    {
        var json = Json("""
            base: &b {x: 1, w: [a, b]}
            copy: *b
            name: &n hello
            again: *n
            """);
        Assert.Equal("""{"base":{"x":1,"w":["a","b"]},"copy":{"x":1,"w":["a","b"]},"name":"hello","again":"hello"}""", json);
    }

    [Fact]
    public void Alias_bomb_is_refused_within_budget()
    {
        // The classic "billion laughs": 9^9 strings from a few hundred bytes.
        var yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var c = 'b'; c <= 'i'; c++)
        {
            var prev = (char)(c - 1);
            yaml.Append(c).Append(": &").Append(c).Append(" [").Append(string.Join(", ", Enumerable.Repeat("*" + prev, 9))).Append("]\n");
        }

        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(yaml.ToString()));
        Assert.Contains("1,000,000 nodes", e.Message);
        Assert.Contains("alias", e.Message);
    }

    /// <summary>The budget bounds the work exactly: a document that expands to the budget reads, one more node is refused
    /// (every value counts, each copy an alias makes included). So a bomb costs at most the budget, whatever it would
    /// expand to.</summary>
    [Fact]
    public void The_node_budget_is_exact_and_counts_every_alias_copy()
    {
        // root mapping (1) + a: sequence of 999 scalars (1000) + b: 998 copies of a (1 + 998 x 1000) + c: padding.
        static string Document(int padding) =>
            "a: &a [" + string.Join(", ", Enumerable.Repeat("x", 999)) + "]\n" +
            "b: [" + string.Join(", ", Enumerable.Repeat("*a", 998)) + "]\n" +
            "c: [" + string.Join(", ", Enumerable.Repeat("x", padding)) + "]\n";
        const int withoutPadding = 1 + 1000 + 1 + (998 * 1000) + 1;
        Assert.Equal(1_000_000, YamlJsonBridge.MaxNodesPerDocument);
        int padding = YamlJsonBridge.MaxNodesPerDocument - withoutPadding;

        var read = (JsonObject)Assert.Single(Manifests.ParseYaml(Document(padding)));
        Assert.Equal(998, read["b"]!.AsArray().Count);
        Assert.Equal(padding, read["c"]!.AsArray().Count);

        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(Document(padding + 1)));
        Assert.Contains("more than 1,000,000 nodes", e.Message);
        Assert.Equal(3, e.Line); // the node past the budget, in c: nothing after it was produced
    }

    [Fact]
    public void Nesting_deeper_than_256_is_refused()
    {
        Assert.Single(Manifests.ParseYaml(new string('[', 255) + new string(']', 255)));

        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(new string('[', 257) + new string(']', 257)));
        Assert.Contains("256", e.Message);

        // Far deeper input stops at the limit too, without exhausting the stack.
        Assert.Throws<ManifestException>(() => Manifests.ParseYaml(new string('[', 100_000)));
    }

    [Fact]
    public void Nesting_through_aliases_counts_against_depth()
    {
        var yaml = new StringBuilder("a0: &a0 [x]\n");
        for (var i = 1; i <= 300; i++)
        {
            yaml.Append("a").Append(i).Append(": &a").Append(i).Append(" [*a").Append(i - 1).Append("]\n");
        }

        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(yaml.ToString()));
        Assert.Contains("256", e.Message);
    }

    [Fact]
    public void Duplicate_key_is_refused()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml("metadata:\n  name: a\n  labels: {}\n  name: b\n"));
        Assert.Equal(4, e.Line);
        Assert.Equal(3, e.Column);
        Assert.Contains("duplicate key 'name'", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Keys_that_resolve_to_the_same_text_are_duplicates()
    {
        // yes and true are both the boolean true, i.e. the JSON key "true".
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml("yes: 1\ntrue: 2\n"));
        Assert.Contains("duplicate key 'true'", e.Message);
    }

    [Fact]
    public void Merge_key_is_supported_like_go_yaml()
    {
        var json = Json("""
            defaults: &d {a: 1, b: 2}
            more: &m {b: 3, c: 4}
            one:
              <<: *d
              b: 20
            many:
              c: 40
              <<: [*d, *m]
            quoted:
              "<<": *d
            """);

        // Written keys win wherever the merge stands; earlier merge sources win over later ones; a quoted "<<" is a key.
        Assert.Equal(
            """{"defaults":{"a":1,"b":2},"more":{"b":3,"c":4},"one":{"a":1,"b":20},"many":{"c":40,"a":1,"b":2},"quoted":{"<<":{"a":1,"b":2}}}""",
            json);
    }

    [Fact]
    public void Merge_of_a_scalar_is_refused()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml("a: &s x\nb:\n  <<: *s\n"));
        Assert.Contains("merge key", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Merge_keys_count_against_the_budget()
    {
        var yaml = new StringBuilder("m0: &m0 {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9}\n");
        for (var i = 1; i <= 12; i++)
        {
            yaml.Append("m").Append(i).Append(": &m").Append(i).Append(" {a: [").Append(string.Join(", ", Enumerable.Repeat("*m" + (i - 1), 10))).Append("], <<: *m").Append(i - 1).Append("}\n");
        }

        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(yaml.ToString()));
        Assert.Contains("1,000,000 nodes", e.Message);
    }

    [Theory]
    [InlineData("a: [1, 2\n", 2)]
    [InlineData("a: b: c\n", 1)]
    [InlineData("a:\n  - x\n - y\n", 3)]
    [InlineData("a: b\nc: \"unterminated\n", 2)]
    [InlineData("a: *nowhere\n", 1)]
    [InlineData("%TAG !e! tag:example.com,2000:\n---\na: !x!foo 1\n", 3)]
    public void Syntax_error_is_a_ManifestException_with_line_and_column(string yaml, int line)
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml(yaml));
        Assert.Equal(line, e.Line);
        Assert.NotNull(e.Column);
        Assert.StartsWith($"line {line}, column ", e.Message);
        Assert.DoesNotContain("YamlDotNet", e.Message);
    }

    [Fact]
    public void Multi_document_stream_yields_one_node_per_document()
    {
        var docs = Manifests.ParseYaml("a: 1\n---\n# only a comment\n---\nb: 2\n---\n...\n");
        Assert.Equal(2, docs.Count);
        Assert.Equal("""{"a":1}""", docs[0].ToJsonString());
        Assert.Equal("""{"b":2}""", docs[1].ToJsonString());
        Assert.Empty(Manifests.ParseYaml(string.Empty));
    }

    [Fact]
    public void Single_letter_keys_y_and_n_are_booleans_like_kubectl()
    {
        // The YAML 1.1 trap kubectl shares: a key "y" is the boolean true. Quote such keys.
        Assert.Equal("""{"true":1,"false":2,"y":3}""", Json("y: 1\nn: 2\n'y': 3\n"));
    }

    [Fact]
    public void Scalar_keys_become_json_keys_as_kubernetes_prints_them()
    {
        Assert.Equal("""{"1":"a","true":"b","null":"c","0x10":"d"}""", Json("1: a\non: b\n~: c\n'0x10': d\n"));
    }

    [Fact]
    public void Collection_as_key_is_refused()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ParseYaml("? [a]\n: b\n"));
        Assert.Contains("key must be a scalar", e.Message);
    }
}
