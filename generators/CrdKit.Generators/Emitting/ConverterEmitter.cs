using System.Globalization;
using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Emitting;

/// <summary>
/// Emits a reflection-free <c>JsonConverter</c> per record: wire names exactly, int vs string kept, unknown
/// fields captured into <c>AdditionalProperties</c>, nulls omitted, apiVersion/kind/metadata first. Written
/// by hand because System.Text.Json's own generator cannot see types another generator produces.
/// </summary>
internal static class ConverterEmitter
{
    // File-level aliases written by Emitter (short names keep the generated text, and what the compiler reads, small).
    private const string Json = Emitter.JsonAlias;
    private const string Reader = Json + ".Utf8JsonReader";
    private const string Options = Json + ".JsonSerializerOptions";
    private const string Crd = Emitter.CrdJsonAlias;
    private const string Codec = Emitter.CodecsAlias;
    private const string K8s = Emitter.KubernetesModelsAlias;

    public static void Emit(SourceWriter w, RecordPlan record)
    {
        var name = record.Name;
        w.Line(Emitter.GeneratedCode);
        w.Open($"internal sealed class {name}JsonConverter : {Json}.Serialization.JsonConverter<{name}>");
        w.Line($"public static readonly {name}JsonConverter Instance = new();");
        var codecs = new Codecs();
        foreach (var p in record.Properties.Where(p => p.Type.Kind is RefKind.List or RefKind.Map))
        {
            codecs.Of(p.Type.Element!, record.Namespace);
        }

        foreach (var field in codecs.Fields)
        {
            w.Line(field);
        }

        EmitRead(w, record, codecs);
        EmitWrite(w, record, codecs);
        w.Close();
        w.Line();
    }

    public static void EmitList(SourceWriter w, RecordPlan record)
    {
        var root = record.Root!;
        var list = root.ListTypeName;
        var name = record.Name;
        w.Line(Emitter.GeneratedCode);
        w.Open($"internal sealed class {list}JsonConverter : {Json}.Serialization.JsonConverter<{list}>");
        w.Line($"public static readonly {list}JsonConverter Instance = new();");
        w.Open($"public override {list}? Read(ref {Reader} reader, global::System.Type typeToConvert, {Options} options)");
        w.Line($"{Crd}.ExpectObject(ref reader, {SourceWriter.Literal(list)});");
        w.Line($"var result = new {list}();");
        w.Line($"{Json}.Nodes.JsonObject? additional = null;");
        w.Open($"while ({Crd}.NextProperty(ref reader, out var name))");
        w.Open("switch (name)");
        w.Line($"case \"apiVersion\": result.ApiVersion = {Crd}.ReadString(ref reader); break;");
        w.Line($"case \"kind\": result.Kind = {Crd}.ReadString(ref reader); break;");
        w.Line($"case \"metadata\": result.Metadata = {Crd}.ReadKubernetes<{K8s}.V1ListMeta>(ref reader); break;");
        w.Line($"case \"items\": result.Items = {Crd}.ReadList(ref reader, options, {name}JsonConverter.Instance); break;");
        w.Line($"default: {Crd}.ReadAdditional(ref reader, name, ref additional); break;");
        w.Close();
        w.Close();
        w.Line("result.AdditionalProperties = additional;");
        w.Line("return result;");
        w.Close();
        w.Open($"public override void Write({Json}.Utf8JsonWriter writer, {list} value, {Options} options)");
        w.Line("writer.WriteStartObject();");
        w.Line("writer.WriteString(\"apiVersion\", value.ApiVersion);");
        w.Line("writer.WriteString(\"kind\", value.Kind);");
        w.Line("writer.WritePropertyName(\"metadata\");");
        w.Line($"{Crd}.WriteKubernetes(writer, value.Metadata);");
        w.Line("writer.WritePropertyName(\"items\");");
        w.Line($"{Crd}.WriteItems(writer, value.Items, {name}JsonConverter.Instance, options);");
        w.Line($"{Crd}.WriteAdditional(writer, value.AdditionalProperties, options);");
        w.Line("writer.WriteEndObject();");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitRead(SourceWriter w, RecordPlan record, Codecs codecs)
    {
        var root = record.Root;
        w.Open($"public override {record.Name}? Read(ref {Reader} reader, global::System.Type typeToConvert, {Options} options)");
        w.Line($"if (!{Crd}.StartObject(ref reader, {SourceWriter.Literal(record.Name)})) {{ return null; }}");
        if (root is not null)
        {
            w.Line($"string apiVersion = {SourceWriter.Literal(root.Group + "/" + root.Version)};");
            w.Line($"string kind = {SourceWriter.Literal(root.Kind)};");
            w.Line($"{K8s}.V1ObjectMeta? metadata = null;");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            w.Line($"{LocalType(p.Type, record.Namespace)}? p{i} = default;");
            if (p.Required && p.Type.IsValueType)
            {
                w.Line($"var has{i} = false;");
            }
        }

        w.Line($"{Json}.Nodes.JsonObject? additional = null;");
        w.Open($"while ({Crd}.NextProperty(ref reader, out var name))");
        w.Open("try");
        w.Open("switch (name)");
        if (root is not null)
        {
            w.Line($"case \"apiVersion\": apiVersion = {Crd}.ReadString(ref reader); break;");
            w.Line($"case \"kind\": kind = {Crd}.ReadString(ref reader); break;");
            w.Line($"case \"metadata\": metadata = {Crd}.Kubernetes<{K8s}.V1ObjectMeta>(ref reader); break;");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            // JSON null is absent, as the API server reads it: a null required field is missing, not the type's default.
            var has = p.Required && p.Type.IsValueType ? $" has{i} = p{i}.HasValue;" : string.Empty;
            w.Line($"case {SourceWriter.Literal(p.WireName)}: p{i} = {ReadField(p.Type, record.Namespace, codecs)};{has} break;");
        }

        w.Line($"default: {Crd}.ReadAdditional(ref reader, name, ref additional); break;");
        w.Close();
        w.Close();
        w.Line($"catch ({Json}.JsonException e) {{ throw {Crd}.AtProperty(e, name); }}");
        w.Close();

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            if (p.Required && p.Type.IsValueType)
            {
                w.Line($"if (!has{i}) {{ throw {Crd}.MissingRequired({SourceWriter.Literal(p.WireName)}); }}");
            }
        }

        w.Line($"return new {record.Name}");
        w.Line("{");
        if (root is not null)
        {
            w.Line("\tApiVersion = apiVersion,");
            w.Line("\tKind = kind,");
            w.Line($"\tMetadata = metadata ?? new {K8s}.V1ObjectMeta(),");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            var value = p.Required ? (p.Type.IsValueType ? $"p{i}.GetValueOrDefault()" : $"p{i}!") : $"p{i}";
            w.Line($"\t{p.Name} = {value},");
        }

        w.Line("\tAdditionalProperties = additional,");
        w.Line("};");
        w.Close();
    }

    private static void EmitWrite(SourceWriter w, RecordPlan record, Codecs codecs)
    {
        w.Open($"public override void Write({Json}.Utf8JsonWriter writer, {record.Name} value, {Options} options)");
        w.Line("writer.WriteStartObject();");
        if (record.Root is not null)
        {
            w.Line("writer.WriteString(\"apiVersion\", value.ApiVersion);");
            w.Line("writer.WriteString(\"kind\", value.Kind);");
            w.Line("writer.WritePropertyName(\"metadata\");");
            w.Line($"{Crd}.WriteKubernetes(writer, value.Metadata);");
        }

        foreach (var p in record.Properties)
        {
            w.Line(WriteField(p.Type, record.Namespace, SourceWriter.Literal(p.WireName), "value." + p.Name, codecs) + ";");
        }

        w.Line($"{Crd}.WriteAdditional(writer, value.AdditionalProperties, options);");
        w.Line("writer.WriteEndObject();");
        w.Close();
    }

    // One call per field, into the runtime (CrdJson): the null token, the typed read and the item codec are there.
    private static string ReadField(TypeRef type, string ns, Codecs codecs) => type.Kind switch
    {
        RefKind.String => $"{Crd}.String(ref reader)",
        RefKind.Int32 => $"{Crd}.Int32(ref reader)",
        RefKind.Int64 => $"{Crd}.Int64(ref reader)",
        RefKind.Double => $"{Crd}.Double(ref reader)",
        RefKind.Boolean => $"{Crd}.Boolean(ref reader)",
        RefKind.IntOrString => $"{Crd}.IntOrStringValue(ref reader)",
        RefKind.Json => $"{Crd}.ReadNode(ref reader)",
        RefKind.Enum => $"{Crd}.Value(ref reader, {Local(type, ns)}JsonConverter.Instance, options)",
        RefKind.Record => $"{Crd}.Object(ref reader, {Local(type, ns)}JsonConverter.Instance, options)",
        RefKind.Known => $"{Crd}.Kubernetes<{LocalType(type, ns)}>(ref reader)",
        RefKind.List => $"{Crd}.List(ref reader, {codecs.Of(type.Element!, ns)}, options)",
        RefKind.Map => $"{Crd}.Map(ref reader, {codecs.Of(type.Element!, ns)}, options)",
        _ => "default",
    };

    private static string WriteField(TypeRef type, string ns, string name, string value, Codecs codecs) => type.Kind switch
    {
        RefKind.String or RefKind.Int32 or RefKind.Int64 or RefKind.Double or RefKind.Boolean => $"{Crd}.Write(writer, {name}, {value})",
        RefKind.IntOrString => $"{Crd}.WriteIntOrString(writer, {name}, {value})",
        RefKind.Json => $"{Crd}.Write(writer, {name}, {value}, options)",
        RefKind.Enum => $"{Crd}.WriteValue(writer, {name}, {value}, {Local(type, ns)}JsonConverter.Instance, options)",
        RefKind.Record => $"{Crd}.Write(writer, {name}, {value}, {Local(type, ns)}JsonConverter.Instance, options)",
        RefKind.Known => $"{Crd}.WriteKubernetes(writer, {name}, {value})",
        RefKind.List => $"{Crd}.WriteList(writer, {name}, {value}, {codecs.Of(type.Element!, ns)}, options)",
        RefKind.Map => $"{Crd}.WriteMap(writer, {name}, {value}, {codecs.Of(type.Element!, ns)}, options)",
        _ => string.Empty,
    };

    // A converter of the same namespace by its simple name: converter names end in "JsonConverter", which no member of
    // a converter class (Instance, Read, Write, cN) has.
    private static string Local(TypeRef type, string ns) => Emitter.Local(type.FullName, ns);

    private static string LocalType(TypeRef type, string ns) => Emitter.TypeName(type, ns);

    /// <summary>The item codec of each list and map: a shared one from the runtime, a generated converter, or (lists of
    /// lists, maps of lists) a codec built once into a static field of the converter.</summary>
    private sealed class Codecs
    {
        private readonly System.Collections.Generic.List<string> fields = new();
        private readonly System.Collections.Generic.Dictionary<string, string> names = new(System.StringComparer.Ordinal);

        public System.Collections.Generic.IReadOnlyList<string> Fields => fields;

        public string Of(TypeRef type, string ns)
        {
            switch (type.Kind)
            {
                case RefKind.String: return $"{Codec}.String";
                case RefKind.Int32: return $"{Codec}.Int32";
                case RefKind.Int64: return $"{Codec}.Int64";
                case RefKind.Double: return $"{Codec}.Double";
                case RefKind.Boolean: return $"{Codec}.Boolean";
                case RefKind.IntOrString: return $"{Codec}.IntOrString";
                case RefKind.Json: return $"{Codec}.Node";
                case RefKind.Enum:
                case RefKind.Record: return $"{Local(type, ns)}JsonConverter.Instance";
                case RefKind.Known: return type.FullName == "global::k8s.Models.V1LabelSelector" ? $"{Codec}.LabelSelector" : $"{Codec}.Kubernetes<{LocalType(type, ns)}>()";
                default:
                    if (names.TryGetValue(type.CSharp, out var known))
                    {
                        return known;
                    }

                    var inner = Of(type.Element!, ns);
                    var field = "c" + fields.Count.ToString(CultureInfo.InvariantCulture);
                    names.Add(type.CSharp, field);
                    var make = type.Kind == RefKind.List ? "ListOf" : "MapOf";
                    fields.Add($"private static readonly {Json}.Serialization.JsonConverter<{LocalType(type, ns)}> {field} = {Codec}.{make}({inner});");
                    return field;
            }
        }
    }
}
