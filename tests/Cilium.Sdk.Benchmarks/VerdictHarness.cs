using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cilium.Sdk.Benchmarks.Naive;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// The verdict engine against an independent naive evaluator (<see cref="NaiveEvaluator"/>: every flow checks every
/// rule of every policy), in one run: N flows (default 1,000,000) x 1,000 policies x 5,000 endpoints.
/// Prints medians with min-max of 5 timed runs on one thread, the replay rate on 1..cores threads, the engine's compile
/// time and retained memory, the same for 20,000 policies, the naive evaluator's rate, and the number of flows whose
/// decision differs between the two (all flows compared; exit 1 unless 0).
/// </summary>
internal static class VerdictHarness
{
    private const int Runs = 5;

    public static int Run(string[] args)
    {
        var flowCount = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1_000_000;
        var skipLarge = args.Contains("--no-large");
        var skipNaive = args.Contains("--no-naive");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"runtime {Environment.Version}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}, load average {LoadAverage()}"));

        var scenario = VerdictScenario.Create(policies: 1_000, namespaces: 100, appsPerNamespace: 50);
        var (verdicts, compileMs, retainedMb) = Compile(scenario);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verdict engine: {scenario.Rendered.Count} policies ({verdicts.SpecCount} specs), {scenario.Endpoints.Count} endpoints, {flowCount} flows"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  compile (map state of every endpoint): {compileMs:F0} ms, retained {retainedMb:F1} MB (render of the policies not included: {scenario.RenderMs:F0} ms)"));

        var flows = scenario.Flows(flowCount, seed: 42);
        foreach (var flow in flows.Take(50_000))
        {
            verdicts.Evaluate(flow);
        }

        // One thread: the hot path is two map-state lookups per flow.
        var rates = new List<double>();
        var allowed = 0;
        long allocated = 0;
        for (var run = 0; run < Runs; run++)
        {
            allowed = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            foreach (var flow in flows)
            {
                if (verdicts.Evaluate(flow).IsAllowed)
                {
                    allowed++;
                }
            }

            sw.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            rates.Add(flowCount / sw.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  engine, 1 thread: median {Median(rates) / 1e6:F2} M flows/s (min-max {rates.Min() / 1e6:F2}-{rates.Max() / 1e6:F2}, {Runs} runs); {allocated / (double)flowCount:F0} bytes allocated per flow; allowed {allowed} of {flowCount}"));

        // Replay scaling: the flows split over 1..cores threads evaluating against the same engine.
        for (var threads = 1; threads <= Environment.ProcessorCount; threads++)
        {
            var scaling = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                scaling.Add(flowCount / Parallel(verdicts, flows, threads).TotalSeconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  replay on {threads} thread(s): median {Median(scaling) / 1e6:F2} M flows/s (min-max {scaling.Min() / 1e6:F2}-{scaling.Max() / 1e6:F2})"));
        }

        if (skipNaive)
        {
            Console.WriteLine("  naive evaluator and comparison skipped (--no-naive); load average now " + LoadAverage());
            return 0;
        }

        // The independent naive evaluator: timed on a sample on one thread, compared on every flow (on every core).
        var naive = NaiveEvaluator.FromYaml(scenario.Yaml);
        var naiveEndpoints = new Dictionary<Endpoint, NaiveEndpoint>(ReferenceEqualityComparer.Instance);
        foreach (var e in scenario.Endpoints.Append(scenario.World))
        {
            naiveEndpoints[e] = VerdictScenario.ToNaive(e);
        }

        var sampleSize = Math.Min(20_000, flowCount);
        var naiveRates = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < sampleSize; i++)
            {
                naive.Decide(VerdictScenario.ToNaive(flows[i], naiveEndpoints));
            }

            sw.Stop();
            naiveRates.Add(sampleSize / sw.Elapsed.TotalSeconds);
        }

        var differing = 0;
        var compare = Stopwatch.StartNew();
        System.Threading.Tasks.Parallel.For(0, flows.Length, () => 0, (i, _, count) =>
        {
            var engine = verdicts.Evaluate(flows[i]).Decision;
            var oracle = naive.Decide(VerdictScenario.ToNaive(flows[i], naiveEndpoints));
            return VerdictScenario.Same(engine, oracle) ? count : count + 1;
        }, count => Interlocked.Add(ref differing, count));
        compare.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  naive evaluator (every rule of every policy per flow), 1 thread, {sampleSize} flows: median {Median(naiveRates):F0} flows/s (min-max {naiveRates.Min():F0}-{naiveRates.Max():F0}); engine/naive {Median(rates) / Median(naiveRates):F0}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  decisions differing from the naive evaluator: {differing} of {flowCount} (compared in {compare.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} threads)"));

        if (!skipLarge)
        {
            var large = VerdictScenario.Create(policies: 20_000, namespaces: 100, appsPerNamespace: 50);
            var (_, largeMs, largeMb) = Compile(large);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  20,000 policies ({large.Rendered.Count}) over {large.Endpoints.Count} endpoints: compile {largeMs:F0} ms, retained {largeMb:F1} MB (render {large.RenderMs:F0} ms)"));
        }

        return differing == 0 ? 0 : 1;
    }

    private static (PolicyVerdicts Verdicts, double Ms, double RetainedMb) Compile(VerdictScenario scenario)
    {
        var times = new List<double>();
        PolicyVerdicts? verdicts = null;
        double retained = 0;
        for (var run = 0; run < 3; run++)
        {
            // An endpoint remembers its identity in the last engine that evaluated it: forget the previous engine first.
            verdicts = null;
            foreach (var e in scenario.Endpoints)
            {
                e.IdentitySlot = null;
            }

            var before = GC.GetTotalMemory(forceFullCollection: true);
            var sw = Stopwatch.StartNew();
            verdicts = PolicyVerdicts.For(scenario.Rendered, scenario.Endpoints);
            sw.Stop();
            times.Add(sw.Elapsed.TotalMilliseconds);
            retained = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1048576.0;
            GC.KeepAlive(verdicts);
        }

        return (verdicts!, Median(times), retained);
    }

    private static TimeSpan Parallel(PolicyVerdicts verdicts, Flow[] flows, int threads)
    {
        var sw = Stopwatch.StartNew();
        var workers = new Thread[threads];
        var chunk = (flows.Length + threads - 1) / threads;
        for (var t = 0; t < threads; t++)
        {
            var from = t * chunk;
            var to = Math.Min(flows.Length, from + chunk);
            workers[t] = new Thread(() =>
            {
                for (var i = from; i < to; i++)
                {
                    verdicts.Evaluate(flows[i]);
                }
            });
            workers[t].Start();
        }

        foreach (var w in workers)
        {
            w.Join();
        }

        sw.Stop();
        return sw.Elapsed;
    }

    // The machine is shared: the 1-minute load average says how busy it was (Linux only).
    private static string LoadAverage() =>
        System.IO.File.Exists("/proc/loadavg") ? System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>The benchmark's world: pods in namespaces, generated policies, random flows; and the same as the naive evaluator sees it.</summary>
internal sealed class VerdictScenario
{
    private static readonly int[] Ports = [8080, 9090, 9050, 53, 443, 22];

    private VerdictScenario(List<Endpoint> endpoints, IReadOnlyList<RenderedPolicy> rendered, string yaml, double renderMs)
    {
        Endpoints = endpoints;
        Rendered = rendered;
        Yaml = yaml;
        RenderMs = renderMs;
    }

    public List<Endpoint> Endpoints { get; }

    public IReadOnlyList<RenderedPolicy> Rendered { get; }

    public string Yaml { get; }

    public double RenderMs { get; }

    public Endpoint World { get; } = Endpoint.World("203.0.113.9");

    public static VerdictScenario Create(int policies, int namespaces, int appsPerNamespace)
    {
        string N(int i) => i.ToString(CultureInfo.InvariantCulture);
        var endpoints = new List<Endpoint>();
        for (var ns = 0; ns < namespaces; ns++)
        {
            for (var app = 0; app < appsPerNamespace; app++)
            {
                endpoints.Add(Endpoint.Pod("ns" + N(ns), new Dictionary<string, string> { ["app"] = "app" + N(app), ["tier"] = N(app % 3) }));
            }
        }

        endpoints.Add(Endpoint.Of(Components.CoreDns));
        var set = PolicySet.Empty.Add(Presets.ClusterDns());
        for (var i = 0; i < policies - 1; i++)
        {
            var ns = "ns" + N(i % namespaces);
            string App(int k) => "app" + N(k % appsPerNamespace);
            set = set.Add(Policy.Namespaced("p" + N(i), ns)
                .Selecting(new Dictionary<string, string> { ["app"] = App(i * 7) })
                .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["app"] = App((i * 7) + 1) }), Port.Tcp(8080))
                .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["tier"] = "1" }, "ns" + N((i + 1) % namespaces)), Port.Tcp(9090))
                .AllowEgress(Peer.Endpoints(new Dictionary<string, string> { ["app"] = App((i * 7) + 1) }), Port.Tcp(8080), Port.TcpRange(9000, 9100))
                .AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443))
                .DenyEgress(Peer.Cidr("10.0.0.0/8"), Port.Tcp(22))
                .AllowDns());
        }

        var sw = Stopwatch.StartNew();
        var rendered = set.Render(CiliumVersion.V1_20, PolicyMode.Enforce);
        sw.Stop();
        var yaml = string.Join("---\n", rendered.Select(p => Manifests.Write(p.Resource)));
        return new VerdictScenario(endpoints, rendered, yaml, sw.Elapsed.TotalMilliseconds);
    }

    public Flow[] Flows(int count, int seed)
    {
        var random = new Random(seed);
        var flows = new Flow[count];
        for (var i = 0; i < count; i++)
        {
            var source = Endpoints[random.Next(Endpoints.Count)];
            var destination = random.Next(20) == 0 ? World : Endpoints[random.Next(Endpoints.Count)];
            var port = Ports[random.Next(Ports.Length)];
            flows[i] = port == 53 ? Flow.Udp(source, destination, 53) : Flow.Tcp(source, destination, port);
        }

        return flows;
    }

    public static NaiveEndpoint ToNaive(Endpoint e) => new(
        e.Namespace,
        e.Labels.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        e.Entities.Select(x => x.ToWire()).ToArray(),
        e.Addresses.Select(a => a.ToString()).ToArray(),
        e.NamedPorts.ToDictionary(kv => kv.Key, kv => kv.Value.Number ?? 0, StringComparer.Ordinal));

    public static NaiveFlow ToNaive(Flow flow, Dictionary<Endpoint, NaiveEndpoint> known) =>
        new(known.TryGetValue(flow.Source, out var s) ? s : ToNaive(flow.Source), known.TryGetValue(flow.Destination, out var d) ? d : ToNaive(flow.Destination), flow.Protocol.ToString().ToUpperInvariant(), flow.Port);

    public static bool Same(Decision engine, NaiveDecision oracle) => (engine, oracle) switch
    {
        (Decision.Allowed, NaiveDecision.Allowed) => true,
        (Decision.Denied, NaiveDecision.Denied) => true,
        _ => false,
    };
}
