using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Emitting;

/// <summary>Emits a string enum with its wire values and a converter that keeps them exactly, unknown values included.</summary>
internal static class EnumEmitter
{
    public static void Emit(SourceWriter w, EnumPlan plan)
    {
        var allowed = SourceWriter.Escape(string.Join(", ", plan.Members.Select(m => m.WireValue)));
        w.Doc("summary", $"Allowed values: {allowed}. A value outside them (from a newer release) is kept: it reads as an unnamed member, is written back as it was read, and <c>Validate()</c> reports it.");
        if (!plan.UsedAt.IsEmpty)
        {
            w.Doc("remarks", "Used at " + string.Join("; ", plan.UsedAt) + ".");
        }

        w.Line(Emitter.GeneratedCode);
        w.Line($"[{Emitter.JsonAlias}.Serialization.JsonConverter(typeof({plan.Name}JsonConverter))]");
        w.Open($"public enum {plan.Name}");
        foreach (var member in plan.Members)
        {
            var availability = member.AddedIn is not null ? $" Available from version {member.AddedIn}." : member.RemovedIn is not null ? $" Removed in version {member.RemovedIn}." : string.Empty;
            w.Doc("summary", $"Wire value <c>{SourceWriter.Escape(member.WireValue)}</c>.{availability}");
            w.Line($"[{Emitter.EnumMemberAlias}(Value = {SourceWriter.Literal(member.WireValue)})]");
            w.Line($"{member.Name},");
        }

        w.Close();
        w.Line();

        w.Doc("summary", $"Reads and writes <see cref=\"{plan.Name}\"/> by wire value.");
        w.Line(Emitter.GeneratedCode);
        w.Open($"internal sealed class {plan.Name}JsonConverter : {Emitter.JsonAlias}.Serialization.JsonConverter<{plan.Name}>");
        w.Line($"public static readonly {plan.Name}JsonConverter Instance = new();");
        // Members are 0..n-1 in schema order, so reading and writing are look-ups in the shared table; a value the
        // schema lacks gets a negative code there and is written back verbatim (EnumWireValues).
        w.Line($"internal static readonly global::CrdKit.Serialization.EnumWireValues Values = new({string.Join(", ", plan.Members.Select(m => SourceWriter.Literal(m.WireValue)))});");
        w.Line($"public static {plan.Name} ReadValue(ref __Json.Utf8JsonReader reader) => ({plan.Name})Values.Code(__CrdJson.ReadEnumText(ref reader, Values.Known));");
        w.Line($"public static {plan.Name} Parse(string text) => ({plan.Name})Values.Code(text);");
        w.Line($"public static string ToWire({plan.Name} value) => Values.Text((int)value);");
        if (plan.Members.Any(m => m.AddedIn is not null || m.RemovedIn is not null))
        {
            w.Open($"public static (string? AddedIn, string? RemovedIn) Availability({plan.Name} value) => value switch");
            foreach (var member in plan.Members.Where(m => m.AddedIn is not null || m.RemovedIn is not null))
            {
                w.Line($"{plan.Name}.{member.Name} => ({SourceWriter.Literal(member.AddedIn)}, {SourceWriter.Literal(member.RemovedIn)}),");
            }

            w.Line("_ => (null, null),");
            w.Close(";");
        }

        w.Line($"public override {plan.Name} Read(ref __Json.Utf8JsonReader reader, global::System.Type typeToConvert, __Json.JsonSerializerOptions options) => ReadValue(ref reader);");
        w.Line($"public override void Write(__Json.Utf8JsonWriter writer, {plan.Name} value, __Json.JsonSerializerOptions options) => writer.WriteStringValue(ToWire(value));");
        w.Close();
        w.Line();
    }
}
