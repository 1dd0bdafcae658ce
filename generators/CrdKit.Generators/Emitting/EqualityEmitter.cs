using System.Collections.Generic;
using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Emitting;

/// <summary>
/// Emits value equality for a record: <c>Equals</c> and <c>GetHashCode</c> over every field, lists element by element,
/// maps entry by entry, JSON by deep equality and KubernetesClient models by their JSON (the compiler's own record
/// equality compares those by reference, so two records read from the same YAML would differ). The comparisons are
/// the shared <c>CrdKit.Serialization.ValueEquality</c> helpers; only one line per field is generated.
/// </summary>
internal static class EqualityEmitter
{
    private const string Ve = "global::CrdKit.Serialization.ValueEquality";

    /// <summary>A field to compare: its C# name and type.</summary>
    public readonly record struct Field(string Name, TypeRef Type);

    public static void Emit(SourceWriter w, string typeName, IReadOnlyList<Field> fields)
    {
        // The contract is documented once on ValueEquality; inheritdoc keeps generated code short (CS1591 still holds).
        w.Line("/// <inheritdoc/>");
        w.Open($"public bool Equals({typeName}? other)");
        w.Line("if (ReferenceEquals(this, other)) { return true; }");
        w.Line("if (other is null) { return false; }");
        var tests = fields.Select(Equal).DefaultIfEmpty("true").ToList();
        for (var i = 0; i < tests.Count; i++)
        {
            w.Line((i == 0 ? "return " : "    && ") + tests[i] + (i == tests.Count - 1 ? ";" : string.Empty));
        }

        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public override int GetHashCode()");
        w.Line("var hash = new global::System.HashCode();");
        foreach (var field in fields)
        {
            w.Line($"hash.Add({Hash(field)});");
        }

        w.Line("return hash.ToHashCode();");
        w.Close();
        w.Line();
    }

    private static string Equal(Field f) => f.Type.Kind switch
    {
        RefKind.Json => $"{Ve}.Json({f.Name}, other.{f.Name})",
        RefKind.Known => $"{Ve}.Kubernetes({f.Name}, other.{f.Name})",
        RefKind.List or RefKind.Map => $"{Ve}.Equal<{f.Type.CSharp}, {Comparer(f.Type)}>({f.Name}, other.{f.Name})",
        _ => $"{Ve}.Same({f.Name}, other.{f.Name})",
    };

    private static string Hash(Field f) => f.Type.Kind switch
    {
        RefKind.Json => $"{Ve}.JsonHash({f.Name})",
        RefKind.Known => $"{Ve}.KubernetesHash({f.Name})",
        RefKind.List or RefKind.Map => $"{Ve}.Hash<{f.Type.CSharp}, {Comparer(f.Type)}>({f.Name})",
        _ => f.Name,
    };

    /// <summary>The comparer struct for a type, composed for nested lists and maps.</summary>
    private static string Comparer(TypeRef type) => type.Kind switch
    {
        RefKind.List => $"{Ve}.ListOf<{type.Element!.CSharp}, {Comparer(type.Element)}>",
        RefKind.Map => $"{Ve}.MapOf<{type.Element!.CSharp}, {Comparer(type.Element)}>",
        RefKind.Json => $"{Ve}.JsonOf",
        RefKind.Known => $"{Ve}.KubernetesOf<{type.FullName}>",
        _ => $"{Ve}.DefaultOf<{type.CSharp}>",
    };
}
