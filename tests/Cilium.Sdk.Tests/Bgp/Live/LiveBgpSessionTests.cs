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
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Frr;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Tests.Bgp.Live;

/// <summary>
/// Real peers: FRR (zebra + bgpd) loaded with the generated router config in one network namespace, and one gobgpd
/// per node, configured from the generated Cilium resources, each in its own namespace, all on one bridge. Only
/// documentation addresses (192.0.2.0/24 nodes, 198.51.100.0/24 LB pool) inside namespaces this test creates.
/// Select with <c>--filter-trait "Category=LiveBgp"</c>; needs root; <c>CILIUM_SDK_SKIP_LIVE_BGP=1</c> skips it where it
/// cannot run, <c>CILIUM_SDK_KEEP_LIVE_BGP=1</c> keeps configs and logs.
/// </summary>
[Trait("Category", "LiveBgp")]
public class LiveBgpSessionTests
{
    private const string FrrBin = "/usr/lib/frr";
    private static readonly IPAddress Router = IPAddress.Parse("192.0.2.1");
    private static readonly string SharedLb = "198.51.100.5/32";

    [Fact(Timeout = 120_000)]
    public async Task Generated_configs_peer_for_real_with_ecmp_filtering_md5_and_fast_failover()
    {
        NetnsLab.RequireLab("/usr/bin/vtysh", $"{FrrBin}/bgpd", $"{FrrBin}/zebra", "/usr/bin/gobgpd", "/usr/bin/gobgp");
        var cancel = TestContext.Current.CancellationToken;
        var total = Stopwatch.StartNew();

        // Four nodes; the fourth runs with a wrong password and must never get a session.
        var nodes = Enumerable.Range(1, 4).Select(i => new BgpNode($"n{i}", IPAddress.Parse($"192.0.2.{10 + i}"))).ToList();
        var options = new BgpOptions(Router, 64513, 64514)
        {
            Timers = BgpTimerOptions.Fast,
            GracefulRestart = BgpGracefulRestartOptions.Disabled,
            Password = new SecretValue("lab-Pass_42"),
        };
        var topology = new BgpTopology("live-lab", CiliumVersion.V1_20, nodes, IPNetwork.Parse("192.0.2.0/24"), [IPNetwork.Parse("198.51.100.0/24")]);
        Assert.DoesNotContain(BgpValidator.Validate(options, topology), e => e.IsError);
        var hold = options.Timers.HoldTimeSeconds;
        var rendered = BgpResources.Render(options, topology);
        var frrConfig = FrrConfigWriter.Write(options, topology);

        using var lab = new NetnsLab();
        var log = new List<string>();
        void Note(string s)
        {
            log.Add(FormattableString.Invariant($"[{total.Elapsed.TotalSeconds,6:F2}s] {s}"));
            File.WriteAllLines(Path.Combine(lab.RunDir, "results.txt"), log);
        }

        string Context() => $"\n--- lab {lab.Prefix} run dir {lab.RunDir}\n" + string.Join("\n", log);

        // Topology: gw and nodes joined by a bridge in sw.
        var sw = lab.AddNamespace("sw");
        var gw = lab.AddNamespace("gw");
        NetnsLab.Must("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
        NetnsLab.Must("ip", "-n", sw, "link", "set", "br0", "up");
        void Attach(string ns, string port, string address)
        {
            NetnsLab.Must("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", sw);
            NetnsLab.Must("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
            NetnsLab.Must("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
            NetnsLab.Must("ip", "-n", ns, "link", "set", "eth0", "up");
        }

        Attach(gw, "p-gw", Router.ToString());
        foreach (var n in nodes)
        {
            Attach(lab.AddNamespace(n.Name), "p-" + n.Name, n.Address.ToString());
        }

        // FRR: zebra, then bgpd with the generated config file.
        var dir = lab.RunDir;
        File.WriteAllText(Path.Combine(dir, "frr.conf"), frrConfig);
        File.WriteAllText(Path.Combine(dir, "empty.conf"), string.Empty);
        var common = $"-z '{dir}/zserv.api' --vty_socket '{dir}' -P 0";

        // The daemons drop to user frr (group frrvty) as the packaged service does: give them the run directory.
        NetnsLab.Must("chown", "-R", "frr:frr", dir);
        lab.StartDaemon(gw, $"{FrrBin}/zebra -f '{dir}/empty.conf' -i '{dir}/zebra.pid' {common} --log 'file:{dir}/zebra.log'", $"{dir}/zebra.out", privateVarTmp: true);
        Assert.True(await NetnsLab.WaitUntil(() => File.Exists($"{dir}/zserv.api"), TimeSpan.FromSeconds(5), cancel), "zebra did not start" + Context());
        lab.StartDaemon(gw, $"{FrrBin}/bgpd -f '{dir}/frr.conf' -i '{dir}/bgpd.pid' {common} --log 'file:{dir}/bgpd.log'", $"{dir}/bgpd.out", privateVarTmp: true);
        Assert.True(await NetnsLab.WaitUntil(() => File.Exists($"{dir}/bgpd.vty"), TimeSpan.FromSeconds(5), cancel), "bgpd did not start" + Context());
        string Vty(string command) => NetnsLab.Run("vtysh", ["--vty_socket", dir, "-c", command], TimeSpan.FromSeconds(5)).Output;
        Assert.Contains("router bgp 64513", Vty("show running-config"), StringComparison.Ordinal);
        Note("FRR up");

        // Nodes: gobgpd configured from the Cilium resources; routes as Cilium would advertise them.
        var nodeStart = new Dictionary<string, Stopwatch>();
        foreach (var n in nodes)
        {
            var toml = Path.Combine(dir, n.Name + ".toml");
            File.WriteAllText(toml, GobgpdConfig.ForNode(rendered, n, n.Name == "n4" ? "wrong-password" : null));
            NetnsLab.Must("gobgpd", "-d", "-f", toml);
            lab.StartDaemon(lab.Ns(n.Name), $"gobgpd -f '{toml}' --api-hosts 127.0.0.1:50051 --pprof-disable -p -l info", $"{dir}/{n.Name}.log");
            nodeStart[n.Name] = Stopwatch.StartNew();
        }

        string[] Gobgp(string node, params string[] args) => ["ip", "netns", "exec", lab.Ns(node), "gobgp", "-u", "127.0.0.1", "-p", "50051", .. args];
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            Assert.True(await NetnsLab.WaitUntil(() => NetnsLab.Run("ip", Gobgp(n.Name, "global")[1..]).Exit == 0, TimeSpan.FromSeconds(5), cancel), $"gobgpd API of {n.Name} not answering" + Context());
            foreach (var prefix in new[] { SharedLb, $"198.51.100.{20 + i}/32" })
            {
                NetnsLab.Must(Gobgp(n.Name, "global", "rib", "-a", "ipv4", "add", prefix, "origin", "igp"));
            }
        }

        // Outside the pool, and inside it but not a /32: the router's prefix-list must drop both.
        NetnsLab.Must(Gobgp("n1", "global", "rib", "-a", "ipv4", "add", "203.0.113.7/32", "origin", "igp"));
        NetnsLab.Must(Gobgp("n1", "global", "rib", "-a", "ipv4", "add", "198.51.100.128/25", "origin", "igp"));

        // 1. Sessions Established (GoBGP dials first after a random 5-10 s).
        string State(IPAddress peer) => (string?)Json(Vty("show bgp neighbors json"))?[peer.ToString()]?["bgpState"] ?? "none";
        var good = nodes.Take(3).ToList();
        var established = await NetnsLab.WaitUntil(() => good.All(n => State(n.Address) == "Established"), TimeSpan.FromSeconds(25), cancel);
        Note("states: " + string.Join(", ", nodes.Select(n => $"{n.Name}={State(n.Address)}")));
        Assert.True(established, "not every node with the right password reached Established" + Context());

        // 2. Every node's own LB /32 learned; the filtered prefixes are not.
        int Paths(string prefix) => (Json(Vty($"show ip bgp {prefix} json"))?["paths"] as JsonArray)?.Count ?? 0;
        var learned = await NetnsLab.WaitUntil(() => good.Select((n, i) => Paths($"198.51.100.{20 + i}/32")).All(c => c == 1) && Paths(SharedLb) == good.Count, TimeSpan.FromSeconds(5), cancel);
        Assert.True(learned, "LB /32s not learned: " + string.Join(", ", good.Select((n, i) => $"{n.Name}:{Paths($"198.51.100.{20 + i}/32")}")) + $" shared:{Paths(SharedLb)}" + Context());
        Assert.Equal(0, Paths("203.0.113.7/32"));
        Assert.Equal(0, Paths("198.51.100.128/25"));

        // 3. The shared LB IP with ECMP: one path per node (3 nodes, width 4) in FRR's RIB, zebra's FIB and the kernel.
        var want = Math.Min(good.Count, BgpValidator.EffectiveEcmpMaxPaths(options, topology));
        int Multipath() => (Json(Vty($"show ip bgp {SharedLb} json"))?["paths"] as JsonArray)?.Count(p => (bool?)p!["multipath"] == true || (bool?)p["bestpath"]?["overall"] == true) ?? 0;
        int Fib() => (Json(Vty($"show ip route {SharedLb} json"))?[SharedLb] as JsonArray)?.Where(r => (bool?)r!["selected"] == true)
            .SelectMany(r => (r!["nexthops"] as JsonArray)!).Count(h => (bool?)h!["fib"] == true) ?? 0;
        List<string> Kernel() => KernelNexthops(gw, SharedLb);
        var ecmp = await NetnsLab.WaitUntil(() => Multipath() == want && Fib() == want && Kernel().Count == want, TimeSpan.FromSeconds(5), cancel);
        Note($"ECMP: multipath={Multipath()} fib={Fib()} kernel=[{string.Join(' ', Kernel())}]");
        Assert.True(ecmp, $"shared LB IP not on {want} paths" + Context());
        Assert.Equal(good.Select(n => n.Address.ToString()).Order(StringComparer.Ordinal), Kernel().Order(StringComparer.Ordinal));

        // 4. Wrong password: no session, and the kernel drops the node's MD5-signed SYNs (so it did dial).
        var waitForDial = TimeSpan.FromSeconds(11) - nodeStart["n4"].Elapsed;
        var n4 = nodes[3];
        var n4Established = await NetnsLab.WaitUntil(() => State(n4.Address) == "Established", waitForDial > TimeSpan.Zero ? waitForDial : TimeSpan.Zero, cancel);
        var md5Failures = Md5Failures(gw);
        Note($"n4 (wrong password): state={State(n4.Address)} TCPMD5Failure={md5Failures}");
        Assert.False(n4Established, "a node with a wrong password got a session" + Context());
        Assert.True(md5Failures > 0, "the wrong-password node never reached the router (no MD5 failures counted)" + Context());

        // 5. A node that dies silently (its link goes down, no NOTIFICATION, no FIN) is withdrawn within hold + 1 s.
        var victim = good[^1];
        var failover = Stopwatch.StartNew();
        NetnsLab.Must("ip", "-n", sw, "link", "set", "p-" + victim.Name, "down");
        var withdrawn = await NetnsLab.WaitUntil(() => !Kernel().Contains(victim.Address.ToString()), TimeSpan.FromSeconds(hold + 5), cancel);
        var took = failover.Elapsed;
        Note($"failover of {victim.Name}: withdrawn from the kernel after {took.TotalSeconds:F2} s (hold {hold} s); kernel=[{string.Join(' ', Kernel())}]");
        Assert.True(withdrawn, $"{victim.Name}'s path was not withdrawn" + Context());
        Assert.True(took <= TimeSpan.FromSeconds(hold + 1), $"withdrawn after {took.TotalSeconds:F2} s, want <= {hold + 1} s" + Context());
        Assert.Equal(good.Count - 1, Kernel().Count);
        Assert.Equal(0, Paths("198.51.100.22/32"));

        Note("done");
        TestContext.Current.SendDiagnosticMessage(string.Join("\n", log));
        Assert.True(total.Elapsed < TimeSpan.FromMinutes(2), "the live test must stay under 2 minutes" + Context());
    }

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

    private static List<string> KernelNexthops(string ns, string prefix)
    {
        var routes = Json(NetnsLab.Run("ip", ["-n", ns, "-j", "route", "show", prefix]).Output) as JsonArray ?? [];
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

    private static long Md5Failures(string ns)
    {
        // /proc/net/netstat is per network namespace: read it from inside gw.
        var lines = NetnsLab.Run("ip", ["netns", "exec", ns, "cat", "/proc/net/netstat"]).Output.Split('\n').Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToList();
        if (lines.Count < 2)
        {
            return -1;
        }

        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(names, "TCPMD5Failure");
        return at < 0 ? -1 : long.Parse(values[at], System.Globalization.CultureInfo.InvariantCulture);
    }
}
