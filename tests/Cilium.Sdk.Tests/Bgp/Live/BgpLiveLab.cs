using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Frr;

namespace Cilium.Sdk.Tests.Bgp.Live;

using Frr = Cilium.Sdk.Tests.Frr;

/// <summary>
/// The router and the nodes of one live run: FRR (zebra + bgpd) in namespace gw loaded with the generated config
/// file, one gobgpd per node configured from the generated Cilium resources, all on a bridge in namespace sw.
/// Each node advertises the shared LB IP and its own LB /32 (index i: 198.51.100.(20+i)/32).
/// </summary>
public sealed class BgpLiveLab : IDisposable
{
    public const string FrrBin = "/usr/lib/frr";
    public const string SharedLb = "198.51.100.5/32";

    private readonly NetnsLab lab = new();
    private readonly Stopwatch total = Stopwatch.StartNew();
    private readonly List<string> log = new();
    private readonly Dictionary<string, Stopwatch> nodeStart = new(StringComparer.Ordinal);

    public BgpLiveLab(BgpOptions options, BgpTopology topology)
    {
        NetnsLab.RequireLab("/usr/bin/vtysh", $"{FrrBin}/bgpd", $"{FrrBin}/zebra", "/usr/bin/gobgpd", "/usr/bin/gobgp");
        Options = options;
        Topology = topology;
        Assert.DoesNotContain(BgpValidator.Validate(options, topology), e => e.IsError);
        Rendered = BgpResources.Render(options, topology);
        FrrConfig = FrrConfigWriter.Write(options, topology);
        var problems = Frr.FrrCheck.Problems(FrrConfig);
        Assert.True(problems.Count == 0, "FRR's checkers reject the generated config: " + string.Join("; ", problems));
    }

    public BgpOptions Options { get; }

    public BgpTopology Topology { get; }

    public BgpRendered Rendered { get; }

    public string FrrConfig { get; }

    public string Gw => lab.Ns("gw");

    public string Sw => lab.Ns("sw");

    public TimeSpan Elapsed => total.Elapsed;

    public string Context => $"\n--- lab {lab.Prefix}, run dir {lab.RunDir} ({NetnsLab.KeepVariable}=1 keeps it)\n" + string.Join("\n", log);

    public void Note(string s)
    {
        log.Add(FormattableString.Invariant($"[{total.Elapsed.TotalSeconds,6:F2}s] {s}"));
        File.WriteAllLines(Path.Combine(lab.RunDir, "results.txt"), log);
    }

    public string Log => string.Join("\n", log);

    /// <summary>Builds the namespaces, starts FRR and every node, and injects the nodes' routes.</summary>
    /// <param name="passwordOverride">A password for a node's gobgpd other than the rendered Secret's (or null).</param>
    /// <param name="cancel">Cancels the waits.</param>
    public async Task StartAsync(Func<BgpNode, string?> passwordOverride, CancellationToken cancel)
    {
        var sw = lab.AddNamespace("sw");
        var gw = lab.AddNamespace("gw");
        NetnsLab.Must("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
        NetnsLab.Must("ip", "-n", sw, "link", "set", "br0", "up");
        var prefix = Topology.NodeCidr.PrefixLength;
        void Attach(string ns, string port, IPAddress address)
        {
            NetnsLab.Must("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", sw);
            NetnsLab.Must("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
            NetnsLab.Must("ip", "-n", ns, "addr", "add", $"{address}/{prefix}", "dev", "eth0");
            NetnsLab.Must("ip", "-n", ns, "link", "set", "eth0", "up");
        }

        Attach(gw, "p-gw", Options.RouterAddress);
        foreach (var n in Topology.Nodes)
        {
            Attach(lab.AddNamespace(n.Name), "p-" + n.Name, n.Address);
        }

        // FRR: zebra, then bgpd with the generated config file. The daemons drop to user frr (group frrvty) as the
        // packaged service does, so they get the run directory.
        var dir = lab.RunDir;
        File.WriteAllText(Path.Combine(dir, "frr.conf"), FrrConfig);
        File.WriteAllText(Path.Combine(dir, "empty.conf"), string.Empty);
        NetnsLab.Must("chown", "-R", "frr:frr", dir);
        var common = $"-z '{dir}/zserv.api' --vty_socket '{dir}' -P 0";
        lab.StartDaemon(gw, $"{FrrBin}/zebra -f '{dir}/empty.conf' -i '{dir}/zebra.pid' {common} --log 'file:{dir}/zebra.log'", $"{dir}/zebra.out", privateVarTmp: true);
        Assert.True(await NetnsLab.WaitUntil(() => File.Exists($"{dir}/zserv.api"), TimeSpan.FromSeconds(5), cancel), "zebra did not start" + Context);
        lab.StartDaemon(gw, $"{FrrBin}/bgpd -f '{dir}/frr.conf' -i '{dir}/bgpd.pid' {common} --log 'file:{dir}/bgpd.log'", $"{dir}/bgpd.out", privateVarTmp: true);
        Assert.True(await NetnsLab.WaitUntil(() => File.Exists($"{dir}/bgpd.vty"), TimeSpan.FromSeconds(5), cancel), "bgpd did not start" + Context);
        Assert.Contains($"router bgp {Options.RouterAsn}", Vty("show running-config"), StringComparison.Ordinal);
        Note("FRR up");

        foreach (var n in Topology.Nodes)
        {
            var toml = Path.Combine(dir, n.Name + ".toml");
            File.WriteAllText(toml, GobgpdConfig.ForNode(Rendered, n, passwordOverride(n)));
            NetnsLab.Must("gobgpd", "-d", "-f", toml);
            lab.StartDaemon(lab.Ns(n.Name), $"gobgpd -f '{toml}' --api-hosts 127.0.0.1:50051 --pprof-disable -p -l info", $"{dir}/{n.Name}.log");
            nodeStart[n.Name] = Stopwatch.StartNew();
        }

        for (var i = 0; i < Topology.Nodes.Count; i++)
        {
            var n = Topology.Nodes[i].Name;
            Assert.True(await NetnsLab.WaitUntil(() => NetnsLab.Run("ip", Gobgp(n, "global")[1..]).Exit == 0, TimeSpan.FromSeconds(5), cancel), $"gobgpd API of {n} not answering" + Context);
            AddRoute(n, SharedLb);
            AddRoute(n, UniqueLb(i));
        }
    }

    public static string UniqueLb(int index) => $"198.51.100.{20 + index}/32";

    public TimeSpan SinceStart(string node) => nodeStart[node].Elapsed;

    public void AddRoute(string node, string prefix) => NetnsLab.Must(Gobgp(node, "global", "rib", "-a", "ipv4", "add", prefix, "origin", "igp"));

    public void LinkDown(string node) => NetnsLab.Must("ip", "-n", Sw, "link", "set", "p-" + node, "down");

    public string Vty(string command) => NetnsLab.Run("vtysh", ["--vty_socket", lab.RunDir, "-c", command], TimeSpan.FromSeconds(5)).Output;

    public JsonNode? Neighbor(IPAddress peer) => Json(Vty($"show bgp neighbors {peer} json"))?[peer.ToString()];

    public string State(IPAddress peer) => (string?)Neighbor(peer)?["bgpState"] ?? "none";

    public int Paths(string prefix) => (Json(Vty($"show ip bgp {prefix} json"))?["paths"] as JsonArray)?.Count ?? 0;

    public int Multipath(string prefix) =>
        (Json(Vty($"show ip bgp {prefix} json"))?["paths"] as JsonArray)?.Count(p => (bool?)p!["multipath"] == true || (bool?)p["bestpath"]?["overall"] == true) ?? 0;

    public int FibNexthops(string prefix) =>
        (Json(Vty($"show ip route {prefix} json"))?[prefix] as JsonArray)?.Where(r => (bool?)r!["selected"] == true)
            .SelectMany(r => (r!["nexthops"] as JsonArray)!).Count(h => (bool?)h!["fib"] == true) ?? 0;

    /// <summary>The kernel's next hops for <paramref name="prefix"/> in gw.</summary>
    public List<string> KernelNexthops(string prefix)
    {
        var routes = Json(NetnsLab.Run("ip", ["-n", Gw, "-j", "route", "show", prefix]).Output) as JsonArray ?? [];
        var hops = new List<string>();
        foreach (var route in routes)
        {
            if (route?["nexthops"] is JsonArray multi)
            {
                hops.AddRange(multi.Select(h => (string?)h?["gateway"]).OfType<string>());
            }
            else if ((string?)route?["gateway"] is { } single)
            {
                hops.Add(single);
            }
        }

        return hops;
    }

    /// <summary>TCP segments gw's kernel dropped for a bad MD5 signature (/proc/net/netstat is per namespace).</summary>
    public long Md5Failures()
    {
        var lines = NetnsLab.Run("ip", ["netns", "exec", Gw, "cat", "/proc/net/netstat"]).Output.Split('\n').Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToList();
        if (lines.Count < 2)
        {
            return -1;
        }

        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(names, "TCPMD5Failure");
        return at < 0 ? -1 : long.Parse(values[at], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => lab.Dispose();

    private string[] Gobgp(string node, params string[] args) => ["ip", "netns", "exec", lab.Ns(node), "gobgp", "-u", "127.0.0.1", "-p", "50051", .. args];

    private static JsonNode? Json(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
