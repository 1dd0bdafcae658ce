using System.Text;

namespace Cilium.Sdk.Tests.Migration;

/// <summary>One hostile input: which template file carries it, and both files' text.</summary>
public sealed record HostileCase(string Name, string File, string ClusterYaml, string NodesYaml)
{
    public override string ToString() => Name;
}

/// <summary>
/// Hostile YAML for the template reader: expansion bombs, deep nesting, huge scalars, duplicate keys and tags that
/// name types. Shared with the CLI tests (linked source), so render is proven to write nothing for the same inputs.
/// </summary>
public static class HostileTemplateYaml
{
    public const string ValidCluster = "node_cidr: \"192.168.1.0/24\"\ncluster_api_addr: \"192.168.1.20\"\ncluster_gateway_addr: \"192.168.1.21\"\n" +
        "cluster_dns_gateway_addr: \"192.168.1.22\"\ncloudflare_gateway_addr: \"192.168.1.23\"\n";

    public const string ValidNodes = "nodes:\n  - name: \"k8s-0\"\n    address: \"192.168.1.10\"\n    controller: true\n";

    /// <summary>Each hostile body, placed once in cluster.yaml and once in nodes.yaml.</summary>
    public static IReadOnlyList<(string Name, string Body)> Bodies { get; } =
    [
        ("alias bomb (10^9 expansion)", AliasBomb()),
        ("merge-key bomb", MergeBomb()),
        ("alias to an undefined anchor", "node_cidr: *nowhere\n"),
        ("deep flow nesting (20000 levels)", "node_cidr: " + new string('[', 20_000) + new string(']', 20_000) + "\n"),
        ("deep block nesting (3000 levels)", DeepBlock(3_000)),
        ("huge scalar (16 MiB)", "node_cidr: \"" + new string('9', 16 << 20) + "\"\n"),
        ("huge key (2 MiB)", new string('k', 2 << 20) + ": 1\n"),
        ("duplicate key", "node_cidr: \"192.168.1.0/24\"\nnode_cidr: \"10.0.0.0/8\"\nnodes: []\nnodes: []\n"),
        ("python object tag", "node_cidr: !!python/object/apply:os.system [\"touch /tmp/pwned\"]\n"),
        (".NET type tag", "node_cidr: !System.Diagnostics.Process {StartInfo: {FileName: /bin/sh}}\n"),
        ("global .NET tag", "node_cidr: !<tag:yaml.org,2002:System.IO.FileInfo> /etc/passwd\n"),
        ("several documents", "node_cidr: \"192.168.1.0/24\"\n---\nnode_cidr: \"192.168.2.0/24\"\n"),
        ("not a mapping", "- just\n- a\n- list\n"),
        ("binary garbage", "\u0000\u0001\u0002\uFFFE: : [[{\n"),
    ];

    public static IReadOnlyList<HostileCase> Cases { get; } = Bodies
        .SelectMany(b => new[]
        {
            new HostileCase($"cluster.yaml: {b.Name}", "cluster.yaml", b.Body, ValidNodes),
            new HostileCase($"nodes.yaml: {b.Name}", "nodes.yaml", ValidCluster, b.Body.Replace("node_cidr", "nodes", StringComparison.Ordinal)),
        })
        .ToList();

    private static string AliasBomb()
    {
        var text = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        return text.Append("node_cidr: *a9\n").ToString();
    }

    private static string MergeBomb()
    {
        var text = new StringBuilder("m0: &m0 {k0: 1, k1: 2}\n");
        for (var i = 1; i <= 30; i++)
        {
            text.Append($"m{i}: &m{i} {{<<: [*m{i - 1}], x{i}: {{<<: *m{i - 1}, y: *m{i - 1}}}}}\n");
        }

        return text.Append("node_cidr: *m30\n").ToString();
    }

    private static string DeepBlock(int depth)
    {
        var text = new StringBuilder("node_cidr:\n");
        for (var i = 1; i <= depth; i++)
        {
            text.Append(' ', i).Append("k:\n");
        }

        return text.ToString();
    }
}
