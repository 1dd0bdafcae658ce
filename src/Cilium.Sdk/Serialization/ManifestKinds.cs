using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;

namespace Cilium.Sdk.Serialization;

/// <summary>
/// The generated root types (and their list types) by <c>apiVersion</c> and <c>kind</c>, for <see cref="Manifests.ReadAny"/>.
/// </summary>
/// <remarks>
/// Built once, on first use, by reflecting the <c>KubeGroup</c>/<c>KubeApiVersion</c>/<c>KubeKind</c> constants the
/// generator puts on every root and list record in this assembly. Reflection rather than a hand-written table:
/// a table would silently miss a kind the day a schema is added; this cannot drift. The cost is one scan of this
/// assembly's types (a few milliseconds); the package is not trimmed or AOT-compiled.
/// </remarks>
internal static class ManifestKinds
{
    private static readonly Lazy<Dictionary<(string ApiVersion, string Kind), Type>> Table = new(Build);

    /// <summary>Finds the generated type for an apiVersion and kind.</summary>
    /// <param name="apiVersion">E.g. <c>cilium.io/v2</c>.</param>
    /// <param name="kind">E.g. <c>CiliumNetworkPolicy</c>.</param>
    /// <param name="type">The type.</param>
    /// <returns>Whether there is one.</returns>
    internal static bool TryGet(string apiVersion, string kind, [NotNullWhen(true)] out Type? type) =>
        Table.Value.TryGetValue((apiVersion, kind), out type);

    /// <summary>The apiVersions a kind is generated for, sorted, for error messages.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The apiVersions.</returns>
    internal static IReadOnlyList<string> ApiVersionsOf(string kind) =>
        Table.Value.Keys.Where(k => k.Kind == kind).Select(k => k.ApiVersion).OrderBy(v => v, StringComparer.Ordinal).ToList();

    /// <summary>Every (apiVersion, kind) known, for tests and diagnostics.</summary>
    internal static IReadOnlyCollection<(string ApiVersion, string Kind)> All => Table.Value.Keys;

    private static Dictionary<(string ApiVersion, string Kind), Type> Build()
    {
        var table = new Dictionary<(string ApiVersion, string Kind), Type>();
        foreach (var type in typeof(ManifestKinds).Assembly.GetTypes())
        {
            if (!type.IsPublic || type.IsAbstract || type.Namespace is not { } ns ||
                !(ns.StartsWith("Cilium.Sdk.Resources.", StringComparison.Ordinal) || ns.StartsWith("Cilium.Sdk.Flux.", StringComparison.Ordinal)))
            {
                continue;
            }

            var group = Constant(type, "KubeGroup");
            var version = Constant(type, "KubeApiVersion");
            var kind = Constant(type, "KubeKind");
            if (group is null || version is null || kind is null)
            {
                continue;
            }

            var apiVersion = group.Length == 0 ? version : group + "/" + version;
            if (!table.TryAdd((apiVersion, kind), type))
            {
                throw new InvalidOperationException($"Two generated types claim {apiVersion} {kind}: {table[(apiVersion, kind)].FullName} and {type.FullName}.");
            }
        }

        return table;
    }

    private static string? Constant(Type type, string name) =>
        type.GetField(name, BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly) is { IsLiteral: true } field
            ? field.GetRawConstantValue() as string
            : null;
}
