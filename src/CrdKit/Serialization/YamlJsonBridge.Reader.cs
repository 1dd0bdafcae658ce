using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CrdKit.Serialization;

/// <summary>YAML text to JSON nodes.</summary>
internal static partial class YamlJsonBridge
{
    /// <summary>At most this many nodes are produced per document, aliases and merges expanded (alias bombs).</summary>
    internal const int MaxNodesPerDocument = 1_000_000;

    /// <summary>Collections nest at most this deep, aliases expanded (stack exhaustion).</summary>
    internal const int MaxDepth = 256;

    private const string TagPrefix = "tag:yaml.org,2002:";
    private const string StrTag = TagPrefix + "str";
    private const string IntTag = TagPrefix + "int";
    private const string FloatTag = TagPrefix + "float";
    private const string BoolTag = TagPrefix + "bool";
    private const string NullTag = TagPrefix + "null";
    private const string MapTag = TagPrefix + "map";
    private const string SeqTag = TagPrefix + "seq";
    private const string MergeTag = TagPrefix + "merge";

    /// <summary>Reads every document of a YAML stream as JSON; empty (null) documents are skipped, as kubectl does.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="positions">If given, receives the YAML start position of every produced node.</param>
    /// <returns>One node per non-empty document.</returns>
    /// <exception cref="ManifestException">The YAML is malformed or uses a refused construct.</exception>
    internal static IReadOnlyList<JsonNode> Read(string yaml, Dictionary<JsonNode, Mark>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = new List<JsonNode>();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            Expect<StreamStart>(parser);
            while (!(parser.Current is StreamEnd))
            {
                Expect<DocumentStart>(parser);
                var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
                var root = Compose(parser, anchors, 1);
                Expect<DocumentEnd>(parser);

                var converter = new Converter(positions);
                var json = converter.Convert(root, 1);
                if (json is not null)
                {
                    documents.Add(json);
                }
            }
        }
        catch (YamlException e)
        {
            // Never let YamlDotNet's exception types escape; keep its position and message.
            throw ManifestException.At(e.Start.Line, e.Start.Column, Trim(e.Message) + "; fix the YAML syntax there", e);
        }

        return documents;
    }

    private static string Trim(string message)
    {
        // YamlDotNet prefixes "(Line: 1, Col: 1, Idx: 0) - (Line: ...): "; the position is reported separately.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && i >= 0 ? message[(i + 3)..] : message;
    }

    private static T Expect<T>(IParser parser)
        where T : ParsingEvent
    {
        if (parser.Current is null && !parser.MoveNext())
        {
            throw new ManifestException("unexpected end of the YAML stream");
        }

        if (parser.Current is not T current)
        {
            var at = parser.Current!.Start;
            throw ManifestException.At(at.Line, at.Column, $"expected {typeof(T).Name}, found {parser.Current.GetType().Name}");
        }

        parser.MoveNext();
        return current;
    }

    /// <summary>Builds the YAML node tree of one node, registering anchors when their node is complete.</summary>
    private static YamlNode Compose(IParser parser, Dictionary<string, YamlNode> anchors, int depth)
    {
        var current = parser.Current ?? throw new ManifestException("unexpected end of the YAML stream");
        if (current is AnchorAlias alias)
        {
            parser.MoveNext();

            // An anchor is registered only once its node is complete, so an alias can never point into itself
            // (no cycles) and forward references are refused.
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw ManifestException.At(alias.Start.Line, alias.Start.Column, $"alias *{alias.Value.Value} refers to no earlier anchor &{alias.Value.Value}; define the anchor before using it (an anchor cannot refer to itself)");
            }

            return target;
        }

        if (depth > MaxDepth)
        {
            throw ManifestException.At(current.Start.Line, current.Start.Column, $"the document nests deeper than {MaxDepth} levels; flatten it");
        }

        YamlNode node;
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                node = new YamlNode(YamlNodeKind.Scalar, scalar.Start, TagOf(scalar), scalar.Value, scalar.Style);
                break;
            case SequenceStart sequence:
            {
                parser.MoveNext();
                node = new YamlNode(YamlNodeKind.Sequence, sequence.Start, TagOf(sequence), string.Empty, ScalarStyle.Any);
                while (parser.Current is not SequenceEnd)
                {
                    node.Children.Add(Compose(parser, anchors, depth + 1));
                }

                parser.MoveNext();
                break;
            }

            case MappingStart mapping:
            {
                parser.MoveNext();
                node = new YamlNode(YamlNodeKind.Mapping, mapping.Start, TagOf(mapping), string.Empty, ScalarStyle.Any);
                while (parser.Current is not MappingEnd)
                {
                    node.Children.Add(Compose(parser, anchors, depth + 1));
                    node.Children.Add(Compose(parser, anchors, depth + 1));
                }

                parser.MoveNext();
                break;
            }

            default:
                throw ManifestException.At(current.Start.Line, current.Start.Column, $"unexpected {current.GetType().Name}");
        }

        if (current is NodeEvent { Anchor.IsEmpty: false } withAnchor)
        {
            // A later anchor of the same name replaces the earlier one (YAML 1.2 section 3.2.2.2).
            anchors[withAnchor.Anchor.Value] = node;
        }

        return node;
    }

    private static string TagOf(NodeEvent e) => e.Tag.IsEmpty ? string.Empty : e.Tag.Value;

    private static string Shown(string tag) => tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + tag[TagPrefix.Length..] : tag.StartsWith('!') ? tag : "!<" + tag + ">";

    private enum YamlNodeKind
    {
        Scalar,
        Sequence,
        Mapping,
    }

    /// <summary>One composed YAML node; mapping children alternate key, value. Shared by every alias to it.</summary>
    private sealed class YamlNode(YamlNodeKind kind, Mark start, string tag, string value, ScalarStyle style)
    {
        public YamlNodeKind Kind { get; } = kind;

        public Mark Start { get; } = start;

        public string Tag { get; } = tag;

        public string Value { get; } = value;

        public ScalarStyle Style { get; } = style;

        public List<YamlNode> Children { get; } = [];
    }

    /// <summary>Turns one document's node tree into JSON, expanding aliases and merges within the node budget.</summary>
    private sealed class Converter(Dictionary<JsonNode, Mark>? positions)
    {
        private int produced;

        public JsonNode? Convert(YamlNode node, int depth)
        {
            // Every produced value counts, including each copy an alias or a merge makes: a billion-laughs document
            // stops here at the budget instead of exhausting memory.
            if (++produced > MaxNodesPerDocument)
            {
                throw ManifestException.At(node.Start.Line, node.Start.Column, $"the document expands to more than {MaxNodesPerDocument:N0} nodes (aliases and merge keys included); this looks like an alias bomb: reduce the use of aliases");
            }

            if (depth > MaxDepth)
            {
                throw ManifestException.At(node.Start.Line, node.Start.Column, $"the document nests deeper than {MaxDepth} levels once aliases are expanded; flatten it");
            }

            var result = node.Kind switch
            {
                YamlNodeKind.Scalar => ConvertScalar(node),
                YamlNodeKind.Sequence => ConvertSequence(node, depth),
                _ => ConvertMapping(node, depth),
            };
            if (result is not null && positions is not null)
            {
                positions[result] = node.Start;
            }

            return result;
        }

        private static JsonNode? ConvertScalar(YamlNode node)
        {
            var text = node.Value;
            switch (node.Tag)
            {
                case "":
                    // Quoted, literal and folded scalars are always strings; only plain ones are resolved.
                    if (node.Style != ScalarStyle.Plain)
                    {
                        return JsonValue.Create(text);
                    }

                    var kind = YamlScalars.ResolvePlain(text, out var value);

                    // .inf/.nan stay text: JSON has no such numbers. The merge key as a value is just "<<".
                    return kind is YamlScalars.PlainKind.String or YamlScalars.PlainKind.NonFinite or YamlScalars.PlainKind.Merge
                        ? JsonValue.Create(text)
                        : value;
                case "!":
                case StrTag:
                    // "!" is the non-specific tag: a scalar with it is a string (YAML 1.2 section 6.9.1).
                    return JsonValue.Create(text);
                case IntTag:
                    return YamlScalars.TryGoInteger(text.Replace("_", string.Empty, StringComparison.Ordinal), out var integer)
                        ? integer
                        : throw Refused(node, $"'{text}' is not an integer, but it is tagged !!int; fix the value or remove the tag");
                case FloatTag:
                {
                    var k = YamlScalars.ResolvePlain(text, out var number);
                    return k is YamlScalars.PlainKind.Integer or YamlScalars.PlainKind.Float
                        ? JsonValue.Create(double.Parse(number!.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture))
                        : throw Refused(node, $"'{text}' is not a finite float (JSON has no .inf or .nan), but it is tagged !!float; fix the value or remove the tag");
                }

                case BoolTag:
                    return YamlScalars.ResolvePlain(text, out var boolean) == YamlScalars.PlainKind.Boolean
                        ? boolean
                        : throw Refused(node, $"'{text}' is not a boolean, but it is tagged !!bool; use true or false");
                case NullTag:
                    return YamlScalars.ResolvePlain(text, out _) == YamlScalars.PlainKind.Null
                        ? null
                        : throw Refused(node, $"'{text}' is not null, but it is tagged !!null; use null or remove the tag");
                default:
                    throw UnsupportedTag(node);
            }
        }

        private JsonArray ConvertSequence(YamlNode node, int depth)
        {
            if (node.Tag is not ("" or "!" or SeqTag))
            {
                throw UnsupportedTag(node);
            }

            var array = new JsonArray();
            foreach (var child in node.Children)
            {
                array.Add(Convert(child, depth + 1));
            }

            return array;
        }

        private JsonObject ConvertMapping(YamlNode node, int depth)
        {
            if (node.Tag is not ("" or "!" or MapTag))
            {
                throw UnsupportedTag(node);
            }

            // Keys written in this mapping win over merged ones wherever the "<<" stands, and earlier merge sources
            // win over later ones: the YAML merge-key spec, as go-yaml implements it. Duplicates among the written
            // keys are refused (kubectl's strict decoding does the same).
            var written = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            for (var i = 0; i < node.Children.Count; i += 2)
            {
                var keyNode = node.Children[i];
                if (IsMergeKey(keyNode))
                {
                    continue;
                }

                var key = KeyText(keyNode);
                if (!written.TryAdd(key, keyNode))
                {
                    var first = written[key].Start;
                    throw Refused(keyNode, $"duplicate key '{key}' (first at line {first.Line}); remove one of them");
                }
            }

            var result = new JsonObject();
            for (var i = 0; i < node.Children.Count; i += 2)
            {
                var keyNode = node.Children[i];
                var valueNode = node.Children[i + 1];
                if (!IsMergeKey(keyNode))
                {
                    result[KeyText(keyNode)] = Convert(valueNode, depth + 1);
                    continue;
                }

                foreach (var source in MergeSources(keyNode, valueNode))
                {
                    // The source is converted like any mapping (its own merges and duplicate checks apply, and its
                    // nodes count against the budget), then its entries are moved in.
                    var merged = ConvertMapping(source, depth);
                    if (++produced > MaxNodesPerDocument)
                    {
                        throw Refused(source, $"the document expands to more than {MaxNodesPerDocument:N0} nodes (aliases and merge keys included); reduce the use of aliases");
                    }

                    var entries = new List<KeyValuePair<string, JsonNode?>>(merged);
                    merged.Clear();
                    foreach (var (key, value) in entries)
                    {
                        if (!written.ContainsKey(key) && !result.ContainsKey(key))
                        {
                            result[key] = value;
                        }
                    }
                }
            }

            return result;
        }

        private static bool IsMergeKey(YamlNode key) =>
            key.Kind == YamlNodeKind.Scalar && key.Value == "<<" &&
            ((key.Tag.Length == 0 && key.Style == ScalarStyle.Plain) || key.Tag == MergeTag);

        private static IEnumerable<YamlNode> MergeSources(YamlNode key, YamlNode value)
        {
            // "<<: *a" merges one mapping, "<<: [*a, *b]" several.
            if (value.Kind == YamlNodeKind.Mapping)
            {
                return [value];
            }

            if (value.Kind == YamlNodeKind.Sequence && value.Children.TrueForAll(c => c.Kind == YamlNodeKind.Mapping))
            {
                return value.Children;
            }

            throw Refused(key, "the merge key << needs a mapping or a list of mappings (e.g. <<: *defaults or <<: [*a, *b])");
        }

        private static string KeyText(YamlNode key)
        {
            // JSON keys are strings: scalar keys are resolved and printed as sigs.k8s.io/yaml does (1 -> "1",
            // true -> "true", null -> "null"); mappings or sequences as keys cannot be represented.
            if (key.Kind != YamlNodeKind.Scalar)
            {
                throw Refused(key, "a mapping key must be a scalar; JSON object keys are strings");
            }

            var value = ConvertScalar(key);
            if (value is null)
            {
                return "null";
            }

            return value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        }

        private static ManifestException Refused(YamlNode node, string detail) =>
            ManifestException.At(node.Start.Line, node.Start.Column, detail);

        private static ManifestException UnsupportedTag(YamlNode node) =>
            Refused(node, $"the tag {Shown(node.Tag)} is not supported (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq); remove it, nothing is ever instantiated from a tag");
    }
}
