using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Tests.Bgp.Live;

/// <summary>
/// Real peers: FRR (zebra + bgpd) loaded with the generated router config in one network namespace, and one gobgpd
/// per node, configured from the generated Cilium resources, each in its own namespace (see <see cref="BgpLiveLab"/>).
/// Only documentation addresses (192.0.2.0/24 nodes, 198.51.100.0/24 LB pool) inside namespaces the test creates and
/// always deletes. Select with <c>--filter-trait "Category=LiveBgp"</c>; needs root and frr/gobgpd;
/// <c>CILIUM_SDK_SKIP_LIVE_BGP=1</c> skips it where it cannot run, <c>CILIUM_SDK_KEEP_LIVE_BGP=1</c> keeps configs and logs.
/// </summary>
[Trait("Category", "LiveBgp")]
public class LiveBgpSessionTests
{
    private static readonly IPAddress Router = IPAddress.Parse("192.0.2.1");

    private static BgpTopology Topology(int nodes) => new(
        "live-lab",
        CiliumVersion.V1_20,
        Enumerable.Range(1, nodes).Select(i => new BgpNode($"n{i}", IPAddress.Parse($"192.0.2.{10 + i}"))).ToList(),
        IPNetwork.Parse("192.0.2.0/24"),
        [IPNetwork.Parse("198.51.100.0/24")]);

    [Fact(Timeout = 120_000)]
    public async Task Sessions_routes_ecmp_filtering_md5_and_fast_failover()
    {
        var cancel = TestContext.Current.CancellationToken;

        // Four nodes; the fourth runs with a wrong password and must never get a session.
        var options = new BgpOptions(Router, 64513, 64514)
        {
            Timers = BgpTimerOptions.Fast,
            GracefulRestart = BgpGracefulRestartOptions.Disabled,
            // Every punctuation character the validator allows, end to end (FRR config -> Secret -> gobgpd).
            Password = new SecretValue("lab-Pass_42.:/@%+=~^*()[]{}<>|;$&`,"),
        };
        using var lab = new BgpLiveLab(options, Topology(4));
        var nodes = lab.Topology.Nodes;
        var good = nodes.Take(3).ToList();
        var bad = nodes[3];
        await lab.StartAsync(n => n == bad ? "wrong-password" : null, cancel);

        // Outside the pool, and inside it but not a /32: the router's prefix-list must drop both.
        lab.AddRoute("n1", "203.0.113.7/32");
        lab.AddRoute("n1", "198.51.100.128/25");

        // 1. Sessions Established (GoBGP dials first after a random 5-10 s).
        var established = await NetnsLab.WaitUntil(() => good.All(n => lab.State(n.Address) == "Established"), TimeSpan.FromSeconds(25), cancel);
        lab.Note("states: " + string.Join(", ", nodes.Select(n => $"{n.Name}={lab.State(n.Address)}")));
        Assert.True(established, "not every node with the right password reached Established" + lab.Context);

        // 2. Every node's own LB /32 learned; the filtered prefixes are not.
        var learned = await NetnsLab.WaitUntil(
            () => good.Select((_, i) => lab.Paths(BgpLiveLab.UniqueLb(i))).All(c => c == 1) && lab.Paths(BgpLiveLab.SharedLb) == good.Count, TimeSpan.FromSeconds(5), cancel);
        Assert.True(learned, "LB /32s not learned: " + string.Join(", ", good.Select((n, i) => $"{n.Name}:{lab.Paths(BgpLiveLab.UniqueLb(i))}")) + lab.Context);
        Assert.Equal(0, lab.Paths("203.0.113.7/32"));
        Assert.Equal(0, lab.Paths("198.51.100.128/25"));

        // 3. The shared LB IP with ECMP: one path per node up to the width (3 nodes, width 4) in FRR's RIB, zebra's FIB
        //    and the kernel.
        var shared = BgpLiveLab.SharedLb;
        var want = Math.Min(good.Count, BgpValidator.EffectiveEcmpMaxPaths(options, lab.Topology));
        var ecmp = await NetnsLab.WaitUntil(() => lab.Multipath(shared) == want && lab.FibNexthops(shared) == want && lab.KernelNexthops(shared).Count == want, TimeSpan.FromSeconds(5), cancel);
        lab.Note($"ECMP: multipath={lab.Multipath(shared)} fib={lab.FibNexthops(shared)} kernel=[{string.Join(' ', lab.KernelNexthops(shared))}]");
        Assert.True(ecmp, $"shared LB IP not on {want} paths" + lab.Context);
        Assert.Equal(good.Select(n => n.Address.ToString()).Order(StringComparer.Ordinal), lab.KernelNexthops(shared).Order(StringComparer.Ordinal));

        // 4. Wrong password: no session, and the kernel drops the node's MD5-signed SYNs (so it did dial).
        var untilDialed = TimeSpan.FromSeconds(11) - lab.SinceStart(bad.Name);
        var badEstablished = await NetnsLab.WaitUntil(() => lab.State(bad.Address) == "Established", untilDialed > TimeSpan.Zero ? untilDialed : TimeSpan.Zero, cancel);
        var md5Failures = lab.Md5Failures();
        lab.Note($"{bad.Name} (wrong password): state={lab.State(bad.Address)} TCPMD5Failure={md5Failures}");
        Assert.False(badEstablished, "a node with a wrong password got a session" + lab.Context);
        Assert.True(md5Failures > 0, "the wrong-password node never reached the router (no MD5 failures counted)" + lab.Context);

        // 5. A node that dies silently (its link goes down: no NOTIFICATION, no FIN) is withdrawn within hold + 1 s.
        var hold = options.Timers.HoldTimeSeconds;
        var victim = good[^1];
        var failover = System.Diagnostics.Stopwatch.StartNew();
        lab.LinkDown(victim.Name);
        var withdrawn = await NetnsLab.WaitUntil(() => !lab.KernelNexthops(shared).Contains(victim.Address.ToString()), TimeSpan.FromSeconds(hold + 5), cancel);
        var took = failover.Elapsed;
        lab.Note($"failover of {victim.Name}: withdrawn from the kernel after {took.TotalSeconds:F2} s (hold {hold} s); kernel=[{string.Join(' ', lab.KernelNexthops(shared))}]");
        Assert.True(withdrawn, $"{victim.Name}'s path was not withdrawn" + lab.Context);
        Assert.True(took <= TimeSpan.FromSeconds(hold + 1), $"withdrawn after {took.TotalSeconds:F2} s, want <= {hold + 1} s" + lab.Context);
        Assert.Equal(good.Count - 1, lab.KernelNexthops(shared).Count);
        Assert.Equal(0, lab.Paths(BgpLiveLab.UniqueLb(good.Count - 1)));

        TestContext.Current.SendDiagnosticMessage(lab.Log);
        Assert.True(lab.Elapsed < TimeSpan.FromMinutes(2), "the live test must stay under 2 minutes" + lab.Context);
    }

    [Fact(Timeout = 120_000)]
    public async Task Graceful_restart_per_neighbor_is_applied_and_ecmp_stops_at_the_width()
    {
        // bgpd -C flags `neighbor X graceful-restart` as "Config Failed"; the running daemon must apply it.
        // ECMP width 1 with 2 nodes (the validator warns): both paths learned, one installed.
        var cancel = TestContext.Current.CancellationToken;
        var options = new BgpOptions(Router, 64513, 64514)
        {
            Timers = BgpTimerOptions.Fast,
            GracefulRestart = BgpGracefulRestartOptions.On(3),
            EcmpMaxPaths = 1,
        };
        using var lab = new BgpLiveLab(options, Topology(2));
        await lab.StartAsync(_ => null, cancel);
        var nodes = lab.Topology.Nodes;

        var established = await NetnsLab.WaitUntil(() => nodes.All(n => lab.State(n.Address) == "Established"), TimeSpan.FromSeconds(25), cancel);
        Assert.True(established, "sessions not Established" + lab.Context);
        foreach (var n in nodes)
        {
            var gr = lab.Neighbor(n.Address)?["gracefulRestartInfo"];
            lab.Note($"{n.Name}: localGrMode={gr?["localGrMode"]} remoteGrMode={gr?["remoteGrMode"]}");
            Assert.Equal("Restart", (string?)gr?["localGrMode"]);

            // The node (configured from CiliumBGPPeerConfig.gracefulRestart) announced the capability.
            Assert.NotEqual("NotApplicable", (string?)gr?["remoteGrMode"]);
        }

        var shared = BgpLiveLab.SharedLb;
        var learned = await NetnsLab.WaitUntil(() => lab.Paths(shared) == nodes.Count && lab.KernelNexthops(shared).Count == 1, TimeSpan.FromSeconds(5), cancel);
        lab.Note($"width 1: paths={lab.Paths(shared)} multipath={lab.Multipath(shared)} fib={lab.FibNexthops(shared)} kernel=[{string.Join(' ', lab.KernelNexthops(shared))}]");
        Assert.True(learned, "shared LB IP not learned from every node, or not installed once" + lab.Context);
        Assert.Equal(1, lab.Multipath(shared));
        Assert.Equal(1, lab.FibNexthops(shared));
        Assert.Single(lab.KernelNexthops(shared));
        TestContext.Current.SendDiagnosticMessage(lab.Log);
    }
}
