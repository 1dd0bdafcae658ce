using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// <c>cilium-sdk lint</c> on a generated tree of 1,000 files (default; <c>--files N</c>): 700 network policies, 100 LB
/// pools, 50 L2 policies, 50 BGP files (cluster config, peer config, advertisement), 50 Deployments and 50 mixed
/// multi-document files, laid out as a GitOps repository is (one folder per namespace and app). Prints medians with
/// min-max over <c>--runs</c> timed runs (default 7, after one warm-up), in files per second:
/// <list type="bullet">
/// <item><b>floor</b>: the same files read and parsed by YamlDotNet's representation model (what any YAML linter pays);</item>
/// <item><b>read</b>: <c>ManifestSet.Load</c> (CrdKit's reader with positions, typed records);</item>
/// <item><b>lint</b>: <c>Load</c> + <c>Validate(CiliumVersion.V1_20)</c> in this warm process, what the target is about;</item>
/// <item><b>cli</b>: the real tool as a child process (<c>dotnet cilium-sdk.dll lint --format json</c>), and the same on an
/// empty folder (start-up); cli minus start-up is the lint after start-up.</item>
/// </list>
/// Target: 1,000 files linted in under 1 s after start-up. Run under the build lock: nothing else may run meanwhile.
/// </summary>
internal static class LintHarness
{
    public static int Run(string[] args)
    {
        var files = Option(args, "--files", 1000);
        var runs = Option(args, "--runs", 7);
        var root = Directory.CreateTempSubdirectory("cilium-sdk-lint-bench-");
        try
        {
            var paths = TreeGenerator.Write(root.FullName, files);
            var bytes = paths.Sum(p => new FileInfo(p).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lint benchmark: {paths.Count} files, {bytes / 1024.0:F0} KiB, {runs} timed runs after a warm-up; .NET {Environment.Version}, {Environment.ProcessorCount} cores"));

            var tree = Path.Combine(root.FullName, "kubernetes");
            var findings = 0;
            var documents = 0;
            var floor = Measure(runs, () =>
            {
                foreach (var path in paths)
                {
                    var stream = new YamlStream();
                    stream.Load(new StringReader(File.ReadAllText(path)));
                }
            });
            var read = Measure(runs, () => documents = ManifestSet.Load([tree]).Documents.Count);
            var lint = Measure(runs, () => findings = ManifestSet.Load([tree]).Validate(CiliumVersion.V1_20).Count);
            Console.WriteLine($"  {documents} documents, {findings} findings per lint (the generated tree has deliberate mistakes)");
            Report("floor (YamlDotNet parse)", floor, paths.Count);
            Report("read (ManifestSet.Load)", read, paths.Count);
            Report("lint (Load + Validate)", lint, paths.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  lint / floor: {Median(lint) / Median(floor):F2}x"));

            var cli = Path.Combine(HarnessPaths.Locate().RepoRoot, "src", "Cilium.Sdk.Cli", "bin", "Release", "net10.0", "cilium-sdk.dll");
            if (!File.Exists(cli))
            {
                Console.Error.WriteLine($"error: {cli} is missing: build it with 'dotnet build src/Cilium.Sdk.Cli -c Release'.");
                return 2;
            }

            var empty = Directory.CreateDirectory(Path.Combine(root.FullName, "empty")).FullName;
            var startup = Measure(runs, () => Child(cli, empty, expectFindings: false));
            var whole = Measure(runs, () => Child(cli, tree, expectFindings: true));
            Report("cli start-up (empty folder)", startup, null);
            Report("cli lint (whole process)", whole, paths.Count);
            var afterMedian = Median(whole) - Median(startup);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cli lint after start-up: {afterMedian * 1000:F0} ms median ({paths.Count / afterMedian:F0} files/s); target 1,000 files < 1 s: {(afterMedian * 1000.0 / paths.Count < 1.0 ? "met" : "MISSED")}"));
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>Seconds of each timed run (after one warm-up run).</summary>
    private static List<double> Measure(int runs, Action action)
    {
        action();
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            action();
            samples.Add(watch.Elapsed.TotalSeconds);
        }

        return samples;
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Report(string what, List<double> samples, int? files)
    {
        var rate = files is { } n ? string.Create(CultureInfo.InvariantCulture, $", {n / Median(samples):F0} files/s") : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-30} median {Median(samples) * 1000,7:F1} ms (min {samples.Min() * 1000:F1}, max {samples.Max() * 1000:F1}){rate}"));
    }

    private static void Child(string cli, string folder, bool expectFindings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "lint", "--format", "json", folder })
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        child.WaitForExit();
        if (child.ExitCode != (expectFindings ? 1 : 0) || !output.Result.Contains("\"checked\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"cilium-sdk lint exited {child.ExitCode}: {errors.Result}");
        }
    }
}

/// <summary>A deterministic GitOps-like tree of Cilium manifests (seeded), with a few deliberate mistakes.</summary>
internal static class TreeGenerator
{
    public static List<string> Write(string root, int count)
    {
        var random = new Random(19);
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var ns = "ns" + (i % 40).ToString(CultureInfo.InvariantCulture);
            var app = "app" + (i % 97).ToString(CultureInfo.InvariantCulture);
            var slot = i % 20;
            var (folder, name, text) = slot switch
            {
                < 14 => ($"apps/{ns}/{app}/app", $"policy-{i}.yaml", Policy(i, ns, app, random)),
                14 or 15 => ("network/pools", $"pool-{i}.yaml", Pool(i)),
                16 => ("network/l2", $"l2-{i}.yaml", L2(i)),
                17 => ("network/bgp", $"bgp-{i}.yaml", Bgp(i)),
                18 => ($"apps/{ns}/{app}/app", $"deployment-{i}.yaml", Deployment(ns, app)),
                _ => ($"apps/{ns}/{app}/app", $"bundle-{i}.yaml", Deployment(ns, app) + "---\n" + Policy(i, ns, app, random) + "---\n" + Service(ns, app)),
            };
            var path = Path.Combine(root, "kubernetes", folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            paths.Add(path);
        }

        return paths;
    }

    private static string Policy(int i, string ns, string app, Random random)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: {app}-{i}\n  namespace: {ns}\n  labels:\n    app.kubernetes.io/part-of: shop\nspec:\n  endpointSelector:\n    matchLabels:\n      app: {app}\n  ingress:\n");
        for (var r = 0; r < 1 + random.Next(3); r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"    - fromEndpoints:\n        - matchLabels:\n            app: app{random.Next(97)}\n      toPorts:\n        - ports:\n            - port: \"{8000 + random.Next(100)}\"\n              protocol: TCP\n");
        }

        text.Append("  egress:\n    - toEndpoints:\n        - matchLabels:\n            k8s:io.kubernetes.pod.namespace: kube-system\n            k8s-app: kube-dns\n      toPorts:\n        - ports:\n            - port: \"53\"\n              protocol: ANY\n          rules:\n            dns:\n              - matchPattern: \"*\"\n");
        text.Append(CultureInfo.InvariantCulture, $"    - toFQDNs:\n        - matchName: api{i}.example.com\n      toPorts:\n        - ports:\n            - port: \"443\"\n              protocol: {(i % 50 == 7 ? "tcp" : "TCP")}\n");
        text.Append("    - toCIDRSet:\n        - cidr: 10.0.0.0/8\n          except:\n            - 10.96.0.0/12\n");
        return text.ToString();
    }

    private static string Pool(int i) => string.Create(CultureInfo.InvariantCulture,
        $"apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: pool-{i}\nspec:\n  blocks:\n    - cidr: 10.{100 + (i / 250)}.{i % 250}.0/{(i % 100 == 14 ? 23 : 24)}\n  serviceSelector:\n    matchLabels:\n      pool: pool-{i}\n");

    private static string L2(int i) => string.Create(CultureInfo.InvariantCulture,
        $"apiVersion: cilium.io/v2alpha1\nkind: CiliumL2AnnouncementPolicy\nmetadata:\n  name: l2-{i}\nspec:\n  loadBalancerIPs: true\n  interfaces: [\"^eth[0-9]+\"]\n  serviceSelector:\n    matchLabels:\n      pool: pool-{i - 2}\n");

    private static string Bgp(int i) => string.Create(CultureInfo.InvariantCulture,
        $"apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nmetadata:\n  name: bgp-{i}\nspec:\n  nodeSelector:\n    matchLabels:\n      rack: r{i}\n  bgpInstances:\n    - name: instance-{64000 + i}\n      localASN: {64000 + i}\n      peers:\n        - name: tor\n          peerASN: 65000\n          peerAddress: 192.168.{i % 250}.1\n          peerConfigRef:\n            name: peer-{i}\n---\napiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata:\n  name: peer-{i}\nspec:\n  timers:\n    holdTimeSeconds: 9\n    keepAliveTimeSeconds: 3\n  gracefulRestart:\n    enabled: true\n    restartTimeSeconds: 120\n  families:\n    - afi: ipv4\n      safi: unicast\n      advertisements:\n        matchLabels:\n          advertise: bgp-{i}\n---\napiVersion: cilium.io/v2\nkind: CiliumBGPAdvertisement\nmetadata:\n  name: adv-{i}\n  labels:\n    advertise: bgp-{i}\nspec:\n  advertisements:\n    - advertisementType: Service\n      service:\n        addresses: [LoadBalancerIP]\n      selector:\n        matchExpressions:\n          - {{key: somekey, operator: NotIn, values: [never-used-value]}}\n    - advertisementType: PodCIDR\n");

    private static string Deployment(string ns, string app) => string.Create(CultureInfo.InvariantCulture,
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  namespace: {ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n        - name: {app}\n          image: ghcr.io/example/{app}:1.0.0\n          ports:\n            - containerPort: 8080\n");

    private static string Service(string ns, string app) => string.Create(CultureInfo.InvariantCulture,
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  namespace: {ns}\n  labels:\n    pool: none\nspec:\n  selector:\n    app: {app}\n  ports:\n    - port: 80\n      targetPort: 8080\n");
}
