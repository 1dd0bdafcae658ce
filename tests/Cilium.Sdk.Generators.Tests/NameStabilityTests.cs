using System.Reflection;
using Cilium.Sdk.Generators.Tests.Infrastructure;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// Issue 18, item 4: adding fields upstream must not rename types. The upstream Cilium CRDs of 1.19 and 1.20 are
/// generated on their own; for every field path both releases have (kind, version, property path), the C# type
/// names are compared, and every rename is listed: the list must be empty or each entry explained here.
/// </summary>
public sealed class NameStabilityTests(ITestOutputHelper output)
{
    /// <summary>Renames between 1.19 and 1.20 that are understood, with the reason (none today).</summary>
    private static readonly Dictionary<string, string> Explained = new(StringComparer.Ordinal);

    [Fact]
    public void No_type_is_renamed_between_Cilium_1_19_and_1_20()
    {
        var before = TypesByPath(Generate("v1.19"));
        var after = TypesByPath(Generate("v1.20"));
        var common = before.Keys.Intersect(after.Keys).Order(StringComparer.Ordinal).ToList();
        var renamed = common.Where(p => before[p] != after[p]).Select(p => $"{p}: {before[p]} -> {after[p]}").ToList();
        output.WriteLine($"{common.Count} field paths in both releases ({before.Count} in 1.19, {after.Count} in 1.20); {renamed.Count} renamed");
        foreach (var line in renamed)
        {
            output.WriteLine("  " + line);
        }

        Assert.True(common.Count > 500, $"only {common.Count} common paths: the walk found too little to prove anything");
        var unexplained = renamed.Where(r => !Explained.ContainsKey(r)).ToList();
        Assert.True(unexplained.Count == 0, "types renamed from 1.19 to 1.20:\n" + string.Join("\n", unexplained));
    }

    /// <summary>
    /// Issue 18, item 4: a shape several kinds share gets a neutral name, so a CiliumNetworkPolicy user never sees
    /// CiliumClusterwideNetworkPolicy* types, and opting CCNP in beside CNP renames none of CNP's types; nor does
    /// opting in every other Cilium kind at once.
    /// </summary>
    [Theory]
    [InlineData("CiliumNetworkPolicy", "v2/ciliumnetworkpolicies.yaml", "v2/ciliumclusterwidenetworkpolicies.yaml")]
    [InlineData("CiliumNetworkPolicy", "v2/ciliumnetworkpolicies.yaml", "*")]
    public void Opting_in_another_kind_renames_none_of_a_kinds_types(string kind, string alone, string besides)
    {
        var folder = RepositoryPaths.RequireShared("corpus/cilium/crds/v1.20");
        var others = besides == "*"
            ? Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories).Where(f => !f.EndsWith(alone, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [Path.Combine(folder, besides)];
        var single = Visible(TypesByPath(GenerateFiles([Path.Combine(folder, alone)])), kind);
        var together = Visible(TypesByPath(GenerateFiles([Path.Combine(folder, alone), .. others])), kind);
        var renamed = single.Keys.Where(p => together.GetValueOrDefault(p) != single[p]).Select(p => $"{p}: {single[p]} -> {together.GetValueOrDefault(p)}").ToList();
        output.WriteLine($"{kind}: {single.Count} field paths with generated types, {single.Values.Distinct().Count()} types; {renamed.Count} renamed when {besides} is opted in too");
        foreach (var line in renamed)
        {
            output.WriteLine("  " + line);
        }

        Assert.True(single.Count > 50, $"only {single.Count} paths: the walk found too little to prove anything");
        Assert.Empty(renamed);
        Assert.DoesNotContain(together.Values, name => name.Contains("Clusterwide", StringComparison.Ordinal));

        static Dictionary<string, string> Visible(Dictionary<string, string> types, string kind) =>
            types.Where(t => t.Key.StartsWith(kind + "/", StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }

    private static Assembly GenerateFiles(IEnumerable<string> files) =>
        GeneratorHarness.Run(files.Select(f => GeneratorHarness.FromFile(f)).ToList(), GeneratorHarness.CreateCompilation()).Load();

    private static Assembly Generate(string version)
    {
        var files = Directory.GetFiles(RepositoryPaths.RequireShared($"corpus/cilium/crds/{version}"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(f => GeneratorHarness.FromFile(f)).ToList();
        return GeneratorHarness.Run(files, GeneratorHarness.CreateCompilation()).Load();
    }

    /// <summary>"Kind/version: spec.a.b" -> the generated type's name, walking records from every root.</summary>
    private static Dictionary<string, string> TypesByPath(Assembly assembly)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in assembly.GetTypes().Where(t => t.GetField("KubePluralName") is not null))
        {
            var prefix = $"{root.GetField("KubeKind")!.GetValue(null)}/{root.GetField("KubeApiVersion")!.GetValue(null)}:";
            Walk(root, prefix, 0);
        }

        return result;

        void Walk(Type type, string path, int depth)
        {
            if (depth > 30)
            {
                return;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var wire = property.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name;
                if (wire is null)
                {
                    continue;
                }

                var element = Element(property.PropertyType);
                if (element.Assembly != assembly)
                {
                    continue;
                }

                var at = path + " " + wire;
                result[at] = element.Name;
                if (!element.IsEnum)
                {
                    Walk(element, at, depth + 1);
                }
            }
        }
    }

    /// <summary>The type a property holds, through nullable, lists and maps.</summary>
    private static Type Element(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(IDictionary<,>)))
        {
            return Element(type.GetGenericArguments()[^1]);
        }

        return type;
    }
}
