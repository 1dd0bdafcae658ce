using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary><see cref="PolicyDiff"/> as a library: what it probes (selectors, CIDR excepts, FQDNs, ANY ports) and how
/// accept patterns match.</summary>
public sealed class PolicyDiffTests
{
    private const string Web = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector:
            matchLabels: {app: web}
          egress:
            - toCIDRSet:
                - cidr: 10.0.0.0/8
              toPorts:
                - ports: [{port: "5432", protocol: TCP}]
            - toFQDNs:
                - matchName: api.example.com
              toPorts:
                - ports: [{port: "443", protocol: TCP}]
            - toEndpoints:
                - matchLabels: {app: cache}
              toPorts:
                - ports: [{port: "6379", protocol: ANY}]
        """;

    private static IReadOnlyList<object> Read(string yaml) => PolicyVerdicts.ReadPolicyRecords(yaml, null);

    [Fact]
    public void An_except_added_to_a_cidr_denies_exactly_the_addresses_inside_it()
    {
        var head = Web.Replace("        - cidr: 10.0.0.0/8\n", "        - cidr: 10.0.0.0/8\n          except: [10.9.0.0/16]\n", StringComparison.Ordinal);

        var report = PolicyDiff.Compare(Read(Web), Read(head), new PolicyDiffOptions { Catalogue = false });

        var change = Assert.Single(report.Changes);
        Assert.Equal("shop/web -> world 10.9.0.1 5432/TCP", change.Flow);
        Assert.True(change.IsBreaking);
        Assert.True(report.HasBreakingChanges);
    }

    [Fact]
    public void In_audit_mode_a_newly_dropped_flow_is_decided_by_the_side_that_would_drop_it()
    {
        var head = Web.Replace("        - cidr: 10.0.0.0/8\n", "        - cidr: 10.0.0.0/8\n          except: [10.9.0.0/16]\n", StringComparison.Ordinal);

        var report = PolicyDiff.Compare(Read(Web), Read(head), new PolicyDiffOptions { Catalogue = false, Verdicts = new VerdictOptions(Cilium.Sdk.Policies.PolicyMode.Audit) });

        var change = Assert.Single(report.Changes);
        Assert.Equal(Decision.Audit, change.After);
        Assert.StartsWith("egress: ", change.AfterReason, StringComparison.Ordinal);
        Assert.DoesNotContain("ingress: ", change.AfterReason, StringComparison.Ordinal);
        var json = report.ToJson();
        Assert.Contains("\"request\": null,", json, StringComparison.Ordinal);
        Assert.Contains("\"acceptedBy\": null,", json, StringComparison.Ordinal);
        Assert.Contains("\"firstObserved\": null,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_on_any_protocol_is_probed_on_tcp_and_udp_and_an_fqdn_through_its_name()
    {
        var head = Web.Replace("protocol: ANY", "protocol: TCP", StringComparison.Ordinal).Replace("api.example.com", "api.example.org", StringComparison.Ordinal);

        var report = PolicyDiff.Compare(Read(Web), Read(head), new PolicyDiffOptions { Catalogue = false });

        Assert.Equal(
            [
                "newly-denied shop/web -> shop/cache 6379/UDP",
                "newly-denied shop/web -> world (api.example.com) 443/TCP",
                "newly-allowed shop/web -> world (api.example.org) 443/TCP",
            ],
            report.Changes.Select(c => c.Kind + " " + c.Flow));
        Assert.Contains("spec.egress[2]", report.Changes[0].BeforeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_sets_change_nothing_and_the_probe_space_covers_selectors_cidrs_names_and_the_catalogue()
    {
        var report = PolicyDiff.Compare(Read(Web), Read(Web));

        Assert.Empty(report.Changes);
        Assert.False(report.HasBreakingChanges);
        Assert.Equal("No flow changes its verdict.", report.ToText().Split('\n')[2]);

        // web, cache, host, remote-node, kube-apiserver, world, 10.0.0.1, api.example.com, and the catalogue's components.
        Assert.Equal(8 + Cilium.Sdk.Policies.Components.All.Count, report.Endpoints);
    }

    [Theory]
    [InlineData("shop/web -> world 10.9.0.1 5432/TCP", true)]
    [InlineData("shop/web  ->  world  10.9.0.1  5432/tcp", true)]
    [InlineData("shop/* -> world* *", true)]
    [InlineData("* -> * 5432/*", true)]
    [InlineData("shop/web -> world 10.9.0.1 443/TCP", false)]
    [InlineData("other/* -> * *", false)]
    public void Accept_patterns_match_the_flow_as_printed(string pattern, bool accepted)
    {
        var head = Web.Replace("        - cidr: 10.0.0.0/8\n", "        - cidr: 10.0.0.0/8\n          except: [10.9.0.0/16]\n", StringComparison.Ordinal);

        var report = PolicyDiff.Compare(Read(Web), Read(head), new PolicyDiffOptions { Catalogue = false, Accept = PolicyDiffAcceptance.Of([pattern]) });

        Assert.Equal(accepted ? pattern : null, report.Changes.Single().AcceptedBy);
        Assert.Equal(!accepted, report.HasBreakingChanges);
        Assert.Equal(accepted ? [] : [pattern], report.UnusedAcceptPatterns);
    }

    [Fact]
    public void An_accept_file_skips_comments_and_names_the_line_of_a_bad_pattern()
    {
        var ok = PolicyDiffAcceptance.Parse("# reviewed\n\nshop/web -> * 5432/TCP  # db moved\r\n");
        Assert.Equal(["shop/web -> * 5432/TCP"], ok.Patterns);

        var e = Assert.Throws<ArgumentException>(() => PolicyDiffAcceptance.Parse("# reviewed\nshop/web -> *\n"));
        Assert.StartsWith("line 2: 'shop/web -> *' is not an accept pattern", e.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void Narrowing_an_http_rule_shows_as_the_request_it_now_refuses()
    {
        const string api = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: api, namespace: shop}
            spec:
              endpointSelector:
                matchLabels: {app: api}
              ingress:
                - fromEndpoints:
                    - matchLabels: {app: web}
                  toPorts:
                    - ports: [{port: "8080", protocol: TCP}]
                      rules:
                        http:
                          - {method: GET, path: "/items/.*"}
                          - {method: "POST", path: "/orders"}
            """;
        var head = api.Replace("- {method: \"POST\", path: \"/orders\"}", "- {method: \"POST\", path: \"/orders/v2\"}", StringComparison.Ordinal);

        var report = PolicyDiff.Compare(Read(api), Read(head), new PolicyDiffOptions { Catalogue = false });

        Assert.Equal(
            [
                "newly-denied shop/web -> shop/api 8080/TCP POST /orders",
                "newly-allowed shop/web -> shop/api 8080/TCP POST /orders/v2",
            ],
            report.Changes.Select(c => c.Kind + " " + c.Flow + " " + c.Request));
        Assert.Contains("  shop/web -> shop/api 8080/TCP POST /orders  [1 probe(s)]", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("\"request\": \"POST /orders\"", report.ToJson(), StringComparison.Ordinal);
    }
}
