using System.Text;

namespace Cilium.Sdk.Tests.Migration;

/// <summary>One hostile input: which template file carries it, both files' text, and the text of the one error it must
/// give (the limit it hits, e.g. the reader's node budget for an alias bomb).</summary>
public sealed record HostileCase(string Name, string File, string ClusterYaml, string NodesYaml, string Refusal)
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

    /// <summary>The reader's node budget as its error names it (aliases and merge keys expanded, per document).</summary>
    public const string NodeBudget = "more than 1,000,000 nodes";

    /// <summary>The reader's nesting limit as its error names it.</summary>
    public const string DepthLimit = "nests deeper than 256 levels";

    /// <summary>Each hostile body, placed once in cluster.yaml and once in nodes.yaml, with the refusal it must give
    /// (and the one in nodes.yaml where the same body means something else there).</summary>
    public static IReadOnlyList<(string Name, string Body, string Refusal, string? NodesRefusal)> Bodies { get; } =
    [
        ("alias bomb (10^9 expansion)", AliasBomb(), NodeBudget, null),
        ("merge-key bomb", MergeBomb(), NodeBudget, null),
        ("alias to an undefined anchor", "node_cidr: *nowhere\n", "alias *nowhere refers to no earlier anchor &nowhere", null),
        ("deep flow nesting (20000 levels)", "node_cidr: " + new string('[', 20_000) + new string(']', 20_000) + "\n", DepthLimit, null),
        ("deep block nesting (3000 levels)", DeepBlock(3_000), DepthLimit, null),
        ("huge scalar (16 MiB)", "node_cidr: \"" + new string('9', 16 << 20) + "\"\n", "is 16777216 characters long, more than any setting needs (4096)", "has no 'nodes' list"),
        ("huge key (2 MiB)", new string('k', 2 << 20) + ": 1\n", "is not valid YAML: line 1, column 2097153", null),
        ("duplicate key", "node_cidr: \"192.168.1.0/24\"\nnode_cidr: \"10.0.0.0/8\"\nnodes: []\nnodes: []\n", "duplicate key", null),
        ("python object tag", "node_cidr: !!python/object/apply:os.system [\"touch /tmp/pwned\"]\n", "the tag !!python/object/apply:os.system is not supported", null),
        (".NET type tag", "node_cidr: !System.Diagnostics.Process {StartInfo: {FileName: /bin/sh}}\n", "the tag !System.Diagnostics.Process is not supported", null),
        ("global .NET tag", "node_cidr: !<tag:yaml.org,2002:System.IO.FileInfo> /etc/passwd\n", "the tag !!System.IO.FileInfo is not supported", null),
        ("several documents", "node_cidr: \"192.168.1.0/24\"\n---\nnode_cidr: \"192.168.2.0/24\"\n", "must be one YAML mapping", null),
        ("not a mapping", "- just\n- a\n- list\n", "must be one YAML mapping", null),
        ("binary garbage", "\u0000\u0001\u0002\uFFFE: : [[{\n", "Mapping values are not allowed in this context", null),
    ];

    public static IReadOnlyList<HostileCase> Cases { get; } = Bodies
        .SelectMany(b => new[]
        {
            new HostileCase($"cluster.yaml: {b.Name}", "cluster.yaml", b.Body, ValidNodes, b.Refusal),
            new HostileCase($"nodes.yaml: {b.Name}", "nodes.yaml", ValidCluster, b.Body.Replace("node_cidr", "nodes", StringComparison.Ordinal), b.NodesRefusal ?? b.Refusal),
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
