using System.Text.Json.Nodes;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>
/// Builds `hubble observe -o json` lines for catalogue components, in the shape upstream prints (proto field names,
/// `k8s:`/`reserved:` labels, numeric reserved identities). Upstream has no AUDIT samples, so audit lines are built
/// here as policy-verdict events (event_type 5, policy_match_type 0, traffic_direction), the shape FLOWS.md records.
/// </summary>
internal static class HubbleFixtures
{
    public static string Line(JsonObject source, JsonObject destination, string protocol, int port, string verdict = "FORWARDED", bool reply = false, string? direction = null, string[]? destinationNames = null)
    {
        var audit = verdict == "AUDIT";
        var flow = new JsonObject
        {
            ["time"] = "2026-01-01T00:00:00Z",
            ["verdict"] = verdict,
            ["IP"] = new JsonObject { ["source"] = source["_ip"]?.GetValue<string>(), ["destination"] = destination["_ip"]?.GetValue<string>(), ["ipVersion"] = "IPv4" },
            ["l4"] = new JsonObject { [protocol] = protocol.StartsWith("ICMP", StringComparison.Ordinal) ? new JsonObject { ["type"] = port } : new JsonObject { ["source_port"] = 40000, ["destination_port"] = port } },
            ["source"] = Strip(source),
            ["destination"] = Strip(destination),
            ["Type"] = "L3_L4",
            ["node_name"] = "node-1",
            ["event_type"] = new JsonObject { ["type"] = audit ? 5 : 4 },
            ["traffic_direction"] = direction ?? "EGRESS",
            ["is_reply"] = reply,
        };
        if (audit)
        {
            flow["policy_match_type"] = 0;
        }

        if (destinationNames is not null)
        {
            flow["destination_names"] = new JsonArray(destinationNames.Select(n => (JsonNode)n).ToArray());
        }

        return new JsonObject { ["flow"] = flow, ["node_name"] = "node-1", ["time"] = "2026-01-01T00:00:00Z" }.ToJsonString();
    }

    public static JsonObject Pod(Component component, string ip, string? podSuffix = "7d9f8b6c5d-x2x4z")
    {
        var labels = component.Labels.Select(kv => (JsonNode)$"k8s:{kv.Key}={kv.Value}").ToList();
        labels.Add($"k8s:io.kubernetes.pod.namespace={component.Namespace}");
        labels.Add("k8s:io.cilium.k8s.policy.cluster=default");
        return new JsonObject
        {
            ["ID"] = 100,
            ["identity"] = 20000,
            ["namespace"] = component.Namespace,
            ["labels"] = new JsonArray(labels.ToArray()),
            ["pod_name"] = component.Name + "-" + podSuffix,
            ["_ip"] = ip,
        };
    }

    public static JsonObject Reserved(string name, int identity, string ip) => new()
    {
        ["identity"] = identity,
        ["labels"] = new JsonArray((JsonNode)("reserved:" + name)),
        ["_ip"] = ip,
    };

    private static JsonObject Strip(JsonObject side)
    {
        var copy = (JsonObject)side.DeepClone();
        copy.Remove("_ip");
        return copy;
    }
}
