using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Tests.Bgp.Support;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Migration;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>
/// Every invalid input the SDK's tests know, in one table: the builder's cross-field rules, the BGP validator,
/// the template's schema constraints, INVALID.md and hostile YAML. Each must be rejected, and every error it
/// produces must name the field (a non-empty path) and the fix.
/// </summary>
public sealed class BadInputCatalogueTests(ITestOutputHelper output)
{
    /// <summary>What one rejection reported: where, and how to fix it.</summary>
    public sealed record Reported(string Path, string Fix, string Text);

    /// <summary>One bad input: its table, its name, and a function that feeds it to the SDK and collects what is reported.</summary>
    public sealed record Entry(string Table, string Name, Func<IReadOnlyList<Reported>> Run);

    /// <summary>The lowest count the catalogue may fall to; raise it when tables grow.</summary>
    public const int Floor = 180;

    public static IEnumerable<Entry> Entries()
    {
        foreach (var (name, @case) in ClusterValidationTests.Cases.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            // A warning case is "rejected" by its warning: the build goes on, but the user is told where and how to fix it.
            yield return new Entry("ClusterValidationTests", name, () => Of(@case.Break(SampleClusters.HomeLab()).Validate(), @case.Severity));
        }

        foreach (var (name, options, topology) in BgpCases())
        {
            yield return new Entry("BGP validator", name, () => Of(BgpValidator.Validate(options, topology)));
        }

        foreach (var row in TemplateImportTests.SchemaViolations)
        {
            var (extra, key, _) = row.Data;
            yield return new Entry("TemplateImportTests.SchemaViolations", key + ": " + extra.Split('\n')[^1], () => Of(TemplateImporter.Import(TemplateImportTests.WithExtra(extra), TemplateImportTests.Nodes).Problems));
        }

        foreach (var row in InvalidCasesTests.Cases())
        {
            var (id, version, yaml, _, _) = row.Data;
            yield return new Entry("INVALID.md", id, () => ReadAndValidate(yaml, version));
        }

        foreach (var hostile in HostileTemplateYaml.Cases)
        {
            yield return new Entry("hostile YAML", hostile.Name, () => Of(TemplateImporter.Import(hostile.ClusterYaml, hostile.NodesYaml).Problems));
        }
    }

    [Fact]
    public void Every_known_bad_input_is_rejected_and_every_error_names_the_field_and_the_fix()
    {
        var failures = new List<string>();
        var perTable = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int inputs = 0, errors = 0;
        foreach (var entry in Entries())
        {
            inputs++;
            perTable[entry.Table] = perTable.GetValueOrDefault(entry.Table) + 1;
            var reported = entry.Run();
            errors += reported.Count;
            if (reported.Count == 0)
            {
                failures.Add($"{entry.Table} / {entry.Name}: accepted (no error)");
            }

            if (RootLevelRules.TryGetValue($"{entry.Table} / {entry.Name}", out var named))
            {
                // The path is the object itself ("(root)"); the fix must still be there and the message must name the field.
                reported = reported.Select(r => r.Path.Length == 0 && r.Text.Contains(named, StringComparison.Ordinal) ? r with { Path = "(root)" } : r).ToList();
            }

            foreach (var r in reported.Where(r => string.IsNullOrWhiteSpace(r.Path) || string.IsNullOrWhiteSpace(r.Fix)))
            {
                failures.Add($"{entry.Table} / {entry.Name}: error without {(string.IsNullOrWhiteSpace(r.Path) ? "a field path" : "a fix")}: {r.Text}");
            }
        }

        output.WriteLine($"bad-input catalogue: {inputs} invalid inputs, {inputs - failures.Count(f => f.EndsWith("accepted (no error)", StringComparison.Ordinal))} rejected correctly, {errors} errors reported");
        foreach (var (table, count) in perTable)
        {
            output.WriteLine($"  {table}: {count}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(inputs >= Floor, $"only {inputs} bad inputs; the floor is {Floor}");
        Assert.Equal(5, perTable.Count);
    }

    /// <summary>
    /// Errors of rules over a whole object, which no single field carries; the message must name the fields instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RootLevelRules = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["INVALID.md / A6"] = "spec",
    };

    private static List<Reported> Of(IEnumerable<ValidationError> problems, ValidationSeverity severity = ValidationSeverity.Error) =>
        problems.Where(p => p.Severity == severity).Select(p => new Reported(p.Path, p.Fix, p.ToString())).ToList();

    private static List<Reported> ReadAndValidate(string yaml, string version)
    {
        object resource;
        try
        {
            resource = Manifests.ReadAny(yaml);
        }
        catch (ManifestException e)
        {
            // A read error's Detail says what is wrong and how to fix it; FieldPath names the field.
            return [new Reported(e.FieldPath ?? string.Empty, e.Detail, e.Message)];
        }

        return Of(((IValidatable)resource).Validate(CiliumVersion.Parse(version)));
    }

    /// <summary>The BGP validator's rejections (BgpValidatorTests asserts the exact messages of each).</summary>
    private static IEnumerable<(string Name, BgpOptions Options, BgpTopology Topology)> BgpCases()
    {
        var ok = BgpModels.Options();
        var topology = BgpModels.Topology();
        yield return ("ASN 0", ok with { RouterAsn = 0 }, topology);
        foreach (var asn in new uint[] { 23456, 65535, 4294967295 })
        {
            yield return ($"reserved node ASN {asn}", ok with { NodeAsn = asn }, topology);
        }

        yield return ("reserved per-node ASN", ok with { NodeAsns = new Dictionary<string, uint> { ["k8s-1"] = 23456 } }, topology);
        yield return ("iBGP not allowed", ok with { NodeAsn = 64513 }, topology);
        yield return ("keepalive above hold", ok with { Timers = new(9, 10, 10) }, topology);
        yield return ("hold 2", ok with { Timers = new(2, 1, 10) }, topology);
        yield return ("hold 65536", ok with { Timers = new(65536, 1, 10) }, topology);
        yield return ("hold above the template's 300", ok with { Timers = new(301, 100, 10) }, topology);
        yield return ("restart 0", ok with { GracefulRestart = BgpGracefulRestartOptions.On(0) }, topology);
        yield return ("restart 4096", ok with { GracefulRestart = BgpGracefulRestartOptions.On(4096) }, topology);
        yield return ("ECMP 0", ok with { EcmpMaxPaths = 0 }, topology);
        yield return ("ECMP 17", ok with { EcmpMaxPaths = 17 }, topology);
        yield return ("router inside the LB pool", ok, topology with { LoadBalancerPools = [IPNetwork.Parse("192.168.1.0/24")] });
        yield return ("router off the node network without multihop", ok with { RouterAddress = IPAddress.Parse("10.0.0.1") }, topology);
        foreach (var password in new[] { "two words", "tab\there", "quote\"d", "bang!", "hash#", "umlaut-ä", new string('a', 81) })
        {
            yield return ($"password FRR cannot carry ({password.Length} chars)", ok with { Password = new SecretValue(password) }, topology);
        }

        yield return ("pinned IP outside the pools", ok, topology with { PinnedLoadBalancerIps = [IPAddress.Parse("172.20.10.21"), IPAddress.Parse("192.168.1.21")] });
        yield return ("nothing to peer or advertise", ok with { Advertise = BgpAdvertise.None }, BgpModels.Topology(nodes: []) with { LoadBalancerPools = [] });
    }
}
