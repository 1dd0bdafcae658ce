using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Cluster;

public sealed class ClusterBuilderTests
{
    [Fact]
    public void Builder_is_immutable_every_With_returns_a_new_builder_and_leaves_the_original_alone()
    {
        var baseBuilder = SampleClusters.HomeLab();
        var branched = baseBuilder.WithPodCidr("10.50.0.0/16").WithNode(ClusterNode.Worker("k8s-9", "192.168.1.19"));

        Assert.NotSame(baseBuilder, branched);
        Assert.Equal("10.42.0.0/16", baseBuilder.Spec.Networks.PodCidr);
        Assert.Equal(3, baseBuilder.Spec.Nodes.Length);
        Assert.Equal("10.50.0.0/16", branched.Spec.Networks.PodCidr);
        Assert.Equal(4, branched.Spec.Nodes.Length);
    }

    [Fact]
    public void Lists_append_and_scalars_replace()
    {
        var builder = SampleClusters.HomeLab()
            .WithLoadBalancerPool(LbPool.Create("second").WithCidr("172.20.10.0/24"))
            .WithCiliumVersion(CiliumVersion.V1_19)
            .WithCiliumVersion(CiliumVersion.V1_20);

        Assert.Equal(["pool", "second"], builder.Spec.Pools.Select(p => p.Name));
        Assert.Equal(CiliumVersion.V1_20, builder.Spec.Version);
    }

    [Fact]
    public void The_homelab_builds_without_errors_or_warnings()
    {
        var cluster = SampleClusters.HomeLab().Build();

        Assert.Empty(cluster.Warnings);
        Assert.Equal("home", cluster.Spec.Name);
    }

    [Fact]
    public void Build_throws_with_every_error_at_once()
    {
        var builder = CiliumCluster.Create("Bad_Name")
            .WithNodeCidr("192.168.1.0/24")
            .WithPodCidr("10.42.0.1/16")
            .WithNode(ClusterNode.Controller("k8s-0", "192.168.2.10"))
            .WithLoadBalancerPool(LbPool.Create("pool").WithCidr("10.43.0.0/24"));

        var exception = Assert.Throws<ClusterValidationException>(() => builder.Build());

        var paths = exception.Errors.Where(e => e.IsError).Select(e => e.Path).ToList();
        Assert.Contains("name", paths);
        Assert.Contains("networks.podCidr", paths);
        Assert.Contains("networks.nodeCidr", paths); // no node lies in it: reported there once, not at each node
        Assert.Contains("loadBalancer.pools[0].blocks[0]", paths);
        Assert.Contains("did you mean 10.42.0.0/16?", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rendered_manifest_reads_back_into_its_generated_type_and_validates_for_its_version()
    {
        foreach (var version in CiliumVersion.Supported)
        {
            var rendered = SampleClusters.HomeLab(version).Build().Render();
            var manifests = rendered.Tree.Files.Where(f => f.Path.StartsWith("kubernetes/", StringComparison.Ordinal) && !f.Path.EndsWith("/kustomization.yaml", StringComparison.Ordinal));
            var count = 0;
            foreach (var file in manifests)
            {
                foreach (var document in Manifests.ParseYaml(file.Content))
                {
                    var record = Manifests.ReadAny(Manifests.ToYaml(document));
                    var context = new CrdKit.Validation.ValidationContext(version.ToString());
                    ((CrdKit.Validation.IValidatable)record).Validate(context, string.Empty);
                    var errors = context.Errors;
                    Assert.True(errors.Count == 0, $"{file.Path}: {string.Join("; ", errors)}");
                    count++;
                }
            }

            Assert.True(count >= 6, $"expected at least 6 manifests, read {count}");
        }
    }

    [Fact]
    public void L2_policy_is_written_as_v2alpha1_the_only_version_Cilium_serves()
    {
        var networks = SampleClusters.HomeLab().Build().Render().Tree["kubernetes/apps/kube-system/cilium/app/networks.yaml"];

        Assert.NotNull(networks);
        Assert.Contains("apiVersion: cilium.io/v2alpha1\nkind: CiliumL2AnnouncementPolicy", networks.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_L2_there_is_no_policy_and_no_l2announcements_value()
    {
        var rendered = SampleClusters.HomeLab().WithoutL2Announcements().Build().Render();

        Assert.Null(rendered.Resources.L2Policy);
        Assert.False(rendered.HelmValues.ContainsKey("l2announcements"));
    }

    [Fact]
    public void Helm_overrides_merge_over_the_sdk_values_and_null_removes_a_key()
    {
        var rendered = SampleClusters.HomeLab()
            .WithHelmValues(new JsonObject { ["operator"] = new JsonObject { ["replicas"] = 2 }, ["socketLB"] = null })
            .Build().Render();

        Assert.Equal("2", rendered.HelmValues["operator"]!["replicas"]!.ToJsonString());
        Assert.True(rendered.HelmValues["operator"]!["rollOutPods"]!.GetValue<bool>());
        Assert.False(rendered.HelmValues.ContainsKey("socketLB"));
    }

    [Fact]
    public void CustomizeResources_reaches_the_raw_records_and_the_result_is_still_validated()
    {
        var customized = SampleClusters.HomeLab()
            .CustomizeResources(r => r.Pools[0].Spec.Disabled = true)
            .Build().Render();
        Assert.Contains("disabled: true", customized.Tree["kubernetes/apps/kube-system/cilium/app/networks.yaml"]!.Content, StringComparison.Ordinal);

        var broken = SampleClusters.HomeLab().CustomizeResources(r => r.Pools[0].Spec.Blocks![0].Cidr = "not-a-cidr").Build();
        var exception = Assert.Throws<ClusterValidationException>(() => broken.Render());
        Assert.Contains(exception.Errors, e => e.Path.StartsWith("resources.pools[pool].spec.blocks[0]", StringComparison.Ordinal));
    }

    /// <summary>A render writes each policy as it builds it and lets the record go; Resources builds them again on
    /// first use. Those records must be the ones written, in the order written.</summary>
    [Fact]
    public void The_policy_records_of_a_render_are_exactly_the_policies_written()
    {
        var rendered = SampleClusters.HomeLab().WithPolicies(Sdk.Policies.Presets.All(), Sdk.Policies.PolicyMode.Enforce).Build().Render();
        var policyFiles = rendered.Tree.Files.Where(f => f.Path.Contains("/network-policies/app/", StringComparison.Ordinal) || f.Path.Contains("/cluster-policies/app/", StringComparison.Ordinal))
            .Where(f => !f.Path.EndsWith("/kustomization.yaml", StringComparison.Ordinal))
            .ToList();

        var records = rendered.Resources.Policies;

        Assert.Equal(Sdk.Policies.Presets.All().Policies.Count, records.Count);
        Assert.Equal(policyFiles.Count, records.Count);
        Assert.Equal(records.OrderBy(p => p.Folder, StringComparer.Ordinal).ThenBy(p => p.FileName, StringComparer.Ordinal), records);
        foreach (var record in records)
        {
            var file = Assert.Single(policyFiles, f => f.Path.EndsWith("/app/" + record.FileName, StringComparison.Ordinal) && f.Path.Contains("/" + (record.Namespace ?? "kube-system") + "/", StringComparison.Ordinal));
            Assert.Equal("---\n" + record.ToYaml(), file.Content);
        }

        Assert.Same(records, rendered.Resources.Policies);
    }

    [Fact]
    public void CustomizeResources_sees_every_policy_record_and_its_changes_are_written_and_validated()
    {
        var seen = 0;
        var rendered = SampleClusters.HomeLab()
            .WithPolicies(Sdk.Policies.Presets.All(), Sdk.Policies.PolicyMode.Enforce)
            .CustomizeResources(r =>
            {
                seen = r.Policies.Count;
                foreach (var policy in r.Policies)
                {
                    ((Sdk.Resources.V2.CiliumNetworkPolicy?)(policy.Resource as Sdk.Resources.V2.CiliumNetworkPolicy))?.Spec!.Description = "reviewed";
                }
            })
            .Build().Render();

        Assert.Equal(Sdk.Policies.Presets.All().Policies.Count, seen);
        var namespaced = rendered.Resources.Policies.Where(p => p.Namespace is not null).ToList();
        Assert.NotEmpty(namespaced);
        Assert.All(namespaced, p => Assert.Contains("description: reviewed", rendered.Tree.Files.Single(f => f.Path.EndsWith("/" + p.Namespace + "/network-policies/app/" + p.FileName, StringComparison.Ordinal)).Content, StringComparison.Ordinal));

        var broken = SampleClusters.HomeLab()
            .WithPolicies(Sdk.Policies.Presets.All(), Sdk.Policies.PolicyMode.Enforce)
            .CustomizeResources(r => ((Sdk.Resources.V2.CiliumNetworkPolicy)r.Policies.First(p => p.Namespace is not null).Resource).Spec!.EndpointSelector = null)
            .Build();
        var exception = Assert.Throws<ClusterValidationException>(() => broken.Render());
        Assert.Contains(exception.Errors, e => e.Path.StartsWith("policies[", StringComparison.Ordinal) && e.IsError);
    }

    [Fact]
    public void Monitoring_pieces_are_only_emitted_with_a_monitoring_stack()
    {
        var without = SampleClusters.HomeLab().WithHubble().Build().Render().HelmValues;
        var with = SampleClusters.HomeLab().WithHubble().WithMonitoring().Build().Render().HelmValues;

        Assert.Null(without["prometheus"]!["serviceMonitor"]);
        Assert.Null(without["hubble"]!["metrics"]!["serviceMonitor"]);
        Assert.Null(without["dashboards"]);
        Assert.True(with["prometheus"]!["serviceMonitor"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("monitoring", with["hubble"]!["metrics"]!["dashboards"]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public void Talos_patch_sets_cni_none_disables_kube_proxy_and_enables_KubePrism()
    {
        var patch = Manifests.ParseYaml(SampleClusters.HomeLab().Build().Render().Tree["talos/patches/global/cilium.yaml"]!.Content).Single();

        Assert.Equal("none", patch["cluster"]!["network"]!["cni"]!["name"]!.GetValue<string>());
        Assert.True(patch["cluster"]!["proxy"]!["disabled"]!.GetValue<bool>());
        Assert.Equal("7445", patch["machine"]!["features"]!["kubePrism"]!["port"]!.ToJsonString());
    }

    [Fact]
    public void Pinned_services_get_the_lbipam_annotation_and_others_none()
    {
        var cluster = SampleClusters.HomeLab().Build();

        Assert.Equal("192.168.1.201", cluster.ServiceAnnotations("network", "envoy-internal")["lbipam.cilium.io/ips"]);
        Assert.Empty(cluster.ServiceAnnotations("network", "other"));
    }

    [Fact]
    public void L2_announces_on_the_interfaces_the_nodes_declare_unless_the_policy_names_its_own()
    {
        var fromNodes = CiliumCluster.Create("home").WithNodeCidr("192.168.1.0/24")
            .WithNodes(ClusterNode.Controller("k8s-0", "192.168.1.10").WithInterfaces("eth0"), ClusterNode.Worker("k8s-1", "192.168.1.11").WithInterfaces("eno1"))
            .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.1.200", "192.168.1.210"))
            .WithL2Announcements();

        Assert.Equal(["^eno1$", "^eth0$"], fromNodes.Build().Render().Resources.L2Policy!.Spec!.Interfaces!);
        var own = fromNodes.WithL2Announcements(Cilium.Sdk.L2.L2Announcements.Default.OnInterfaces("^en.*"));
        Assert.Equal(["^en.*"], own.Build().Render().Resources.L2Policy!.Spec!.Interfaces!);
    }

    [Fact]
    public void Hubble_relay_resources_and_tolerations_are_configurable()
    {
        var hubble = Cilium.Sdk.Hubble.HubbleOptions.Default.WithUi()
            .WithRelayResources(new Dictionary<string, string> { ["cpu"] = "100m" }, new Dictionary<string, string> { ["memory"] = "256Mi" })
            .WithTolerations(new Cilium.Sdk.Helm.TolerationValue { Key = "dedicated", Operator = "Equal", Value = "infra", Effect = "NoSchedule" });

        var values = SampleClusters.HomeLab().WithHubble(hubble).Build().Render().HelmValues["hubble"]!;

        Assert.Equal("100m", values["relay"]!["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("256Mi", values["relay"]!["resources"]!["limits"]!["memory"]!.GetValue<string>());
        Assert.Equal("infra", values["ui"]!["tolerations"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void ToString_names_the_cluster_without_dumping_it()
    {
        Assert.Equal("CiliumCluster home (Cilium 1.20, 3 node(s))", SampleClusters.HomeLab().Build().ToString());
    }
}
