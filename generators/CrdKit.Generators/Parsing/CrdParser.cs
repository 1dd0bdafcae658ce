using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using CrdKit.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrdKit.Generators.Parsing;

/// <summary>
/// Reads one CRD file (several YAML documents allowed) into <see cref="CrdFile"/>. It never throws for bad
/// input: every problem becomes a <see cref="DiagnosticInfo"/> at the file and line, and the rest of the file
/// still parses.
/// </summary>
internal sealed class CrdParser
{
    /// <summary>Caps the nodes one file may expand to: YAML aliases can otherwise expand exponentially.</summary>
    internal const int MaxNodes = 2_000_000;

    /// <summary>Caps schema nesting; real CRDs stay below 30.</summary>
    internal const int MaxDepth = 100;

    private readonly string path;
    private readonly List<DiagnosticInfo> diagnostics = new();
    private readonly CancellationToken cancellationToken;
    private YamlMappingNode? definitions;
    private readonly Dictionary<string, SchemaNode> resolvedDefinitions = new(StringComparer.Ordinal);
    private readonly HashSet<string> resolving = new(StringComparer.Ordinal);
    private int visited;
    private bool budgetReported;

    private CrdParser(string path, CancellationToken cancellationToken)
    {
        this.path = path;
        this.cancellationToken = cancellationToken;
    }

    public static CrdFile Parse(string path, string text, string @namespace, CancellationToken cancellationToken)
    {
        var parser = new CrdParser(path, cancellationToken);
        var crds = parser.ParseFile(text);
        return new CrdFile(path, @namespace, crds.ToEquatableArray(), parser.diagnostics.ToEquatableArray());
    }

    private List<CrdModel> ParseFile(string text)
    {
        var crds = new List<CrdModel>();
        var stream = new YamlStream();
        var reader = new Parser(new StringReader(text));
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            // Some YamlDotNet errors (a tab in the indentation, an undefined alias) carry no position: use where the
            // parser stopped.
            Report("CRDGEN001", e.Start.Line > 1 || e.Start.Column > 1 ? e.Start : Locate(text), Path.GetFileName(path), Trim(e.Message));
            return crds;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // YamlDotNet also throws plain exceptions (a duplicate key is an ArgumentException): place them where the
            // parser stopped, which is the offending node.
            Report("CRDGEN001", Locate(text), Path.GetFileName(path), Trim(e.Message) + " (fix the YAML there)");
            return crds;
        }

        for (var index = 0; index < stream.Documents.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var root = stream.Documents[index].RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document between separators
            }

            if (root is not YamlMappingNode mapping)
            {
                Report("CRDGEN002", root.Start, (index + 1).ToString(CultureInfo.InvariantCulture), "non-mapping document");
                continue;
            }

            var apiVersion = Scalar(mapping, "apiVersion");
            var kind = Scalar(mapping, "kind");
            if (kind != "CustomResourceDefinition" || apiVersion is null || !apiVersion.StartsWith("apiextensions.k8s.io/", StringComparison.Ordinal))
            {
                Report("CRDGEN002", root.Start, (index + 1).ToString(CultureInfo.InvariantCulture), kind ?? "(no kind)");
                continue;
            }

            resolvedDefinitions.Clear();
            definitions = Child(mapping, "definitions") as YamlMappingNode;
            var crd = ParseCrd(mapping);
            if (crd is not null)
            {
                crds.Add(crd);
            }
        }

        crds.Sort((a, b) => string.CompareOrdinal(a.Group + "/" + a.Kind, b.Group + "/" + b.Kind));
        return crds;
    }

    private CrdModel? ParseCrd(YamlMappingNode document)
    {
        var name = Scalar(Child(document, "metadata"), "name") ?? "(unnamed)";
        if (Child(document, "spec") is not YamlMappingNode spec)
        {
            Report("CRDGEN003", document.Start, name, "'spec' is missing; a CRD needs spec.group, spec.names and spec.versions");
            return null;
        }

        var group = Scalar(spec, "group");
        var names = Child(spec, "names") as YamlMappingNode;
        var kind = Scalar(names, "kind");
        var plural = Scalar(names, "plural");
        if (string.IsNullOrEmpty(group) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(plural))
        {
            Report("CRDGEN003", spec.Start, name, "spec.group, spec.names.kind and spec.names.plural are required");
            return null;
        }

        if (!Identifiers.IsValid(kind!))
        {
            Report("CRDGEN003", names!.Start, name, $"spec.names.kind '{kind}' is not a valid type name");
            return null;
        }

        var versions = new List<CrdVersion>();
        if (Child(spec, "versions") is not YamlSequenceNode versionNodes || versionNodes.Children.Count == 0)
        {
            Report("CRDGEN003", spec.Start, name, "spec.versions is missing or empty");
            return null;
        }

        foreach (var versionNode in versionNodes.Children.OfType<YamlMappingNode>())
        {
            var versionName = Scalar(versionNode, "name");
            if (string.IsNullOrEmpty(versionName) || !Identifiers.IsValid("V" + versionName))
            {
                Report("CRDGEN003", versionNode.Start, name, $"version name '{versionName}' is missing or not a Kubernetes version");
                continue;
            }

            // Found by fuzzing: a version listed twice emitted its types twice (CS0101 in the consumer's build).
            if (versions.Any(v => v.Name == versionName))
            {
                Report("CRDGEN003", versionNode.Start, name, $"version '{versionName}' is listed more than once; only the first is used");
                continue;
            }

            if (Child(Child(versionNode, "schema"), "openAPIV3Schema") is not YamlNode schemaNode)
            {
                Report("CRDGEN003", versionNode.Start, name, $"version '{versionName}' has no schema.openAPIV3Schema; no type was generated for it");
                continue;
            }

            var schema = ParseSchema(schemaNode, 0, kind + "." + versionName);
            versions.Add(new CrdVersion(
                versionName!,
                Bool(versionNode, "served") ?? true,
                Bool(versionNode, "storage") ?? false,
                Bool(versionNode, "deprecated") ?? false,
                schema));
        }

        if (versions.Count == 0)
        {
            return null;
        }

        versions.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new CrdModel(
            group!,
            kind!,
            Scalar(names, "listKind") ?? kind + "List",
            plural!,
            Scalar(spec, "scope") ?? "Namespaced",
            path,
            (int)document.Start.Line,
            versions.ToEquatableArray());
    }

    private SchemaNode ParseSchema(YamlNode node, int depth, string where)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (++visited > MaxNodes || depth > MaxDepth)
        {
            if (!budgetReported)
            {
                budgetReported = true;
                Report("CRDGEN008", node.Start, $"{where}: the schema nests deeper than {MaxDepth} levels or expands to more than {MaxNodes} nodes (YAML aliases?); the rest was mapped to JsonNode");
            }

            return new SchemaNode { Line = Line(node) };
        }

        if (node is not YamlMappingNode map)
        {
            Report("CRDGEN004", node.Start, where, "a schema must be a mapping; mapped to JsonNode");
            return new SchemaNode { Line = Line(node) };
        }

        var reference = Scalar(map, "$ref");
        if (reference is not null)
        {
            var resolved = ResolveReference(reference, map, depth, where);
            var description = Scalar(map, "description");
            return description is null ? resolved : resolved with { Description = description };
        }

        var properties = new List<PropertyNode>();
        var propertiesNode = Child(map, "properties") as YamlMappingNode;
        if (propertiesNode is not null)
        {
            foreach (var entry in propertiesNode.Children)
            {
                var propertyName = (entry.Key as YamlScalarNode)?.Value;
                if (propertyName is null)
                {
                    continue;
                }

                properties.Add(new PropertyNode(propertyName, ParseSchema(entry.Value, depth + 1, where + "." + propertyName)));
            }

            properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        SchemaNode? items = null;
        if (Child(map, "items") is YamlNode itemsNode)
        {
            items = ParseSchema(itemsNode, depth + 1, where + "[]");
        }

        SchemaNode? additional = null;
        if (Child(map, "additionalProperties") is YamlMappingNode additionalNode)
        {
            additional = ParseSchema(additionalNode, depth + 1, where + "{}");
        }

        var typeName = Scalar(map, "x-csharp-type-name");
        if (typeName is not null && !Identifiers.IsValid(typeName))
        {
            Report("CRDGEN009", map.Start, where, typeName);
            typeName = null;
        }

        var propertyNameOverride = Scalar(map, "x-csharp-property-name");
        if (propertyNameOverride is not null && !Identifiers.IsValid(propertyNameOverride))
        {
            Report("CRDGEN009", map.Start, where, propertyNameOverride);
            propertyNameOverride = null;
        }

        var type = Scalar(map, "type") ?? string.Empty;
        if (type is not ("" or "object" or "array" or "string" or "integer" or "number" or "boolean"))
        {
            Report("CRDGEN012", (Child(map, "type") ?? map).Start, where, type);
            type = string.Empty;
        }

        var oneOf = RequiredSets(map, "oneOf");
        var anyOf = RequiredSets(map, "anyOf");

        // The int-or-string idiom (anyOf: [{type: integer}, {type: string}]) is what the marker already says.
        var intOrStringIdiom = Bool(map, "x-kubernetes-int-or-string") == true;
        return new SchemaNode
        {
            Type = type,
            Format = Scalar(map, "format"),
            Pattern = Scalar(map, "pattern"),
            Enum = ScalarList(Child(map, "enum")),
            EnumVersions = EnumVersions(map),
            Minimum = Scalar(map, "minimum"),
            Maximum = Scalar(map, "maximum"),
            ExclusiveMinimum = Bool(map, "exclusiveMinimum") ?? false,
            ExclusiveMaximum = Bool(map, "exclusiveMaximum") ?? false,
            MinLength = Long(map, "minLength"),
            MaxLength = Long(map, "maxLength"),
            MinItems = Long(map, "minItems"),
            MaxItems = Long(map, "maxItems"),
            MinProperties = Long(map, "minProperties"),
            MaxProperties = Long(map, "maxProperties"),
            Properties = properties.ToEquatableArray(),
            HasProperties = propertiesNode is not null,
            Required = Sorted(ScalarList(Child(map, "required"))),
            Items = items,
            AdditionalProperties = additional,
            IntOrString = Bool(map, "x-kubernetes-int-or-string") ?? false,
            PreserveUnknownFields = Bool(map, "x-kubernetes-preserve-unknown-fields") ?? false,
            EmbeddedResource = Bool(map, "x-kubernetes-embedded-resource") ?? false,
            Nullable = Bool(map, "nullable") ?? false,
            ListType = Scalar(map, "x-kubernetes-list-type"),
            ListMapKeys = ScalarList(Child(map, "x-kubernetes-list-map-keys")),
            MapType = Scalar(map, "x-kubernetes-map-type"),
            OneOf = oneOf,
            AnyOf = anyOf,
            OneOfSchemas = oneOf.IsEmpty && !intOrStringIdiom ? SubSchemas(map, "oneOf", depth, where) : EquatableArray<SchemaNode>.Empty,
            AnyOfSchemas = anyOf.IsEmpty && !intOrStringIdiom ? SubSchemas(map, "anyOf", depth, where) : EquatableArray<SchemaNode>.Empty,
            AllOfSchemas = SubSchemas(map, "allOf", depth, where),
            Not = Child(map, "not") is YamlNode notNode ? ParseSchema(notNode, depth + 1, where + ".not") : null,
            Rules = Rules(map),
            DefaultJson = Child(map, "default") is YamlNode defaultNode ? YamlJson.ToJson(defaultNode) : null,
            Description = Scalar(map, "description"),
            TypeName = typeName,
            PropertyName = propertyNameOverride,
            AddedIn = Scalar(map, "x-crdkit-added-in"),
            RemovedIn = Scalar(map, "x-crdkit-removed-in"),
            Line = Line(map),
        };
    }

    private SchemaNode ResolveReference(string reference, YamlMappingNode at, int depth, string where)
    {
        const string prefix = "#/definitions/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal))
        {
            Report("CRDGEN005", at.Start, where, $"'$ref: {reference}' must point into this document's root 'definitions' as '#/definitions/Name'");
            return new SchemaNode { Line = Line(at) };
        }

        var name = reference.Substring(prefix.Length);
        if (resolvedDefinitions.TryGetValue(name, out var done))
        {
            return done;
        }

        if (Child(definitions, name) is not YamlNode definition)
        {
            Report("CRDGEN005", at.Start, where, $"definition '{name}' does not exist; add it under the document's root 'definitions'");
            return new SchemaNode { Line = Line(at) };
        }

        if (!Identifiers.IsValid(name))
        {
            Report("CRDGEN009", definition.Start, where, name);
            return new SchemaNode { Line = Line(at) };
        }

        if (!resolving.Add(name))
        {
            Report("CRDGEN005", at.Start, where, $"definition '{name}' refers to itself; structural schemas cannot be recursive");
            return new SchemaNode { Line = Line(at) };
        }

        var schema = ParseSchema(definition, depth, "#/definitions/" + name);
        resolving.Remove(name);
        schema = schema with { TypeName = schema.TypeName ?? name };
        resolvedDefinitions[name] = schema;
        return schema;
    }

    /// <summary>The sub-schemas of <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c> (value validation: never part of the C# type).</summary>
    private EquatableArray<SchemaNode> SubSchemas(YamlMappingNode map, string key, int depth, string where)
    {
        if (Child(map, key) is not YamlSequenceNode alternatives)
        {
            return EquatableArray<SchemaNode>.Empty;
        }

        var result = new List<SchemaNode>();
        for (var i = 0; i < alternatives.Children.Count; i++)
        {
            result.Add(ParseSchema(alternatives.Children[i], depth + 1, $"{where}.{key}[{i.ToString(CultureInfo.InvariantCulture)}]"));
        }

        return result.ToEquatableArray();
    }

    /// <summary><c>oneOf</c>/<c>anyOf</c> in the "these required sets" form (each joined with ','); empty for any other form.</summary>
    private static EquatableArray<string> RequiredSets(YamlMappingNode map, string key)
    {
        if (Child(map, key) is not YamlSequenceNode alternatives)
        {
            return EquatableArray<string>.Empty;
        }

        var sets = new List<string>();
        foreach (var alternative in alternatives.Children)
        {
            // {required: [...]} optionally with 'properties' that only restate the fields: validation only, never types.
            if (alternative is YamlMappingNode m && Child(m, "required") is YamlSequenceNode required
                && m.Children.All(e => (e.Key as YamlScalarNode)?.Value is "required" or "properties")
                && (Child(m, "properties") is not YamlMappingNode restated || restated.Children.All(e => e.Value is YamlMappingNode { Children.Count: 0 })))
            {
                sets.Add(string.Join(",", Sorted(ScalarList(required))));
            }
            else
            {
                return EquatableArray<string>.Empty;
            }
        }

        return sets.ToEquatableArray();
    }

    private EquatableArray<CelRule> Rules(YamlMappingNode map)
    {
        if (Child(map, "x-kubernetes-validations") is not YamlSequenceNode rules)
        {
            return EquatableArray<CelRule>.Empty;
        }

        var result = new List<CelRule>();
        foreach (var rule in rules.Children.OfType<YamlMappingNode>())
        {
            var text = Scalar(rule, "rule");
            if (text is null)
            {
                continue;
            }

            result.Add(new CelRule(
                text,
                Scalar(rule, "message"),
                Scalar(rule, "fieldPath"),
                Scalar(rule, "x-crdkit-added-in"),
                Scalar(rule, "x-crdkit-removed-in"),
                (int)Math.Max(0, rule.Start.Line - 1)));
        }

        return result.ToEquatableArray();
    }

    private static EquatableArray<EnumVersioning> EnumVersions(YamlMappingNode map)
    {
        var result = new List<EnumVersioning>();
        Collect("x-crdkit-enum-added-in", added: true);
        Collect("x-crdkit-enum-removed-in", added: false);
        result.Sort((a, b) => string.CompareOrdinal(a.Value, b.Value));
        return result.ToEquatableArray();

        void Collect(string key, bool added)
        {
            if (Child(map, key) is not YamlMappingNode byVersion)
            {
                return;
            }

            foreach (var entry in byVersion.Children)
            {
                var version = (entry.Key as YamlScalarNode)?.Value;
                foreach (var value in ScalarList(entry.Value))
                {
                    result.Add(new EnumVersioning(value, added ? version : null, added ? null : version));
                }
            }
        }
    }

    /// <summary>
    /// Where a YAML error is, for the errors YamlDotNet reports at (1,1) (a tab in the indentation, an undefined alias,
    /// a duplicate key): a second, event-level pass stops at the alias that names no anchor, at the key seen twice in
    /// one mapping, or at the last event before the scanner gave up.
    /// </summary>
    private static Mark Locate(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var keys = new Stack<(HashSet<string>? Seen, bool ExpectKey)>(); // Seen is null in a sequence
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.Start;
                if (current is YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } anchored)
                {
                    anchors.Add(anchored.Anchor.Value);
                }

                if (keys.Count > 0 && keys.Peek().Seen is { } seen && current is YamlDotNet.Core.Events.NodeEvent)
                {
                    var expectKey = keys.Pop().ExpectKey;
                    if (expectKey && current is YamlDotNet.Core.Events.Scalar key && !seen.Add(key.Value))
                    {
                        return key.Start;
                    }

                    keys.Push((seen, !expectKey));
                }

                switch (current)
                {
                    case YamlDotNet.Core.Events.AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        return alias.Start;
                    case YamlDotNet.Core.Events.MappingStart:
                        keys.Push((new HashSet<string>(StringComparer.Ordinal), true));
                        break;
                    case YamlDotNet.Core.Events.SequenceStart:
                        keys.Push((null, false));
                        break;
                    case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                        keys.Pop();
                        break;
                }
            }
        }
        catch (YamlException e) when (e.Start.Line > 1 || e.Start.Column > 1)
        {
            return e.Start;
        }
        catch (YamlException e)
        {
            // The scanner stopped after the last event it produced; a tab in the indentation is on a later line.
            if (e.Message.IndexOf("tab", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                var lines = text.Split('\n');
                for (var i = (int)Math.Max(0, last.Line - 1); i < lines.Length; i++)
                {
                    var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                    if (lines[i].Substring(0, indent).IndexOf('\t') >= 0)
                    {
                        return new Mark(0, i + 1, indent + 1);
                    }
                }
            }
        }

        return last;
    }

    /// <summary>YamlDotNet's messages start with "(Line: 1, Col: 1, Idx: 0) - (...): "; the diagnostic has the position.</summary>
    private static string Trim(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && i >= 0 ? message.Substring(i + 3) : message;
    }

    private void Report(string id, Mark mark, params string[] arguments) =>
        diagnostics.Add(DiagnosticInfo.Create(id, path, (int)Math.Max(0, mark.Line - 1), (int)Math.Max(0, mark.Column - 1), arguments));

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static YamlNode? Child(YamlNode? node, string key)
    {
        if (node is not YamlMappingNode mapping)
        {
            return null;
        }

        foreach (var entry in mapping.Children)
        {
            if (entry.Key is YamlScalarNode { Value: { } k } && k == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static string? Scalar(YamlNode? node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static bool? Bool(YamlNode? node, string key) => Scalar(node, key) switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    private static long? Long(YamlNode? node, string key) =>
        long.TryParse(Scalar(node, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static EquatableArray<string> ScalarList(YamlNode? node) =>
        node is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToEquatableArray()
            : EquatableArray<string>.Empty;

    private static EquatableArray<string> Sorted(EquatableArray<string> values) =>
        values.OrderBy(v => v, StringComparer.Ordinal).ToEquatableArray();
}
