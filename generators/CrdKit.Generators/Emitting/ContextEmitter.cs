using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Emitting;

/// <summary>
/// Emits a <c>JsonSerializerContext</c> for every type of one namespace, backed by the generated converters:
/// serialization needs no reflection and works under trimming and native AOT.
/// </summary>
internal static class ContextEmitter
{
    private const string Options = Emitter.JsonAlias + ".JsonSerializerOptions";
    private const string Info = Emitter.JsonAlias + ".Serialization.Metadata.JsonTypeInfo";

    public static void Emit(SourceWriter w, ContextPlan plan)
    {
        w.Doc("summary", "System.Text.Json metadata for every type generated into this namespace, without reflection.");
        w.Doc("remarks", "Use <see cref=\"Default\"/>, or pass this context as the <c>TypeInfoResolver</c> of your own options.");
        w.Line(Emitter.GeneratedCode);
        w.Open($"public sealed partial class {plan.Name} : {Emitter.JsonAlias}.Serialization.JsonSerializerContext, {Emitter.JsonAlias}.Serialization.Metadata.IJsonTypeInfoResolver");
        w.Line($"private static readonly {Emitter.CollectionsAlias}.Dictionary<global::System.Type, global::System.Func<{Options}, {Info}>> Factories = new()");
        // One shared factory per converter from the runtime, not a lambda per type.
        w.Line("{");
        // Types of the context's namespace by simple name: no member of the context is named like a type or a converter.
        foreach (var type in plan.RecordTypes.Concat(plan.EnumTypes).Select(t => Emitter.Local(t, plan.Namespace)))
        {
            w.Line($"\t[typeof({type})] = {Emitter.CodecsAlias}.TypeInfo({type}JsonConverter.Instance),");
        }

        w.Line("};");
        w.Line();
        w.Doc("summary", "A context over the SDK's manifest options (nulls omitted, wire names kept).");
        w.Line($"public static {plan.Name} Default {{ get; }} = new(global::CrdKit.Serialization.CrdJson.CreateOptions());");
        w.Line();
        w.Doc("summary", "Creates a context bound to <paramref name=\"options\"/>.");
        w.Doc("param name=\"options\"", "Options this context becomes the resolver of.");
        w.Line($"public {plan.Name}({Options} options) : base(options) {{ }}");
        w.Line();
        w.Doc("summary", "Always null: the options come from the constructor.");
        w.Line($"protected override {Options}? GeneratedSerializerOptions => null;");
        w.Line();
        w.Doc("summary", "Type metadata for a generated type, or null for any other type.");
        w.Doc("param name=\"type\"", "The type.");
        w.Doc("returns", "The metadata, or null.");
        w.Line($"public override {Info}? GetTypeInfo(global::System.Type type) => Create(type, Options);");
        w.Line();
        w.Line($"{Info}? {Emitter.JsonAlias}.Serialization.Metadata.IJsonTypeInfoResolver.GetTypeInfo(global::System.Type type, {Options} options) => Create(type, options);");
        w.Line();
        w.Line($"private static {Info}? Create(global::System.Type type, {Options} options) => Factories.TryGetValue(type, out var factory) ? factory(options) : null;");
        w.Close();
    }
}
