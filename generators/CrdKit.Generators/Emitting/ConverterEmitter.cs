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
    private const string Reader = "global::System.Text.Json.Utf8JsonReader";
    private const string Options = "global::System.Text.Json.JsonSerializerOptions";
    private const string Crd = "global::CrdKit.Serialization.CrdJson";

    public static void Emit(SourceWriter w, RecordPlan record)
    {
        var name = record.Name;
        w.Doc("summary", $"Reads and writes <see cref=\"{name}\"/> without reflection.");
        w.Line(Emitter.GeneratedCode);
        w.Open($"internal sealed class {name}JsonConverter : global::System.Text.Json.Serialization.JsonConverter<{name}>");
        w.Line($"public static readonly {name}JsonConverter Instance = new();");
        w.Line();
        EmitRead(w, record);
        w.Line();
        EmitWrite(w, record);
        w.Close();
        w.Line();
    }

    public static void EmitList(SourceWriter w, RecordPlan record)
    {
        var root = record.Root!;
        var list = root.ListTypeName;
        var name = record.Name;
        w.Line(Emitter.GeneratedCode);
        w.Open($"internal sealed class {list}JsonConverter : global::System.Text.Json.Serialization.JsonConverter<{list}>");
        w.Line($"public static readonly {list}JsonConverter Instance = new();");
        w.Open($"public override {list}? Read(ref {Reader} reader, global::System.Type typeToConvert, {Options} options)");
        w.Line($"{Crd}.ExpectObject(ref reader, {SourceWriter.Literal(list)});");
        w.Line($"var result = new {list}();");
        w.Open("while (reader.Read() && reader.TokenType != global::System.Text.Json.JsonTokenType.EndObject)");
        w.Line("var name = reader.GetString()!;");
        w.Line("reader.Read();");
        w.Open("switch (name)");
        w.Line($"case \"apiVersion\": result.ApiVersion = {Crd}.ReadString(ref reader); break;");
        w.Line($"case \"kind\": result.Kind = {Crd}.ReadString(ref reader); break;");
        w.Line($"case \"metadata\": result.Metadata = {Crd}.ReadKubernetes<global::k8s.Models.V1ListMeta>(ref reader); break;");
        w.Line($"case \"items\": result.Items = {Crd}.ReadList(ref reader, options, static (ref {Reader} r, {Options} o) => {name}JsonConverter.Instance.Read(ref r, typeof({name}), o)!); break;");
        w.Line($"default: result.AdditionalProperties ??= new global::System.Text.Json.Nodes.JsonObject(); result.AdditionalProperties[name] = {Crd}.ReadNode(ref reader); break;");
        w.Close();
        w.Close();
        w.Line("return result;");
        w.Close();
        w.Open($"public override void Write(global::System.Text.Json.Utf8JsonWriter writer, {list} value, {Options} options)");
        w.Line("writer.WriteStartObject();");
        w.Line("writer.WriteString(\"apiVersion\", value.ApiVersion);");
        w.Line("writer.WriteString(\"kind\", value.Kind);");
        w.Line("writer.WritePropertyName(\"metadata\");");
        w.Line($"{Crd}.WriteKubernetes(writer, value.Metadata);");
        w.Line("writer.WritePropertyName(\"items\");");
        w.Line("writer.WriteStartArray();");
        w.Line($"foreach (var item in value.Items) {{ {name}JsonConverter.Instance.Write(writer, item, options); }}");
        w.Line("writer.WriteEndArray();");
        w.Line($"{Crd}.WriteAdditional(writer, value.AdditionalProperties, options);");
        w.Line("writer.WriteEndObject();");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitRead(SourceWriter w, RecordPlan record)
    {
        var root = record.Root;
        w.Open($"public override {record.Name}? Read(ref {Reader} reader, global::System.Type typeToConvert, {Options} options)");
        w.Line("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null) { return null; }");
        w.Line($"{Crd}.ExpectObject(ref reader, {SourceWriter.Literal(record.Name)});");
        if (root is not null)
        {
            w.Line($"string apiVersion = {SourceWriter.Literal(root.Group + "/" + root.Version)};");
            w.Line($"string kind = {SourceWriter.Literal(root.Kind)};");
            w.Line("global::k8s.Models.V1ObjectMeta? metadata = null;");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            w.Line($"{p.Type.CSharp}? p{i} = default;");
            if (p.Required && p.Type.IsValueType)
            {
                w.Line($"var has{i} = false;");
            }
        }

        w.Line("global::System.Text.Json.Nodes.JsonObject? additional = null;");
        w.Open("while (reader.Read() && reader.TokenType != global::System.Text.Json.JsonTokenType.EndObject)");
        w.Line("var name = reader.GetString()!;");
        w.Line("reader.Read();");
        w.Open("try");
        w.Open("switch (name)");
        if (root is not null)
        {
            w.Line($"case \"apiVersion\": apiVersion = {Crd}.ReadString(ref reader); break;");
            w.Line($"case \"kind\": kind = {Crd}.ReadString(ref reader); break;");
            w.Line($"case \"metadata\": metadata = {Crd}.ReadKubernetes<global::k8s.Models.V1ObjectMeta>(ref reader); break;");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            var has = p.Required && p.Type.IsValueType ? $" has{i} = true;" : string.Empty;
            w.Line($"case {SourceWriter.Literal(p.WireName)}: p{i} = reader.TokenType == global::System.Text.Json.JsonTokenType.Null ? default({p.Type.CSharp}?) : {ReadExpr(p.Type, "reader", "options", 0)};{has} break;");
        }

        w.Line($"default: additional ??= new global::System.Text.Json.Nodes.JsonObject(); additional[name] = {Crd}.ReadNode(ref reader); break;");
        w.Close();
        w.Close();
        w.Line($"catch (global::System.Text.Json.JsonException e) {{ throw {Crd}.AtProperty(e, name); }}");
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
            w.Line("    ApiVersion = apiVersion,");
            w.Line("    Kind = kind,");
            w.Line("    Metadata = metadata ?? new global::k8s.Models.V1ObjectMeta(),");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            var value = p.Required ? (p.Type.IsValueType ? $"p{i}.GetValueOrDefault()" : $"p{i}!") : $"p{i}";
            w.Line($"    {p.Name} = {value},");
        }

        w.Line("    AdditionalProperties = additional,");
        w.Line("};");
        w.Close();
    }

    private static void EmitWrite(SourceWriter w, RecordPlan record)
    {
        w.Open($"public override void Write(global::System.Text.Json.Utf8JsonWriter writer, {record.Name} value, {Options} options)");
        w.Line("writer.WriteStartObject();");
        if (record.Root is not null)
        {
            w.Line("writer.WriteString(\"apiVersion\", value.ApiVersion);");
            w.Line("writer.WriteString(\"kind\", value.Kind);");
            w.Line("writer.WritePropertyName(\"metadata\");");
            w.Line($"{Crd}.WriteKubernetes(writer, value.Metadata);");
        }

        for (var i = 0; i < record.Properties.Count; i++)
        {
            var p = record.Properties[i];
            w.Open($"if (value.{p.Name} is {{ }} v{i})");
            w.Line($"writer.WritePropertyName({SourceWriter.Literal(p.WireName)});");
            WriteValue(w, p.Type, $"v{i}", 0);
            w.Close();
        }

        w.Line($"{Crd}.WriteAdditional(writer, value.AdditionalProperties, options);");
        w.Line("writer.WriteEndObject();");
        w.Close();
    }

    private static string ReadExpr(TypeRef type, string r, string o, int depth) => type.Kind switch
    {
        RefKind.String => $"{Crd}.ReadString(ref {r})",
        RefKind.Int32 => $"{Crd}.ReadInt32(ref {r})",
        RefKind.Int64 => $"{Crd}.ReadInt64(ref {r})",
        RefKind.Double => $"{Crd}.ReadDouble(ref {r})",
        RefKind.Boolean => $"{Crd}.ReadBoolean(ref {r})",
        RefKind.IntOrString => $"{Crd}.ReadIntOrString(ref {r})",
        RefKind.Json => $"{Crd}.ReadNode(ref {r})!",
        RefKind.Enum => $"{type.FullName}JsonConverter.ReadValue(ref {r})",
        RefKind.Record => $"{type.FullName}JsonConverter.Instance.Read(ref {r}, typeof({type.FullName}), {o})!",
        RefKind.Known => $"{Crd}.ReadKubernetes<{type.FullName}>(ref {r})",
        RefKind.List => ItemReader("ReadList", type, o, depth),
        RefKind.Map => ItemReader("ReadMap", type, o, depth),
        _ => "default!",
    };

    private static string ItemReader(string method, TypeRef type, string o, int depth)
    {
        var r2 = "r" + depth.ToString(CultureInfo.InvariantCulture);
        var o2 = "o" + depth.ToString(CultureInfo.InvariantCulture);
        var reader = depth == 0 ? "reader" : "r" + (depth - 1).ToString(CultureInfo.InvariantCulture);
        return $"{Crd}.{method}(ref {reader}, {o}, static (ref {Reader} {r2}, {Options} {o2}) => {ReadExpr(type.Element!, r2, o2, depth + 1)})";
    }

    private static void WriteValue(SourceWriter w, TypeRef type, string value, int depth)
    {
        switch (type.Kind)
        {
            case RefKind.String:
                w.Line($"writer.WriteStringValue({value});");
                break;
            case RefKind.Int32:
            case RefKind.Int64:
            case RefKind.Double:
                w.Line($"writer.WriteNumberValue({value});");
                break;
            case RefKind.Boolean:
                w.Line($"writer.WriteBooleanValue({value});");
                break;
            case RefKind.IntOrString:
                w.Line($"{Crd}.WriteIntOrString(writer, {value});");
                break;
            case RefKind.Json:
                w.Line($"{value}.WriteTo(writer, options);");
                break;
            case RefKind.Enum:
                w.Line($"writer.WriteStringValue({type.FullName}JsonConverter.ToWire({value}));");
                break;
            case RefKind.Record:
                w.Line($"{type.FullName}JsonConverter.Instance.Write(writer, {value}, options);");
                break;
            case RefKind.Known:
                w.Line($"{Crd}.WriteKubernetes(writer, {value});");
                break;
            case RefKind.List:
                var item = "i" + depth.ToString(CultureInfo.InvariantCulture);
                w.Line("writer.WriteStartArray();");
                w.Open($"foreach (var {item} in {value})");
                WriteValue(w, type.Element!, item, depth + 1);
                w.Close();
                w.Line("writer.WriteEndArray();");
                break;
            case RefKind.Map:
                var entry = "e" + depth.ToString(CultureInfo.InvariantCulture);
                w.Line("writer.WriteStartObject();");
                w.Open($"foreach (var {entry} in {value})");
                w.Line($"writer.WritePropertyName({entry}.Key);");
                WriteValue(w, type.Element!, entry + ".Value", depth + 1);
                w.Close();
                w.Line("writer.WriteEndObject();");
                break;
        }
    }
}
