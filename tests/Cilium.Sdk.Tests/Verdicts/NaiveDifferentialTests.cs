using System.Globalization;
using System.Text;
using Cilium.Sdk.Benchmarks.Naive;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>
/// The engine against the independent naive evaluator (<c>tests/Cilium.Sdk.Benchmarks/Naive</c>, linked here: every
/// flow walks every rule of every policy, parsed with YamlDotNet, no code shared with the engine) on random policy
/// sets and random flows: every decision must be the same. The generator stays inside what the naive evaluator models
/// (selectors with namespaces and expressions, entities, CIDR sets with except, ports, ranges, protocols, deny rules,
/// enableDefaultDeny, HTTP method and path) and mixes them freely.
/// </summary>
public sealed class NaiveDifferentialTests
{
    private static readonly string[] Namespaces = ["ns0", "ns1", "ns2"];
    private static readonly string[] Entities = ["world", "cluster", "host", "remote-node", "all"];
    private static readonly int[] Ports = [53, 80, 443, 8080, 9090, 9100];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_policy_sets_get_the_naive_evaluators_decision_for_every_flow(int seed)
    {
        var random = new Random(seed);
        var yaml = Policies(random, count: 40);
        var engine = PolicyVerdicts.FromYaml(yaml);
        var naive = NaiveEvaluator.FromYaml(yaml);
        var endpoints = Endpoints(random);

        var differing = new List<string>();
        var decisions = new Dictionary<Decision, int>();
        for (var i = 0; i < 4_000; i++)
        {
            var (source, sourceNaive) = endpoints[random.Next(endpoints.Count)];
            var (destination, destinationNaive) = endpoints[random.Next(endpoints.Count)];
            var udp = random.Next(4) == 0;
            var port = udp ? 53 : Ports[random.Next(Ports.Length)] + (random.Next(3) == 0 ? 1 : 0);
            var http = !udp && random.Next(3) == 0 ? new HttpRequest(random.Next(2) == 0 ? "GET" : "POST", random.Next(2) == 0 ? "/api/items" : "/admin") : null;
            var flow = udp ? Flow.Udp(source, destination, port) : Flow.Tcp(source, destination, port);
            if (http is not null)
            {
                flow = flow.WithHttp(http);
            }

            var verdict = engine.Evaluate(flow);
            decisions[verdict.Decision] = decisions.GetValueOrDefault(verdict.Decision) + 1;
            var expected = naive.Decide(new NaiveFlow(sourceNaive, destinationNaive, udp ? "UDP" : "TCP", port, http?.Method, http?.Path));
            var same = (verdict.Decision, expected) is (Decision.Allowed, NaiveDecision.Allowed) or (Decision.Denied, NaiveDecision.Denied);
            if (!same && differing.Count < 5)
            {
                differing.Add($"{flow}: engine {verdict.Decision}, naive {expected}\n{verdict.Explanation}");
            }
            else if (!same)
            {
                differing.Add(string.Empty);
            }
        }

        Assert.True(differing.Count == 0, $"{differing.Count} of 4000 decisions differ; first:\n{string.Join("\n", differing.Take(5))}\n--- policies:\n{yaml}");

        // The mix is real: both decisions occur often.
        Assert.True(decisions.GetValueOrDefault(Decision.Allowed) > 400, $"allowed {decisions.GetValueOrDefault(Decision.Allowed)}");
        Assert.True(decisions.GetValueOrDefault(Decision.Denied) > 400, $"denied {decisions.GetValueOrDefault(Decision.Denied)}");
    }

    private static List<(Endpoint Engine, NaiveEndpoint Naive)> Endpoints(Random random)
    {
        var list = new List<(Endpoint, NaiveEndpoint)>();
        foreach (var ns in Namespaces)
        {
            for (var app = 0; app < 5; app++)
            {
                var labels = new Dictionary<string, string> { ["app"] = "app" + N(app) };
                if (app % 2 == 0)
                {
                    labels["tier"] = app == 0 ? "front" : "back";
                }

                list.Add((Endpoint.Pod(ns, labels), new NaiveEndpoint(ns, labels, [], [], new Dictionary<string, int>())));
            }
        }

        list.Add((Endpoint.Host, new NaiveEndpoint(null, new Dictionary<string, string>(), ["host"], [], new Dictionary<string, int>())));
        list.Add((Endpoint.RemoteNode, new NaiveEndpoint(null, new Dictionary<string, string>(), ["remote-node"], [], new Dictionary<string, int>())));
        foreach (var ip in new[] { "10.1.2.3", "10.9.0.1", "192.168.1.7", "203.0.113.5" })
        {
            list.Add((Endpoint.World(ip), new NaiveEndpoint(null, new Dictionary<string, string>(), ["world"], [ip], new Dictionary<string, int>())));
        }

        return list;
    }

    private static string Policies(Random random, int count)
    {
        var w = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var clusterWide = random.Next(5) == 0;
            var ns = Namespaces[random.Next(Namespaces.Length)];
            w.Append("---\napiVersion: cilium.io/v2\nkind: ").Append(clusterWide ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy").Append('\n');
            w.Append("metadata:\n  name: p").Append(N(i)).Append('\n');
            if (!clusterWide)
            {
                w.Append("  namespace: ").Append(ns).Append('\n');
            }

            w.Append("spec:\n  endpointSelector:\n");
            w.Append(random.Next(6) == 0 ? "    {}\n" : "    matchLabels:\n      app: app" + N(random.Next(5)) + "\n");
            if (random.Next(4) == 0)
            {
                w.Append("  enableDefaultDeny:\n    ").Append(random.Next(2) == 0 ? "ingress" : "egress").Append(": false\n");
            }

            foreach (var direction in new[] { "ingress", "egress", "ingressDeny", "egressDeny" })
            {
                var rules = direction.EndsWith("Deny", StringComparison.Ordinal) ? (random.Next(4) == 0 ? 1 : 0) : random.Next(3);
                if (rules == 0)
                {
                    continue;
                }

                w.Append("  ").Append(direction).Append(":\n");
                for (var r = 0; r < rules; r++)
                {
                    Rule(w, random, direction.StartsWith("ingress", StringComparison.Ordinal) ? "from" : "to", allowHttp: !direction.EndsWith("Deny", StringComparison.Ordinal));
                }
            }
        }

        return w.ToString();
    }

    private static void Rule(StringBuilder w, Random random, string prefix, bool allowHttp)
    {
        var first = true;
        string Item() { var s = first ? "    - " : "      "; first = false; return s; }
        switch (random.Next(5))
        {
            case 0:
                w.Append(Item()).Append(prefix).Append("Entities: [").Append(Entities[random.Next(Entities.Length)]).Append("]\n");
                break;
            case 1:
                w.Append(Item()).Append(prefix).Append("CIDRSet:\n        - cidr: 10.0.0.0/8\n");
                if (random.Next(2) == 0)
                {
                    w.Append("          except: [10.9.0.0/16]\n");
                }

                break;
            case 2:
                w.Append(Item()).Append(prefix).Append("Endpoints:\n        - matchExpressions:\n            - {key: tier, operator: ")
                    .Append(new[] { "In", "NotIn", "Exists", "DoesNotExist" }[random.Next(4)]).Append(", values: [front]}\n");
                break;
            default:
                w.Append(Item()).Append(prefix).Append("Endpoints:\n        - matchLabels:\n            app: app").Append(N(random.Next(5))).Append('\n');
                if (random.Next(3) == 0)
                {
                    w.Append("            k8s:io.kubernetes.pod.namespace: ").Append(Namespaces[random.Next(Namespaces.Length)]).Append('\n');
                }

                break;
        }

        if (random.Next(4) == 0)
        {
            return; // L3 only: every port and protocol
        }

        w.Append(Item()).Append("toPorts:\n        - ports:\n");
        var port = Ports[random.Next(Ports.Length)];
        w.Append("            - port: \"").Append(N(port)).Append('"');
        if (random.Next(4) == 0)
        {
            w.Append("\n              endPort: ").Append(N(port + random.Next(1, 30)));
        }

        var protocol = new[] { "TCP", "TCP", "UDP", "ANY" }[random.Next(4)];
        w.Append("\n              protocol: ").Append(protocol).Append('\n');
        if (allowHttp && protocol == "TCP" && random.Next(4) == 0)
        {
            w.Append("          rules:\n            http:\n              - method: GET\n                path: /api/.*\n");
        }
    }

    private static string N(int i) => i.ToString(CultureInfo.InvariantCulture);
}
