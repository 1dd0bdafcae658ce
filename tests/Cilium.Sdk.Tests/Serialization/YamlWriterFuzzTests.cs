using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrdKit.Serialization;
using CsCheck;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>
/// Random JSON trees through the token-stream writer and through the previous YamlDotNet writer
/// (<see cref="YamlDotNetOracle"/>): the same bytes, always. The strings are the ones YAML makes hard: numbers, booleans,
/// nulls and timestamps as text, YAML 1.1 look-alikes, indicators, multi-line text (with trailing blanks, blank lines,
/// CR LF), leading and trailing spaces, control characters, unicode beyond the basic plane, huge keys; the trees have
/// empty maps and lists, mixed nesting and deep chains. A fixed seed makes every run the same cases.
/// </summary>
public sealed class YamlWriterFuzzTests
{
    private const string Seed = "0N0XIzNsQ0O2";
    private const int Cases = 4000;

    // Fragments joined into strings: each is something a YAML reader may take for something else, or an edge of the
    // writer's layout.
    private static readonly string[] Fragments =
    [
        "", "a", "web", "x y", "80", "8080", "012", "08", "0x1F", "0X1f", "0o17", "0b101", "0B1", "1_000", "+1", "-1", "-0", "1e3", "1E-3",
        "1.5", ".5", "1.", "1.2.3", "10.0.0.0/8", "1:30", "-1:30:00", "99999999999999999999", "18446744073709551616", "-9223372036854775809",
        "1e400", ".inf", "-.Inf", "+.INF", ".NaN", ".nan", "yes", "Yes", "YES", "yEs", "no", "On", "oFF", "y", "N", "true", "False", "TRUE",
        "null", "Null", "NULL", "~", "=", "<<", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-1-1",
        "-", "- a", "-a", "?", "? a", ":", ": a", "a: b", "a:b", "a:", "a #b", "a#b", "#a", "'a", "a'b", "\"a", "&a", "*a", "!a", "|a",
        ">a", "%a", "@a", "`a", "[a", "]a", "{a", "}a", "a,b", ",a", "---", "...", "--- a", "... a", " ", "  ", " a", "a ", "\t", "a\tb",
        "\n", "\n\n", "a\n", "a\nb", "a\n\nb", "a \nb", "a\n b", "a\n  b\n", "\r\n", "a\r\nb", "\r", "grüße", "日本語", "🐝", "a🐝b",
        "\u00a0", "\u0085", "\u2028", "\u2029", "\ufeff", "\u007f", "\u0001", "\u001b", "\0", "\u009f", "\ufffd", "\ufffe", "\\", "\"",
        "\\n", "'", "''", "a''b", "é\nü", "key=value", "http://x.y/z?q=1#f", "${VAR}", "{{ .Values.x }}",
    ];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.OneOf(Fragments),
        Gen.Select(Gen.OneOf(Fragments).Array[1, 4], parts => string.Concat(parts)),
        Gen.Char["abcxyzABCXYZ0123456789 :#-_.'\"\n\r\t\\/,?!@&*|>%{}[]`~=+\u00e9\u00a0\u0085\u2028\u4e2d"].Array[0, 24].Select(c => new string(c)));

    private static readonly Gen<string> Key = Gen.Frequency(
        (20, Text),
        (1, Gen.Select(Gen.Int[1000, 1100], n => new string('k', n))),
        (1, Gen.OneOf("apiVersion", "kind", "metadata", "spec", "status")));

    private static readonly Gen<Json> Scalar = Gen.Frequency(
        (8, Text.Select(t => (Json)new Json.Str(t))),
        (2, Gen.OneOf(Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), Gen.OneOf("0", "-0", "1e3", "1E+300", "0.000001", "-12.5e-7", "18446744073709551615"))
            .Select(t => (Json)new Json.Num(t))),
        (1, Gen.Bool.Select(b => (Json)new Json.Bool(b))),
        (1, Gen.Const((Json)new Json.Null())));

    private static readonly Gen<Json> Tree = Gen.Recursive<Json>((depth, tree) => depth >= 6
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (2, Gen.Select(Key, tree, (k, v) => (k, v)).Array[0, 6].Select(e => (Json)new Json.Obj(e))),
            (2, tree.Array[0, 5].Select(items => (Json)new Json.Arr(items))),
            (1, Gen.Select(Gen.Int[2, 40], Gen.Bool, Scalar, (n, map, leaf) => Chain(n, map, leaf)))));

    [Fact]
    public void Random_json_is_written_to_the_same_bytes_as_the_YamlDotNet_writer()
    {
        var written = 0;
        Tree.Sample(
            json =>
            {
                var node = json.ToNode();
                string expected;
                try
                {
                    expected = YamlDotNetOracle.Write(node);
                }
                catch (ManifestException)
                {
                    // The previous writer refused it (never for these inputs); the new one must refuse it too.
                    Assert.Throws<ManifestException>(() => CrdYaml.ToYaml(node!));
                    return;
                }

                // The JsonNode path, the token path (UTF-8 JSON, as the serializer writes it), and the header move.
                Assert.Equal(expected, YamlJsonBridge.Write(node, null));
                var utf8 = Utf8(node);
                Assert.Equal(expected, YamlJsonBridge.WriteJson(utf8, null, headerFirst: false));
                var headerFirst = YamlDotNetOracle.Write(YamlDotNetOracle.HeaderFirst(JsonNode.Parse(utf8)), "---\n");
                Assert.Equal(headerFirst, YamlJsonBridge.WriteJson(utf8, "---\n", headerFirst: true));
                written++;
            },
            seed: Seed,
            iter: Cases,
            threads: 1,
            print: j => j.ToNode()?.ToJsonString() ?? "null");
        Assert.True(written > Cases / 2, $"only {written} of {Cases} trees written");
    }

    [Fact]
    public void Header_fields_in_any_order_are_moved_first_as_before()
    {
        // Root objects of header fields and other keys, shuffled: KubernetesClient models write apiVersion and kind
        // anywhere; the writer moves them (then metadata) first, in the written text, as the JsonNode tree did.
        var entry = Gen.Select(Gen.OneOf("apiVersion", "kind", "metadata", "spec", "data", "type", "zeta", "a\nb"), Tree, (k, v) => (k, v));
        var moved = 0;
        entry.Array[1, 8].Sample(
            entries =>
            {
                var utf8 = Utf8(new Json.Obj(entries).ToNode());
                var original = JsonNode.Parse(utf8)!;
                var expected = YamlDotNetOracle.Write(YamlDotNetOracle.HeaderFirst(JsonNode.Parse(utf8)), "---\n");
                Assert.Equal(expected, YamlJsonBridge.WriteJson(utf8, "---\n", headerFirst: true));
                moved += expected == YamlDotNetOracle.Write(original, "---\n") ? 0 : 1;
            },
            seed: Seed,
            iter: 2000,
            threads: 1);
        Assert.True(moved > 200, $"only {moved} cases moved a header field");
    }

    [Fact]
    public void Every_fragment_alone_and_as_a_key_is_written_as_before()
    {
        foreach (var text in Fragments)
        {
            var node = new JsonObject { [text.Length == 0 ? "empty" : text] = text, ["list"] = new JsonArray(text, new JsonObject { [text] = new JsonArray() }) };
            Assert.Equal(YamlDotNetOracle.Write(node), YamlJsonBridge.Write(node, null));
            Assert.Equal(YamlDotNetOracle.Write(JsonValue.Create(text)), YamlJsonBridge.Write(JsonValue.Create(text), null));
        }
    }

    [Fact]
    public void The_span_classification_agrees_with_the_reader_on_every_fragment_and_random_text()
    {
        // NeedsQuotes now classifies over spans; the reader still resolves with values. They must agree.
        foreach (var text in Fragments.Where(f => f.Length > 0))
        {
            Assert.Equal(YamlScalars.ResolvePlain(text, out _), YamlScalars.ClassifyPlain(text));
            Assert.Equal(OracleQuoting.NeedsQuotes(text), YamlScalars.NeedsQuotes(text));
        }

        Gen.Char["0123456789abcdefABCDEFxXoObB_+-.:eE \tyYnNtT~"].Array[1, 30].Select(c => new string(c)).Sample(
            text =>
            {
                Assert.Equal(YamlScalars.ResolvePlain(text, out _), YamlScalars.ClassifyPlain(text));
                Assert.Equal(OracleQuoting.NeedsQuotes(text), YamlScalars.NeedsQuotes(text));
            },
            seed: Seed,
            iter: 20000,
            threads: 1);

        // The writer's one-scan fast path for names must never call plain what the full rules would quote.
        var fast = 0;
        Gen.Char["abcnoyesfltruONYSEFLTRU019 -._/:@+=#'\""].Array[1, 12].Select(c => new string(c)).Sample(
            text =>
            {
                if (YamlScalars.IsPlainName(text))
                {
                    fast++;
                    Assert.False(OracleQuoting.NeedsQuotes(text), $"'{text}' is quoted by the full rules");
                }

                Assert.Equal(OracleQuoting.NeedsQuotes(text), YamlScalars.NeedsQuotes(text));
            },
            seed: Seed,
            iter: 20000,
            threads: 1);
        Assert.True(fast > 1000, $"only {fast} strings took the fast path");
    }

    [Fact]
    public void A_lone_high_surrogate_is_refused_as_before()
    {
        var node = new JsonObject { ["v"] = "a\ud800b" };
        Assert.Throws<ManifestException>(() => YamlDotNetOracle.Write(node));
        Assert.Throws<ManifestException>(() => CrdYaml.ToYaml(node));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_with_the_same_message()
    {
        JsonNode deep = new JsonArray();
        for (var i = 0; i < 1100; i++)
        {
            deep = new JsonArray(deep);
        }

        var expected = Assert.Throws<ManifestException>(() => YamlDotNetOracle.Write(deep)).Message;
        Assert.Equal(expected, Assert.Throws<ManifestException>(() => CrdYaml.ToYaml(deep)).Message);
        var utf8 = Encoding.UTF8.GetBytes(new string('[', 1100) + new string(']', 1100));
        Assert.Equal(expected, Assert.Throws<ManifestException>(() => YamlJsonBridge.WriteJson(utf8, null, headerFirst: false)).Message);
    }

    private static byte[] Utf8(JsonNode? node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default, MaxDepth = 2000 }))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Json Chain(int length, bool maps, Json leaf)
    {
        var node = leaf;
        for (var i = 0; i < length; i++)
        {
            node = maps ? new Json.Obj([("k" + i, node)]) : new Json.Arr([node]);
        }

        return node;
    }

    /// <summary>An immutable JSON tree (CsCheck may build a case more than once; JsonNode can have one parent only).</summary>
    private abstract record Json
    {
        public abstract JsonNode? ToNode();

        public sealed record Str(string Value) : Json
        {
            public override JsonNode? ToNode() => JsonValue.Create(Value);
        }

        public sealed record Num(string Text) : Json
        {
            public override JsonNode? ToNode() => JsonNode.Parse(Text);
        }

        public sealed record Bool(bool Value) : Json
        {
            public override JsonNode? ToNode() => JsonValue.Create(Value);
        }

        public sealed record Null : Json
        {
            public override JsonNode? ToNode() => null;
        }

        public sealed record Obj((string Key, Json Value)[] Entries) : Json
        {
            public override JsonNode? ToNode()
            {
                var obj = new JsonObject();
                foreach (var (key, value) in Entries)
                {
                    if (!obj.ContainsKey(key))
                    {
                        obj[key] = value.ToNode();
                    }
                }

                return obj;
            }
        }

        public sealed record Arr(Json[] Items) : Json
        {
            public override JsonNode? ToNode() => new JsonArray(Items.Select(i => i.ToNode()).ToArray());
        }
    }
}
