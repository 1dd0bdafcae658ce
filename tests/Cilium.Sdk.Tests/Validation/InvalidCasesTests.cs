using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>
/// Every case of ../shared/corpus/cilium/INVALID.md layers A (API server) and B (agent) for the kinds the SDK builds,
/// written as YAML from the document's facts: each fails reading or Validate() with an error at the named field, from
/// the named layer. Reading counts as the API server's rejection when the value cannot have the schema's type.
/// </summary>
public sealed class InvalidCasesTests
{
    private const string Schema = ValidationLayers.Schema;
    private const string Agent = ValidationLayers.Agent;

    /// <summary>Cases of INVALID.md that are not tests here, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotSdkCases = new Dictionary<string, string>
    {
        ["A27"] = "CiliumEgressGatewayPolicy is not a kind the SDK builds (the rule's form, self == '' || isIP(self), is tested in CelRuleTests)",
        ["A28"] = "CiliumLocalRedirectPolicy is not an SDK kind, and the rule is a transition rule (self == oldSelf): not checkable offline",
        ["A29"] = "CiliumPodIPPool is not an SDK kind",
        ["B20"] = "depends on agent flags (enable-node-selector-labels, enable-icmp-rules), not on the input",
    };

    public static TheoryData<string, string, string, string, string> Cases() => new()
    {
        { "A1", "1.20", Cnp("""{endpointSelector: {}, egress: [{toPorts: [{ports: ["port \"8050\"", "protocol TCP"]}]}]}"""), "spec.egress[0].toPorts[0].ports[0]", Schema },
        { "A2", "1.20", Cnp("{endpointSelector: {matchLabels: {key: app, operator: In, values: [prometheus, kube-state-metrics]}}, ingress: [{}]}"), "spec.endpointSelector.matchLabels", Schema },
        { "A3", "1.20", Ccnp("{endpointSelector: {}, nodeSelector: {}, ingress: [{}]}"), "spec", Schema },
        { "A4", "1.20", Cnp("{endpointSelector: {}, ingress: [{}]}") + "description: top-level\n", "description", Schema },
        { "A5 top level", "1.20", Cnp("{endpointSelector: {}, ingress: [{}]}") + "foo: bar\n", "foo", Schema },
        { "A5 spec", "1.20", Cnp("{endpointSelector: {}, ingress: [{}], bar: baz}"), "spec.bar", Schema },
        { "A6", "1.20", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: t, namespace: default}\n", string.Empty, Schema },
        { "A6 (1.19: agent)", "1.19", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: t, namespace: default}\n", "spec", Agent },
        { "A7", "1.20", Cnp("{endpointSelector: {}}"), "spec", Schema },
        { "A8", "1.20", Cnp("{endpointSelector: {}, ingress: [{fromRequires: [{matchLabels: {env: prod}}]}]}"), "spec.ingress[0].fromRequires[0]", Schema },
        { "A9", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: tcp}]}]}]}"), "spec.ingress[0].toPorts[0].ports[0].protocol", Schema },
        { "A10", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: 80, protocol: TCP}]}]}]}"), "spec.ingress[0].toPorts[0].ports[0].port", Schema },
        { "A11 ports", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [" + Ports(41) + "]}]}]}"), "spec.ingress[0].toPorts[0].ports", Schema },
        { "A11 icmp fields", "1.20", Cnp("{endpointSelector: {}, ingress: [{icmps: [{fields: [" + string.Join(", ", Enumerable.Range(0, 41).Select(i => $"{{type: {i}}}")) + "]}]}]}"), "spec.ingress[0].icmps[0].fields", Schema },
        { "A12 fqdn", "1.20", Cnp("{endpointSelector: {}, egress: [{toFQDNs: [{matchName: a.com, matchPattern: '*.a.com'}]}]}"), "spec.egress[0].toFQDNs[0]", Schema },
        { "A12 cidr set", "1.20", Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{cidr: 10.0.0.0/8, cidrGroupRef: x}]}]}"), "spec.egress[0].toCIDRSet[0]", Schema },
        { "A12 l7", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '53', protocol: ANY}], rules: {http: [{method: GET}], dns: [{matchName: a.com}]}}]}]}"), "spec.egress[0].toPorts[0].rules", Schema },
        { "A13 number", "1.20", Cnp("{endpointSelector: {}, ingress: [{icmps: [{fields: [{type: '256'}]}]}]}"), "spec.ingress[0].icmps[0].fields[0].type", Schema },
        { "A13 name", "1.20", Cnp("{endpointSelector: {}, ingress: [{icmps: [{fields: [{type: ExtendedEchoReply}]}]}]}"), "spec.ingress[0].icmps[0].fields[0].type", Schema },
        { "A14 matchName", "1.20", Cnp("{endpointSelector: {}, egress: [{toFQDNs: [{matchName: 'a{1,2}.cilium.io.'}]}]}"), "spec.egress[0].toFQDNs[0].matchName", Schema },
        { "A14 matchPattern", "1.20", Cnp("{endpointSelector: {}, egress: [{toFQDNs: [{matchPattern: '[a-z]*.cilium.io.'}]}]}"), "spec.egress[0].toFQDNs[0].matchPattern", Schema },
        { "A15 0", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], listener: {envoyConfig: {name: e}, name: l, priority: 0}}]}]}"), "spec.egress[0].toPorts[0].listener.priority", Schema },
        { "A15 101", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], listener: {envoyConfig: {name: e}, name: l, priority: 101}}]}]}"), "spec.egress[0].toPorts[0].listener.priority", Schema },
        { "A16", "1.20", Cnp("{endpointSelector: {matchExpressions: [{key: x, operator: asdfasdfasdf}]}, ingress: [{}]}"), "spec.endpointSelector.matchExpressions[0].operator", Schema },
        { "A17", "1.20", Peer("{timers: {keepAliveTimeSeconds: 100, holdTimeSeconds: 90}}"), "spec.timers", Schema },
        { "A18 hold", "1.20", Peer("{timers: {holdTimeSeconds: 2, keepAliveTimeSeconds: 1}}"), "spec.timers.holdTimeSeconds", Schema },
        { "A18 multihop", "1.20", Peer("{ebgpMultihop: 0}"), "spec.ebgpMultihop", Schema },
        { "A18 restart", "1.20", Peer("{gracefulRestart: {enabled: true, restartTimeSeconds: 4096}}"), "spec.gracefulRestart.restartTimeSeconds", Schema },
        { "A18 peerPort", "1.20", Peer("{transport: {peerPort: 0}}"), "spec.transport.peerPort", Schema },
        { "A19", "1.20", Advert("{advertisementType: Service}"), "spec.advertisements[0]", Schema },
        { "A20", "1.20", Advert("{advertisementType: PodCIDR, selector: {matchLabels: {a: b}}}"), "spec.advertisements[0]", Schema },
        { "A21 missing interface", "1.20", Advert("{advertisementType: Interface}"), "spec.advertisements[0]", Schema },
        { "A21 interface on Service", "1.20", Advert("{advertisementType: Service, service: {addresses: [LoadBalancerIP]}, interface: {name: lo}}"), "spec.advertisements[0]", Schema },
        { "A22 addresses", "1.20", Advert("{advertisementType: Service, service: {addresses: []}}"), "spec.advertisements[0].service.addresses", Schema },
        { "A22 aggregation", "1.20", Advert("{advertisementType: Service, service: {addresses: [ClusterIP], aggregationLengthIPv4: 32}}"), "spec.advertisements[0].service.aggregationLengthIPv4", Schema },
        { "A23 no instances", "1.20", Cluster("[]"), "spec.bgpInstances", Schema },
        { "A23 17 instances", "1.20", Cluster("[" + string.Join(", ", Enumerable.Range(0, 17).Select(i => $"{{name: i{i}, localASN: 65001}}")) + "]"), "spec.bgpInstances", Schema },
        { "A23 localASN", "1.20", Cluster("[{name: a, localASN: 0}]"), "spec.bgpInstances[0].localASN", Schema },
        { "A23 duplicate peers", "1.20", Cluster("[{name: a, localASN: 65001, peers: [{name: p, peerASN: 65000}, {name: p, peerASN: 65002}]}]"), "spec.bgpInstances[0].peers", Schema },
        { "A24", "1.20", Cluster("[{name: a, localASN: 65001, peers: [{name: p, peerConfigRef: {group: cilium.io, kind: CiliumBGPPeerConfig, name: p}}]}]"), "spec.bgpInstances[0].peers[0].peerConfigRef.group", Schema },
        { "A25", "1.20", Pool("{blocks: [{cidr: 10.0.10.0/24}], allowFirstLastIPs: yes}"), "spec.allowFirstLastIPs", Schema },
        { "A26", "1.20", Pool("{blocks: [{cidr: LB_CIDR}]}"), "spec.blocks[0].cidr", Schema },
        { "B1 UDP", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: UDP}], rules: {http: [{method: GET, path: /}]}}]}]}"), "spec.ingress[0].toPorts[0].ports[0].protocol", Agent },
        { "B1 ANY", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: ANY}], rules: {http: [{method: GET, path: /}]}}]}]}"), "spec.ingress[0].toPorts[0].ports[0].protocol", Agent },
        { "B1 TCP then UDP", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: TCP}, {port: '80', protocol: UDP}], rules: {http: [{method: GET, path: /}]}}]}]}"), "spec.ingress[0].toPorts[0].ports[1].protocol", Agent },
        { "B2", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '53', protocol: ANY}], rules: {dns: [{matchName: domain.com}]}}]}]}"), "spec.ingress[0].toPorts[0].rules.dns", Agent },
        { "B3", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{rules: {dns: [{matchPattern: '*'}]}}]}]}"), "spec.egress[0].toPorts[0].ports", Agent },
        { "B4", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '443', endPort: 445, protocol: TCP}], rules: {dns: [{matchPattern: '*'}]}}]}]}"), "spec.egress[0].toPorts[0].ports[0].endPort", Agent },
        { "B5", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '443', protocol: TCP}], serverNames: ['']}]}]}"), "spec.egress[0].toPorts[0].serverNames[0]", Agent },
        { "B6", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '443', protocol: TCP}], serverNames: [foo.bar.com], rules: {http: [{method: GET}]}}]}]}"), "spec.egress[0].toPorts[0].serverNames", Agent },
        { "B7", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], listener: {envoyConfig: {name: test-config}, name: myCustomListener}}]}]}"), "spec.ingress[0].toPorts[0].listener", Agent },
        { "B8", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], listener: {envoyConfig: {name: test-config}, name: myCustomListener}, rules: {http: [{method: GET}]}}]}]}"), "spec.egress[0].toPorts[0].listener", Agent },
        { "B9", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '0', protocol: TCP}], rules: {http: [{method: GET, path: /}]}}]}]}"), "spec.ingress[0].toPorts[0].ports[0].port", Agent },
        { "B10 path", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: GET, path: '*'}]}}]}]}"), "spec.ingress[0].toPorts[0].rules.http[0].path", Agent },
        { "B10 method", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: '*', path: /}]}}]}]}"), "spec.ingress[0].toPorts[0].rules.http[0].method", Agent },
        { "B11 none set", "1.20", Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{}]}]}"), "spec.egress[0].toCIDRSet[0]", Agent },
        { "B11 two set", "1.20", Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{cidrGroupRef: foo, cidrGroupSelector: {matchLabels: {a: b}}}]}]}"), "spec.egress[0].toCIDRSet[0]", Agent },
        { "B11 mask", "1.20", Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{cidr: 10.0.0.0/254.0.0.255}]}]}"), "spec.egress[0].toCIDRSet[0].cidr", Schema },
        { "B11 except broader", "1.20", Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{cidr: 10.0.0.0/24, except: [10.0.0.0/16]}]}]}"), "spec.egress[0].toCIDRSet[0].except[0]", Agent },
        { "B11 except outside", "1.20", Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{cidr: 10.0.0.0/24, except: [10.1.0.0/24]}]}]}"), "spec.egress[0].toCIDRSet[0].except[0]", Agent },
        { "B12 both", "1.20", Cnp("{endpointSelector: {}, nodeSelector: {}, ingress: [{}]}"), "spec.nodeSelector", Agent },
        { "B12 neither", "1.20", Cnp("{ingress: [{}]}"), "spec.endpointSelector", Agent },
        { "B13 spec", "1.20", Cnp("{nodeSelector: {}, ingress: [{}]}"), "spec.nodeSelector", Agent },
        { "B13 specs", "1.20", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: t, namespace: default}\nspecs: [{endpointSelector: {}, ingress: [{}]}, {nodeSelector: {}, ingress: [{}]}]\n", "specs[1].nodeSelector", Agent },
        { "B14 ingress", "1.20", Ccnp("{nodeSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: GET}]}}]}]}"), "spec.ingress[0].toPorts[0].rules", Agent },
        { "B14 egress", "1.20", Ccnp("{nodeSelector: {}, egress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: GET}]}}]}]}"), "spec.egress[0].toPorts[0].rules", Agent },
        { "B15 VRRP", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '1', protocol: VRRP}]}]}]}"), "spec.ingress[0].toPorts[0].ports[0].port", Agent },
        { "B15 GRE", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '1', protocol: GRE}]}]}]}"), "spec.egress[0].toPorts[0].ports[0].port", Agent },
        { "B16", "1.20", Cnp("{endpointSelector: {}, ingress: [{icmps: [{fields: [{family: hoge, type: 0}]}]}]}"), "spec.ingress[0].icmps[0].fields[0].family", Schema },
        { "B17", "1.20", Cnp("{endpointSelector: {}, ingress: [{icmps: [{fields: [{family: IPv4, type: ICMPNodeInformationQuery}]}]}]}"), "spec.ingress[0].icmps[0].fields[0].type", Agent },
        { "B18 ingress", "1.20", Cnp("{endpointSelector: {}, ingress: [{icmps: [{fields: [{type: 8}]}], toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]}"), "spec.ingress[0].icmps", Agent },
        { "B18 ingressDeny", "1.20", Cnp("{endpointSelector: {}, ingressDeny: [{icmps: [{fields: [{type: 8}]}], toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]}"), "spec.ingressDeny[0].icmps", Agent },
        { "B18 egress", "1.20", Cnp("{endpointSelector: {}, egress: [{icmps: [{fields: [{type: 8}]}], toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]}"), "spec.egress[0].icmps", Agent },
        { "B18 egressDeny", "1.20", Cnp("{endpointSelector: {}, egressDeny: [{icmps: [{fields: [{type: 8}]}], toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]}"), "spec.egressDeny[0].icmps", Agent },
        { "B19 ingress", "1.20", Cnp("{endpointSelector: {}, ingress: [{fromEndpoints: [{}], fromCIDR: [10.0.0.0/8]}]}"), "spec.ingress[0].fromCIDR", Agent },
        { "B19 egress", "1.20", Cnp("{endpointSelector: {}, egress: [{toEntities: [world], toFQDNs: [{matchName: a.com}]}]}"), "spec.egress[0].toFQDNs", Agent },
        { "B21", "1.20", Cnp("{endpointSelector: {}, egress: [{toFQDNs: [{matchName: cilium.io, matchPattern: '*cilium.io'}]}]}"), "spec.egress[0].toFQDNs[0]", Schema },
        { "B more than 40 ports", "1.20", Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [" + Ports(41) + "]}]}]}"), "spec.egress[0].toPorts[0].ports", Agent },
        { "B loose port pattern: number", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '99999', protocol: TCP}]}]}]}"), "spec.ingress[0].toPorts[0].ports[0].port", Agent },
        { "B loose port pattern: double hyphen", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: http--alt, protocol: TCP}]}]}]}"), "spec.ingress[0].toPorts[0].ports[0].port", Agent },
        { "B loose port pattern: long name", "1.20", Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: averyverylongportname, protocol: TCP}]}]}]}"), "spec.ingress[0].toPorts[0].ports[0].port", Agent },
    };

    /// <summary>The cases the reader itself refuses (the value cannot take the schema's type, so the API server rejects it
    /// before any other check); every other case reads and must fail <c>Validate()</c>. Each row asserts which of the two
    /// happens, so a reader that starts refusing (or accepting) a case fails here instead of skipping a check. A string
    /// outside an enum (A9 'tcp', B16 'hoge') reads: unknown enum values are kept and Validate() reports them.</summary>
    public static readonly IReadOnlySet<string> RejectedByTheReader = new HashSet<string>(StringComparer.Ordinal)
    {
        "A1", // a string where an object must be
        "A2", // a list where a label value (string) must be
        "A8", // an object where a string must be
        "A10", // port 80: a number where the schema has a string
        "A25", // yes: a YAML 1.1 boolean where the enum Yes/No is
    };

    /// <summary>The cases that read and reach validation: the rows of the two-pass test.</summary>
    public static TheoryData<string, string, string, string, string> ValidatedCases()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var row in Cases())
        {
            var (id, version, yaml, path, layer) = row.Data;
            if (!RejectedByTheReader.Contains(id))
            {
                data.Add(id, version, yaml, path, layer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_case_fails_with_an_error_at_the_field(string id, string version, string yaml, string path, string layer)
    {
        var (resource, readError) = TryRead(yaml);
        if (RejectedByTheReader.Contains(id))
        {
            // The value cannot take the schema's type: the API server rejects it before any other check.
            Assert.True(readError is not null, $"{id}: expected the reader to refuse it, but it read");
            Assert.Equal(Schema, layer);
            Assert.True(readError.FieldPath is { } readAt && IsAt(readAt, path), $"{id}: read error at '{readError.FieldPath}', expected '{path}': {readError.Message}");
            Assert.False(string.IsNullOrWhiteSpace(readError.Message));
            Assert.DoesNotContain("System.", readError.Message, StringComparison.Ordinal); // the author's words, not C# types
            return;
        }

        Assert.True(resource is not null, $"{id}: expected it to read and fail validation, but reading failed: {readError?.Message}");
        var errors = resource.Validate(CiliumVersion.Parse(version));
        var at = errors.Where(e => IsAt(e.Path, path)).ToList();
        Assert.True(at.Count > 0, $"{id}: no error at '{path}'; got: {string.Join(" | ", errors)}");
        var error = at.FirstOrDefault(e => e.Layer == layer);
        Assert.True(error is not null, $"{id}: errors at '{path}' are not from the {layer} layer: {string.Join(" | ", at)}");
        Assert.True(error.IsError);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        if (layer == Agent)
        {
            Assert.Contains("the Cilium agent would reject this policy", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// <see cref="ValidationContext.Validate(IValidatable, string)"/> (what Validate(version), the builder and the renderer
    /// use) first runs a quick pass that builds no path; it must find a problem whenever the full pass does, and then
    /// report exactly what the full pass reports. Only the cases that read are rows (the others never reach
    /// validation; <see cref="Invalid_case_fails_with_an_error_at_the_field"/> asserts that they are refused).
    /// </summary>
    [Theory]
    [MemberData(nameof(ValidatedCases))]
    public void Two_pass_validation_reports_exactly_what_one_full_pass_reports(string id, string version, string yaml, string path, string layer)
    {
        _ = path;
        _ = layer;
        var (resource, readError) = TryRead(yaml);
        Assert.True(resource is not null, $"{id}: reading failed: {readError?.Message}");

        var full = new ValidationContext(version);
        resource.Validate(full, "root");
        var twoPass = new ValidationContext(version);
        twoPass.Validate(resource, "root");
        Assert.True(full.Errors.Count > 0, $"{id}: the full pass found nothing");
        Assert.Equal(full.Errors, twoPass.Errors);
    }

    [Fact]
    public void Every_case_the_reader_refuses_is_a_case()
    {
        var ids = Cases().Select(row => row.Data.Item1).ToHashSet(StringComparer.Ordinal);
        Assert.All(RejectedByTheReader, id => Assert.Contains(id, ids));
        Assert.Equal(Cases().Count - RejectedByTheReader.Count, ValidatedCases().Count);
    }

    private static bool IsAt(string actual, string path) =>
        actual == path || actual.StartsWith(path + ".", StringComparison.Ordinal) || actual.StartsWith(path + "[", StringComparison.Ordinal);

    private static (IValidatable? Resource, ManifestException? Error) TryRead(string yaml)
    {
        try
        {
            return ((IValidatable)Manifests.ReadAny(yaml), null);
        }
        catch (ManifestException e)
        {
            return (null, e);
        }
    }

    [Fact]
    public void Every_layer_A_and_B_case_of_invalid_md_is_a_test_or_excluded_with_a_reason()
    {
        var text = File.ReadAllText(SharedCorpus.Require("corpus/cilium/INVALID.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(text, @"^\| ([AB][0-9]+) \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var tested = Cases().Select(row => row.Data.Item1.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var missing = documented.Where(id => !tested.Contains(id) && !NotSdkCases.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "INVALID.md cases without a test: " + string.Join(", ", missing));
        Assert.True(documented.Count >= 50, $"expected the 29 A and 21 B cases, found {documented.Count}");
        TestContext.Current.TestOutputHelper!.WriteLine($"INVALID.md: {documented.Count} cases, {tested.Count(documented.Contains)} tested ({Cases().Count} rows), {NotSdkCases.Count} excluded");
    }

    [Fact]
    public void Valid_counterparts_from_the_same_upstream_tests_pass()
    {
        var valid = new[]
        {
            Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: '80', protocol: SCTP}]}]}], ingressDeny: [{toPorts: [{ports: [{port: '80', protocol: SCTP}]}]}]}"),
            Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '53', protocol: TCP}, {port: '53', protocol: UDP}], rules: {dns: [{matchPattern: '*'}]}}]}]}"),
            Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '443', protocol: TCP}], serverNames: [foo.bar.com]}]}]}"),
            Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '443', protocol: TCP}], serverNames: [foo.bar.com], terminatingTLS: {secret: {name: s}}, rules: {http: [{method: GET}]}}]}]}"),
            Cnp("{endpointSelector: {}, egress: [{toPorts: [{ports: [{port: '80', protocol: TCP}], listener: {envoyConfig: {name: c, kind: CiliumClusterwideEnvoyConfig}, name: l}}]}]}"),
            Cnp("{endpointSelector: {}, egress: [{toFQDNs: [{matchName: _cilium.io}, {matchName: cilium.io.}, {matchPattern: '*.cilium.io'}, {matchPattern: '*._cilium.io'}, {matchPattern: '*cilium.io'}]}]}"),
            Cnp("{endpointSelector: {}, egress: [{toCIDRSet: [{cidr: 0.0.0.0/0}, {cidr: '::/0'}, {cidr: 'ff02::/64'}, {cidr: '2001:0db8:85a3:0000:0000:8a2e:0370:7334/128'}, {cidr: 10.0.0.0/24, except: [10.0.0.1/32, 10.0.0.128/25]}]}]}"),
            Cnp("{endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: http-alt, protocol: TCP}, {port: '65535', protocol: TCP}]}]}]}"),
            Ccnp("{nodeSelector: {}, egress: [{toPorts: [{ports: [{port: '53', protocol: ANY}], rules: {dns: [{matchPattern: '*'}]}}]}]}"),
        };
        foreach (var yaml in valid)
        {
            var errors = ((IValidatable)Manifests.ReadAny(yaml)).Validate(CiliumVersion.V1_20);
            Assert.True(errors.Count == 0, yaml + "\n" + string.Join("\n", errors));
        }
    }

    private static string Ports(int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => $"{{port: '{1000 + i}', protocol: TCP}}"));

    private static string Cnp(string spec) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: t, namespace: default}}\nspec: {spec}\n";

    private static string Ccnp(string spec) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {{name: t}}\nspec: {spec}\n";

    private static string Peer(string spec) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata: {{name: t}}\nspec: {spec}\n";

    private static string Advert(string advertisement) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumBGPAdvertisement\nmetadata: {{name: t}}\nspec: {{advertisements: [{advertisement}]}}\n";

    private static string Cluster(string instances) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nmetadata: {{name: t}}\nspec: {{bgpInstances: {instances}}}\n";

    private static string Pool(string spec) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {{name: t}}\nspec: {spec}\n";
}
