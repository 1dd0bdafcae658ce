using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// The verdict engine's hot path: N flows (default 1,000,000) against 1,000 policies over 5,000 endpoints, on one
/// thread. Prints the median of 3 timed runs (after a warm-up) in flows per second, and the ratio against the naive
/// evaluator (<c>PolicyVerdicts.WithoutIndex</c>: every spec checked for every flow), timed on a 20,000-flow
/// sample and checked to give the same decisions.
/// </summary>
internal static class VerdictHarness
{
    public static int Run(string[] args)
    {
        var flowCount = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1_000_000;
        var random = new Random(42);
        var endpoints = new List<Endpoint>();
        for (var ns = 0; ns < 100; ns++)
        {
            for (var app = 0; app < 50; app++)
            {
                endpoints.Add(Endpoint.Pod("ns" + ns.ToString(CultureInfo.InvariantCulture), new Dictionary<string, string> { ["app"] = "app" + app.ToString(CultureInfo.InvariantCulture), ["tier"] = (app % 3).ToString(CultureInfo.InvariantCulture) }));
            }
        }

        endpoints.Add(Endpoint.Of(Components.CoreDns));
        var set = PolicySet.Empty.Add(Presets.ClusterDns());
        for (var i = 0; i < 999; i++)
        {
            var ns = "ns" + (i % 100).ToString(CultureInfo.InvariantCulture);
            string App(int k) => "app" + (k % 50).ToString(CultureInfo.InvariantCulture);
            set = set.Add(Policy.Namespaced("p" + i.ToString(CultureInfo.InvariantCulture), ns)
                .Selecting(new Dictionary<string, string> { ["app"] = App(i * 7) })
                .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["app"] = App((i * 7) + 1) }), Port.Tcp(8080))
                .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["tier"] = "1" }, "ns" + ((i + 1) % 100).ToString(CultureInfo.InvariantCulture)), Port.Tcp(9090))
                .AllowEgress(Peer.Endpoints(new Dictionary<string, string> { ["app"] = App((i * 7) + 1) }), Port.Tcp(8080), Port.TcpRange(9000, 9100))
                .AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443))
                .DenyEgress(Peer.Cidr("10.0.0.0/8"), Port.Tcp(22))
                .AllowDns());
        }

        var setup = Stopwatch.StartNew();
        var rendered = set.Render(CiliumVersion.V1_20, PolicyMode.Enforce);
        var verdicts = PolicyVerdicts.For(rendered);
        setup.Stop();

        int[] ports = [8080, 9090, 9050, 53, 443, 22];
        var world = Endpoint.World("203.0.113.9");
        var flows = new Flow[flowCount];
        for (var i = 0; i < flowCount; i++)
        {
            var source = endpoints[random.Next(endpoints.Count)];
            var destination = random.Next(20) == 0 ? world : endpoints[random.Next(endpoints.Count)];
            var port = ports[random.Next(ports.Length)];
            flows[i] = port == 53 ? Flow.Udp(source, destination, 53) : Flow.Tcp(source, destination, port);
        }

        // Warm-up (fills the per-identity index, JIT).
        foreach (var flow in flows.Take(50_000))
        {
            verdicts.Evaluate(flow);
        }

        var runs = new List<double>();
        var allowed = 0;
        for (var run = 0; run < 3; run++)
        {
            allowed = 0;
            var sw = Stopwatch.StartNew();
            foreach (var flow in flows)
            {
                if (verdicts.Evaluate(flow).IsAllowed)
                {
                    allowed++;
                }
            }

            sw.Stop();
            runs.Add(flowCount / sw.Elapsed.TotalSeconds);
        }

        var naive = verdicts.WithoutIndex();
        var sample = flows.Take(Math.Min(20_000, flowCount)).ToArray();
        foreach (var flow in sample.Take(500))
        {
            naive.Evaluate(flow);
        }

        var naiveWatch = Stopwatch.StartNew();
        var mismatches = 0;
        foreach (var flow in sample)
        {
            if (naive.Evaluate(flow).Decision != verdicts.Evaluate(flow).Decision)
            {
                mismatches++;
            }
        }

        naiveWatch.Stop();
        // The loop also ran the indexed engine once per flow: subtract its share using the measured median.
        var median = runs.Order().ElementAt(1);
        var naiveSeconds = naiveWatch.Elapsed.TotalSeconds - (sample.Length / median);
        var naiveRate = sample.Length / naiveSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verdict engine: {rendered.Count} policies ({verdicts.SpecCount} specs), {endpoints.Count} endpoints, {flowCount} flows, 1 thread"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  setup (render + compile): {setup.Elapsed.TotalMilliseconds:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  indexed: median {median:F0} flows/s (runs: {string.Join(", ", runs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}); allowed {allowed} of {flowCount}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  naive (every spec for every flow, {sample.Length} flows): {naiveRate:F0} flows/s; speed-up {median / naiveRate:F1}x; decisions differing: {mismatches}"));
        return mismatches == 0 ? 0 : 1;
    }
}
