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
    private const string Ve = Emitter.EqualityAlias;

    /// <summary>A field to compare: its C# name and type.</summary>
    public readonly record struct Field(string Name, TypeRef Type);

    public static void Emit(SourceWriter w, string typeName, string ns, IReadOnlyList<Field> fields)
    {
        // The contract is documented once on ValueEquality; inheritdoc keeps generated code short (CS1591 still holds).
        w.Line("/// <inheritdoc/>");
        w.Line($"public bool Equals({typeName}? other) => ReferenceEquals(this, other) || other is not null");
        for (var i = 0; i < fields.Count; i++)
        {
            w.Line("\t&& " + Equal(fields[i], ns) + (i == fields.Count - 1 ? ";" : string.Empty));
        }

        if (fields.Count == 0)
        {
            w.Line("\t&& true;");
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public override int GetHashCode()");
        w.Line("var hash = new global::System.HashCode();");
        foreach (var field in fields)
        {
            w.Line($"hash.Add({Hash(field, ns)});");
        }

        w.Line("return hash.ToHashCode();");
        w.Close();
        w.Line();
    }

    // Strings, integers, booleans, IntOrString, enums and generated records compare with == (ordinal, by value; a record's == is its
    // Equals): no generic call to bind. Doubles keep Equals (NaN equals NaN, as EqualityComparer does).
    private static string Equal(Field f, string ns) => f.Type.Kind switch
    {
        RefKind.Json => $"{Ve}.Json({f.Name}, other.{f.Name})",
        RefKind.Known => $"{Ve}.Kubernetes({f.Name}, other.{f.Name})",
        RefKind.List or RefKind.Map => $"{Ve}.Equal<{Emitter.TypeName(f.Type, ns)}, {Comparer(f.Type, ns)}>({f.Name}, other.{f.Name})",
        RefKind.String or RefKind.Int32 or RefKind.Int64 or RefKind.Boolean or RefKind.IntOrString or RefKind.Enum or RefKind.Record => $"{f.Name} == other.{f.Name}",
        _ => $"{Ve}.Same({f.Name}, other.{f.Name})",
    };

    private static string Hash(Field f, string ns) => f.Type.Kind switch
    {
        RefKind.Json => $"{Ve}.JsonHash({f.Name})",
        RefKind.Known => $"{Ve}.KubernetesHash({f.Name})",
        RefKind.List or RefKind.Map => $"{Ve}.Hash<{Emitter.TypeName(f.Type, ns)}, {Comparer(f.Type, ns)}>({f.Name})",
        _ => f.Name,
    };

    /// <summary>The comparer struct for a type, composed for nested lists and maps.</summary>
    private static string Comparer(TypeRef type, string ns) => type.Kind switch
    {
        RefKind.List => $"{Ve}.ListOf<{Emitter.TypeName(type.Element!, ns)}, {Comparer(type.Element!, ns)}>",
        RefKind.Map => $"{Ve}.MapOf<{Emitter.TypeName(type.Element!, ns)}, {Comparer(type.Element!, ns)}>",
        RefKind.Json => $"{Ve}.JsonOf",
        RefKind.Known => $"{Ve}.KubernetesOf<{Emitter.TypeName(type, ns)}>",
        _ => $"{Ve}.DefaultOf<{Emitter.TypeName(type, ns)}>",
    };
}
