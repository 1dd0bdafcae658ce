using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>
/// A .NET 10 file-based app (<c>dotnet run cluster.cs</c>) that pulls the package with <c>#:package</c>, with the
/// default settings: a file-based app is <c>PublishAot=true</c>, so even <c>dotnet run</c> turns reflection-based
/// System.Text.Json off. Issue 17, defect 5: the writer's journal and the KubernetesClient models used reflection, and
/// such a script died with "JsonTypeInfo metadata for type ... was not provided", leaving staging files behind.
/// </summary>
public sealed class FileBasedScriptTests(PackagedSdk packages)
{
    [Fact]
    public async Task Package_directive_script_with_default_settings_validates_collects_every_error_and_writes_the_cluster()
    {
        await packages.EnsurePacked();
        var dir = packages.NewConsumerFolder("script");
        DotNet.WriteFile(Path.Combine(dir, "cluster.cs"), $$"""
            #:package Cilium.Sdk@{{packages.Version}}
            using Cilium.Sdk.Cluster;
            using Cilium.Sdk.LoadBalancing;

            var broken = CiliumCluster.Create("script")
                .WithNodeCidr("10.1.0.0/24")
                .WithNode(ClusterNode.Controller("cp-0", "10.1.0.300"))
                .WithLoadBalancerPool(LbPool.Create("pool").WithCidr("10.1.0.128"));
            foreach (var error in broken.Validate().Where(p => p.IsError))
            {
                Console.WriteLine("error at " + error.Path);
            }

            var cluster = CiliumCluster.Create("script")
                .WithNodeCidr("10.1.0.0/24")
                .WithApiAddress("10.1.0.20")
                .WithNode(ClusterNode.Controller("cp-0", "10.1.0.10"))
                .WithLoadBalancerPool(LbPool.Create("pool").WithCidr("10.1.0.128/27"))
                .Build();
            var result = cluster.Render().WriteTo(args[0]);
            Console.WriteLine($"wrote {result.Created.Count} file(s)");
            """);
        var outDir = Path.Combine(dir, "out");

        // --artifacts-path: the build output stays in the temp folder (by default it goes to a per-path folder in the
        // user's profile, and every run has a new path).
        var run = await DotNet.Run(dir, TimeSpan.FromMinutes(6), "run", "--file", "cluster.cs", "--artifacts-path", Path.Combine(dir, "artifacts"), "--", outDir);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.False(Directory.Exists(Path.Combine(outDir, ".cilium-sdk", "staging")), "the write left its staging folder");
        var lines = run.StdOutLines;
        // Both mistakes are reported, each at its own path.
        Assert.Contains(lines, l => l.StartsWith("error at nodes[0]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error at loadBalancer.pools[0]", StringComparison.Ordinal));
        var written = Repo.RelativeFiles(outDir);
        Assert.Contains(lines, l => l == $"wrote {written.Count} file(s)");
        Assert.Contains("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", written);
        Assert.Contains("cidr: 10.1.0.128/27", File.ReadAllText(Path.Combine(outDir, "kubernetes/apps/kube-system/cilium/app/networks.yaml")), StringComparison.Ordinal);
    }
}
