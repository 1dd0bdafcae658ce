using System.Globalization;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Verdicts;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Tests.Verdicts.Conformance;

/// <summary>
/// Reads the conformance cases: our own cases written from the facts of Cilium's policy unit tests (each names the
/// upstream test it comes from). Flow cases: policies as YAML, endpoints, flows with the verdict the agent gives.
/// Sanitize cases: one policy and whether the agent (and the API server) accept it, per Cilium version.
/// </summary>
internal static class ConformanceCases
{
    public static string Folder => Path.Combine(TestData.RepositoryRoot, "tests", "Cilium.Sdk.Tests", "Verdicts", "Conformance");

    public static IReadOnlyList<FlowCase> FlowCases() => Load("Flows").SelectMany(ReadFlowCases).ToList();

    public static IReadOnlyList<SanitizeCase> SanitizeCases() => Load("Sanitize").SelectMany(ReadSanitizeCases).ToList();

    private static IEnumerable<(string File, YamlMappingNode Case)> Load(string kind)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, kind), "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            foreach (var c in ((YamlSequenceNode)root.Children[new YamlScalarNode("cases")]).Children)
            {
                yield return (Path.GetFileName(file), (YamlMappingNode)c);
            }
        }
    }

    private static IEnumerable<FlowCase> ReadFlowCases((string File, YamlMappingNode Case) item)
    {
        var (file, c) = item;
        var name = Text(c, "name")!;
        var endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
        if (Child(c, "endpoints") is YamlMappingNode eps)
        {
            foreach (var (k, v) in eps.Children)
            {
                var key = ((YamlScalarNode)k).Value!;
                endpoints[key] = ReadEndpoint(key, (YamlMappingNode)v);
            }
        }

        var flows = new List<FlowRow>();
        foreach (var f in ((YamlSequenceNode)c.Children[new YamlScalarNode("flows")]).Children)
        {
            flows.Add(ReadFlow(((YamlScalarNode)f).Value!, endpoints, $"{file}: {name}"));
        }

        yield return new FlowCase(file, name, Text(c, "upstream")!, Seq(c, "topics").ToList(), Text(c, "policies") ?? string.Empty, ReadOptions(Child(c, "options") as YamlMappingNode), endpoints.Values.ToList(), flows);
    }

    private static IEnumerable<SanitizeCase> ReadSanitizeCases((string File, YamlMappingNode Case) item)
    {
        var (file, c) = item;
        var expect = new Dictionary<string, bool>(StringComparer.Ordinal);
        switch (Child(c, "expect"))
        {
            case YamlScalarNode s:
                expect["1.19"] = expect["1.20"] = s.Value == "valid";
                break;
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    expect[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value == "valid";
                }

                break;
        }

        yield return new SanitizeCase(file, Text(c, "name")!, Text(c, "upstream")!, Text(c, "policy")!, expect, Text(c, "at"));
    }

    private static Endpoint ReadEndpoint(string key, YamlMappingNode e)
    {
        Endpoint endpoint;
        var labels = Map(e, "labels");
        if (Text(e, "namespace") is { } ns)
        {
            endpoint = Endpoint.Pod(ns, labels, key);
        }
        else
        {
            var entities = ((YamlSequenceNode)e.Children[new YamlScalarNode("entities")]).Children.Select(x => Parse(((YamlScalarNode)x).Value!)).ToArray();
            endpoint = Endpoint.Reserved(entities).Named(key);
        }

        foreach (var a in Seq(e, "addresses"))
        {
            endpoint = endpoint.WithAddress(a);
        }

        if (Seq(e, "dns").ToArray() is { Length: > 0 } names)
        {
            endpoint = endpoint.WithDnsNames(names);
        }

        foreach (var (port, value) in Map(e, "namedPorts"))
        {
            endpoint = endpoint.WithNamedPort(port, ParsePort(value));
        }

        if (Child(e, "namespaceLabels") is YamlMappingNode)
        {
            endpoint = endpoint.WithNamespaceLabels(Map(e, "namespaceLabels"));
        }

        if (Child(e, "nodeLabels") is YamlMappingNode)
        {
            endpoint = endpoint.WithNodeLabels(Map(e, "nodeLabels"));
        }

        if (Text(e, "serviceAccount") is { } sa)
        {
            endpoint = endpoint.WithServiceAccount(sa);
        }

        if (Text(e, "unknownLabels") == "true")
        {
            endpoint = endpoint.WithUnknownLabels();
        }

        return endpoint;
    }

    // "from -> to 80/TCP: allowed", "from -> to 80/TCP GET /path: denied", "from -> to 53/UDP dns a.b: allowed", "from -> to icmp4/8: denied"
    private static FlowRow ReadFlow(string text, Dictionary<string, Endpoint> endpoints, string where)
    {
        var colon = text.LastIndexOf(':');
        var expect = text[(colon + 1)..].Trim() switch
        {
            "allowed" => Decision.Allowed,
            "denied" => Decision.Denied,
            "undecidable" => Decision.Undecidable,
            var other => throw new InvalidOperationException($"{where}: '{other}' is not allowed, denied or undecidable"),
        };
        var parts = text[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Endpoint Get(string n) => endpoints.TryGetValue(n, out var e) ? e : throw new InvalidOperationException($"{where}: no endpoint '{n}' in '{text}'");
        var from = Get(parts[0]);
        var to = Get(parts[2]);
        var l4 = parts[3].Split('/');
        var flow = l4[0] switch
        {
            "icmp4" => Flow.Create(from, to, FlowProtocol.IcmpV4, int.Parse(l4[1], CultureInfo.InvariantCulture)),
            "icmp6" => Flow.Create(from, to, FlowProtocol.IcmpV6, int.Parse(l4[1], CultureInfo.InvariantCulture)),
            _ => Flow.Create(from, to, l4[1] switch { "TCP" => FlowProtocol.Tcp, "UDP" => FlowProtocol.Udp, _ => FlowProtocol.Sctp }, int.Parse(l4[0], CultureInfo.InvariantCulture)),
        };
        if (parts.Length > 4)
        {
            flow = parts[4] == "dns" ? flow.WithDnsQuery(parts[5]) : flow.WithHttp(new HttpRequest(parts[4], parts[5], parts.Length > 6 ? parts[6] : null));
        }

        return new FlowRow(text, flow, expect);
    }

    private static VerdictOptions ReadOptions(YamlMappingNode? o)
    {
        var options = VerdictOptions.Default;
        if (o is null)
        {
            return options;
        }

        foreach (var (k, v) in o.Children)
        {
            var value = ((YamlScalarNode)v).Value!;
            options = ((YamlScalarNode)k).Value switch
            {
                "enforcement" => options with { Enforcement = Enum.Parse<PolicyEnforcement>(value, ignoreCase: true) },
                "allowLocalhost" => options with { AllowLocalhost = value == "true" },
                "hostFirewall" => options with { HostFirewall = value == "true" },
                "cidrMatchMode" => options with { CidrMatchMode = Enum.Parse<CidrMatchMode>(value, ignoreCase: true) },
                "mutualAuthentication" => options with { MutualAuthentication = value == "true" },
                "clusterName" => options with { ClusterName = value },
                var other => throw new InvalidOperationException($"unknown option {other}"),
            };
        }

        return options;
    }

    private static Entity Parse(string wire) => wire switch
    {
        "host" => Entity.Host,
        "remote-node" => Entity.RemoteNode,
        "kube-apiserver" => Entity.KubeApiServer,
        "world" => Entity.World,
        "health" => Entity.Health,
        "init" => Entity.Init,
        "ingress" => Entity.Ingress,
        "unmanaged" => Entity.Unmanaged,
        _ => throw new InvalidOperationException($"'{wire}' is not a reserved identity"),
    };

    private static Port ParsePort(string text)
    {
        var p = text.Split('/');
        var n = int.Parse(p[0], CultureInfo.InvariantCulture);
        return p.Length > 1 && p[1] == "UDP" ? Port.Udp(n) : Port.Tcp(n);
    }

    private static YamlNode? Child(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Text(YamlMappingNode node, string key) => Child(node, key) is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<string> Seq(YamlMappingNode node, string key) =>
        Child(node, key) is YamlSequenceNode s ? s.Children.Select(x => ((YamlScalarNode)x).Value!) : [];

    private static Dictionary<string, string> Map(YamlMappingNode node, string key) =>
        Child(node, key) is YamlMappingNode m
            ? m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>One flow of a case and the verdict the agent gives it.</summary>
internal sealed record FlowRow(string Text, Flow Flow, Decision Expected);

/// <summary>Policies, endpoints and flows from the facts of one upstream test.</summary>
internal sealed record FlowCase(string File, string Name, string Upstream, IReadOnlyList<string> Topics, string Policies, VerdictOptions Options, IReadOnlyList<Endpoint> Endpoints, IReadOnlyList<FlowRow> Flows)
{
    public override string ToString() => $"{File}: {Name}";
}

/// <summary>A policy and whether the agent accepts it, per Cilium version; <see cref="At"/> is an error path that must be reported.</summary>
internal sealed record SanitizeCase(string File, string Name, string Upstream, string Policy, IReadOnlyDictionary<string, bool> Valid, string? At)
{
    public override string ToString() => $"{File}: {Name}";
}
