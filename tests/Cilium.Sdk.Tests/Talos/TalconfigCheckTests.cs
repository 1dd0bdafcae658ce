using System.Text.RegularExpressions;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Routing;
using Cilium.Sdk.Talos;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.Talos;

/// <summary>
/// The talconfig.yaml check: every template case read in place, and talconfigs written to break one thing each
/// (inline patches, JSON patches, workers, node patches, a KubePrism port other than the Helm values', a missing file,
/// no talconfig at all). Each finding names the file and line where the value is set, or talconfig.yaml's patches:
/// line where the SDK's patch would go.
/// </summary>
public sealed partial class TalconfigCheckTests
{
    private const string Talconfig = "talos/talconfig.yaml";

    private static RenderedCluster Render(KubeProxyReplacement? kpr = null) =>
        SampleClusters.HomeLab().WithKubeProxyReplacement(kpr ?? KubeProxyReplacement.On())
            .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, kpr is { Enabled: false } ? LoadBalancerMode.Snat : LoadBalancerMode.Dsr) // DSR needs the replacement
            .Build().Render();

    /// <summary>A repository of files by path, with the render's own Talos patch laid over it (as the writer will put it).</summary>
    private static Func<string, string?> Repo(IReadOnlyDictionary<string, string> files, RenderedCluster? render = null)
    {
        render ??= Render();
        return path => files.TryGetValue(path, out var text) ? text
            : render.Tree[path] is { } file ? file.Content : null;
    }

    private static TalconfigReport Check(IReadOnlyDictionary<string, string> files, RenderedCluster? render = null, bool adopt = false)
    {
        render ??= Render();
        return TalconfigCheck.Check(Talconfig, Repo(files, render), TalosNeeds.FromHelmValues(render.HelmValues), adopt);
    }

    private static Func<string, string?> CaseFiles(string @case)
    {
        var root = TestData.Shared("corpus", "template", "cases", @case);
        return path => File.Exists(Path.Combine(root, path)) ? File.ReadAllText(Path.Combine(root, path)) : null;
    }

    private static Dictionary<string, string> CaseCopy(string @case)
    {
        var root = TestData.Shared("corpus", "template", "cases", @case);
        return Directory.EnumerateFiles(Path.Combine(root, "talos"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText, StringComparer.Ordinal);
    }

    [GeneratedRegex("^\\s*-\\s*\"@\\./(?<file>[^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex FileEntry();

    private static int LineOf(string text, string needle) =>
        text.Split('\n').Select((l, i) => (l, i)).Single(x => x.l.Contains(needle, StringComparison.Ordinal)).i + 1;

    /// <summary>The line of a top-level key (talconfig.yaml's global patches:, not controlPlane's).</summary>
    private static int KeyLine(string text, string key) =>
        text.Split('\n').Select((l, i) => (l, i)).Single(x => x.l.StartsWith(key + ":", StringComparison.Ordinal)).i + 1;

    public static TheoryData<string> Cases() => TestData.TemplateCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_template_case_gives_Cilium_what_it_needs_and_warns_once_per_listed_patch_file_it_lacks(string @case)
    {
        var read = CaseFiles(@case);
        var talconfig = read(Talconfig)!;
        var render = Render();
        var report = TalconfigCheck.Check(Talconfig, p => read(p) ?? render.Tree[p]?.Content, TalosNeeds.FromHelmValues(render.HelmValues), withSdkPatch: false);

        Assert.Equal(Talconfig, report.Talconfig);
        Assert.False(report.SdkPatchListed);
        Assert.Empty(report.Errors); // cniConfig none, proxy disabled on the controllers, KubePrism on 7445 (Talos 1.12)

        // Independently: each "@./x" entry whose file the partial render lacks, at its own line.
        var lines = talconfig.Split('\n');
        var missing = lines.Select((l, i) => (Match: FileEntry().Match(l), Line: i + 1))
            .Where(x => x.Match.Success && read("talos/" + x.Match.Groups["file"].Value) is null)
            .Select(x => (Talconfig, (int?)x.Line, "talos/" + x.Match.Groups["file"].Value))
            .ToList();
        Assert.NotEmpty(missing); // machine-cloud-provider.yaml is in every case's list and in no case's files
        var fileWarnings = report.Warnings.Where(w => w.Message.Contains("not in the repository", StringComparison.Ordinal)).ToList();
        Assert.Equal(missing, fileWarnings.Select(w => (w.File, w.Line, Regex.Match(w.Message, "names (\\S+),").Groups[1].Value)).ToList());

        // And one says the SDK's patch is not applied, at the patches: line, though nothing is missing.
        var notListed = Assert.Single(report.Warnings.Except(fileWarnings));
        Assert.Equal((Talconfig, (int?)KeyLine(talconfig, "patches")), (notListed.File, notListed.Line));
        Assert.StartsWith("patches: does not list \"@./patches/global/cilium.yaml\"", notListed.Message, StringComparison.Ordinal);
        Assert.Contains("WriteOptions.Adopt", notListed.Fix, StringComparison.Ordinal);

        // Adopting adds the SDK's patch last; still nothing missing.
        Assert.Empty(TalconfigCheck.Check(Talconfig, p => read(p) ?? render.Tree[p]?.Content, TalosNeeds.FromHelmValues(render.HelmValues), withSdkPatch: true).Errors);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_template_case_without_cniConfig_reports_flannel_at_the_patches_line_and_the_sdk_patch_fixes_it(string @case)
    {
        var files = CaseCopy(@case);
        files[Talconfig] = files[Talconfig].Replace("# Disable built-in CNI to use Cilium\ncniConfig:\n  name: none\n", string.Empty, StringComparison.Ordinal);
        var patchesLine = KeyLine(files[Talconfig], "patches");

        var report = Check(files);

        var error = Assert.Single(report.Errors);
        Assert.Equal((Talconfig, (int?)patchesLine), (error.File, error.Line));
        Assert.StartsWith("cluster.network.cni.name is flannel on control-plane node", error.Message, StringComparison.Ordinal);
        Assert.Contains("k8s-0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Talos deploys flannel by default", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"@./patches/global/cilium.yaml\"", error.Fix, StringComparison.Ordinal);
        Assert.Contains("WriteOptions.Adopt", error.Fix, StringComparison.Ordinal); // the tool says --adopt
        Assert.DoesNotContain("TalosNeeds", error.ToString(), StringComparison.Ordinal);

        Assert.Empty(Check(files, adopt: true).Errors);
    }

    [Fact]
    public void A_controller_patch_that_stops_disabling_kube_proxy_is_reported_at_its_line()
    {
        var files = CaseCopy("a-defaults");
        files["talos/patches/controller/cluster.yaml"] = files["talos/patches/controller/cluster.yaml"].Replace("  proxy:\n    disabled: true", "  proxy:\n    disabled: false", StringComparison.Ordinal);

        var error = Assert.Single(Check(files).Errors);

        Assert.Equal(("talos/patches/controller/cluster.yaml", (int?)22), (error.File, error.Line));
        Assert.Equal("cluster.proxy.disabled is false on control-plane node k8s-0 (set here), but Cilium replaces kube-proxy (kubeProxyReplacement: true in the Cilium Helm values), so Talos must not deploy it", error.Message);
        Assert.StartsWith("set cluster.proxy.disabled: true there, or add \"@./patches/global/cilium.yaml\" as the last entry of patches: in talos/talconfig.yaml (line 42)", error.Fix, StringComparison.Ordinal);
        Assert.Empty(Check(files, adopt: true).Errors); // global patches come after the controllers' (talhelper)
    }

    [Fact]
    public void Without_kube_proxy_replacement_a_disabled_kube_proxy_is_wrong_and_the_sdk_patch_does_not_fix_it()
    {
        var render = Render(KubeProxyReplacement.Off());
        var files = CaseCopy("a-defaults");

        var error = Assert.Single(Check(files, render).Errors);
        Assert.Equal(("talos/patches/controller/cluster.yaml", (int?)22), (error.File, error.Line));
        Assert.Contains("kubeProxyReplacement: false", error.Message, StringComparison.Ordinal);
        Assert.Equal("set cluster.proxy.disabled: false there", error.Fix);
        Assert.Single(Check(files, render, adopt: true).Errors);
    }

    private const string Minimal = """
        clusterName: test
        talosVersion: v1.12.1
        endpoint: https://192.168.1.20:6443
        cniConfig:
          name: none
        nodes:
          - hostname: cp-0
            ipAddress: 192.168.1.10
            controlPlane: true
          - hostname: w-0
            ipAddress: 192.168.1.11
            controlPlane: false
        patches:
          - |-
            cluster:
              proxy:
                disabled: true

        """;

    [Fact]
    public void A_minimal_talconfig_with_an_inline_patch_is_complete()
    {
        var report = Check(new Dictionary<string, string> { [Talconfig] = Minimal });
        Assert.Empty(report.Errors);
        Assert.StartsWith("patches: does not list", Assert.Single(report.Warnings).Message, StringComparison.Ordinal);
        Assert.Empty(Check(new Dictionary<string, string> { [Talconfig] = Minimal }, adopt: true).Findings);
    }

    [Fact]
    public void An_inline_strategic_merge_patch_is_reported_at_its_own_line_in_talconfig()
    {
        var talconfig = Minimal.Replace("        disabled: true", "        disabled: false", StringComparison.Ordinal);

        var error = Assert.Single(Check(new Dictionary<string, string> { [Talconfig] = talconfig }).Errors);

        Assert.Equal((Talconfig, (int?)LineOf(talconfig, "disabled: false")), (error.File, error.Line));
        Assert.StartsWith("cluster.proxy.disabled is false on control-plane node cp-0 (set here)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("w-0", error.Message, StringComparison.Ordinal); // workers do not deploy kube-proxy
    }

    [Fact]
    public void Json_patches_inline_replace_and_remove_are_followed()
    {
        var talconfig = Minimal + """
              - |-
                - op: replace
                  path: /cluster/proxy/disabled
                  value: false
                - op: remove
                  path: /machine/features/kubePrism

            """;

        var errors = Check(new Dictionary<string, string> { [Talconfig] = talconfig }).Errors.ToList();

        Assert.Equal(2, errors.Count);
        Assert.Equal((int?)LineOf(talconfig, "value: false"), errors[0].Line); // the value the operation writes
        Assert.StartsWith("cluster.proxy.disabled is false on control-plane node cp-0 (set here)", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((int?)LineOf(talconfig, "op: remove"), errors[1].Line);
        Assert.StartsWith("machine.features.kubePrism.enabled is false on control-plane node cp-0 and worker node w-0 (removed here by a JSON patch (remove /machine/features/kubePrism))", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("port 7445", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_patch_file_adding_a_whole_section_sets_the_settings_inside_it()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal.Replace("cniConfig:\n  name: none\n", string.Empty, StringComparison.Ordinal) + "  - \"@./patches/cni.yaml\"\n",
            ["talos/patches/cni.yaml"] = "- op: add\n  path: /cluster/network/cni\n  value:\n    name: none\n",
        };

        Assert.Empty(Check(files).Errors);
    }

    [Fact]
    public void A_worker_only_patch_is_reported_for_the_workers_alone()
    {
        var talconfig = Minimal + """
            worker:
              patches:
                - "@./patches/worker/kubeprism.yaml"
                - "@./patches/worker/proxy.yaml"

            """;
        var files = new Dictionary<string, string>
        {
            [Talconfig] = talconfig,
            ["talos/patches/worker/kubeprism.yaml"] = "machine:\n  features:\n    kubePrism:\n      enabled: false\n",
            ["talos/patches/worker/proxy.yaml"] = "cluster:\n  proxy:\n    disabled: false\n", // a worker's kube-proxy setting deploys nothing
        };

        var error = Assert.Single(Check(files).Errors);

        Assert.Equal(("talos/patches/worker/kubeprism.yaml", (int?)4), (error.File, error.Line));
        Assert.StartsWith("machine.features.kubePrism.enabled is false on worker node w-0 (set here)", error.Message, StringComparison.Ordinal);
        Assert.Contains("or add \"@./patches/global/cilium.yaml\"", error.Fix, StringComparison.Ordinal);
        Assert.Empty(Check(files, adopt: true).Errors);
    }

    [Fact]
    public void A_node_patch_applies_to_that_node_and_override_patches_drops_its_groups()
    {
        var talconfig = Minimal.Replace("""
              - hostname: w-0
                ipAddress: 192.168.1.11
                controlPlane: false
            """, """
              - hostname: w-0
                ipAddress: 192.168.1.11
                controlPlane: false
                patches:
                  - "@./patches/w-0.yaml"
              - hostname: w-1
                ipAddress: 192.168.1.12
                overridePatches: true
                patches:
                  - "@./patches/w-1.yaml"
            """, StringComparison.Ordinal) + """
            worker:
              patches:
                - "@./patches/worker.yaml"

            """;
        var files = new Dictionary<string, string>
        {
            [Talconfig] = talconfig,
            ["talos/patches/worker.yaml"] = "machine:\n  features:\n    kubePrism:\n      port: 7000\n",
            ["talos/patches/w-0.yaml"] = "machine:\n  features:\n    kubePrism:\n      enabled: true\n",
            ["talos/patches/w-1.yaml"] = "machine:\n  features:\n    hostDNS:\n      enabled: true\n",
        };

        var error = Assert.Single(Check(files).Errors);

        Assert.Equal(("talos/patches/worker.yaml", (int?)4), (error.File, error.Line));
        Assert.StartsWith("machine.features.kubePrism.port is 7000 on worker node w-0 (set here)", error.Message, StringComparison.Ordinal); // not w-1: it overrides the group's patches
    }

    [Fact]
    public void A_kubeprism_port_other_than_the_helm_values_port_is_reported_and_the_sdk_patch_cannot_fix_it()
    {
        // Cilium pointed at 127.0.0.1:7446: the SDK's patch leaves KubePrism alone, Talos keeps 7445.
        var render = Render(KubeProxyReplacement.On(apiPort: 7446));
        Assert.Equal(7446, TalosNeeds.FromHelmValues(render.HelmValues).KubePrismPort);

        var error = Assert.Single(Check(new Dictionary<string, string> { [Talconfig] = Minimal }, render).Errors);

        Assert.Equal((Talconfig, (int?)KeyLine(Minimal, "patches")), (error.File, error.Line));
        Assert.Equal("machine.features.kubePrism.port is 7445 on control-plane node cp-0 and worker node w-0 (no patch changes it: Talos v1.12.1 turns KubePrism on at port 7445 by default), but Cilium reaches the Kubernetes API on port 7446 (k8sServicePort in the Cilium Helm values), so KubePrism must listen there", error.Message);
        Assert.Equal("add a patch setting machine.features.kubePrism.port: 7446 to patches: in talos/talconfig.yaml", error.Fix);
        Assert.Single(Check(new Dictionary<string, string> { [Talconfig] = Minimal }, render, adopt: true).Errors);
    }

    [Fact]
    public void A_patch_moving_kubeprism_off_the_helm_port_is_reported_where_it_sets_the_port()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal + "  - \"@./patches/global/kubeprism.yaml\"\n",
            ["talos/patches/global/kubeprism.yaml"] = "machine:\n  features:\n    kubePrism:\n      enabled: true\n      port: 7446\n",
        };

        var error = Assert.Single(Check(files).Errors);
        Assert.Equal(("talos/patches/global/kubeprism.yaml", (int?)5), (error.File, error.Line));
        Assert.StartsWith("machine.features.kubePrism.port is 7446 on control-plane node cp-0 and worker node w-0 (set here), but Cilium reaches the Kubernetes API on port 7445", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Talos_before_1_6_has_kubeprism_off_unless_a_patch_turns_it_on()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal.Replace("talosVersion: v1.12.1", "talosVersion: \"${talosVersion}\"", StringComparison.Ordinal),
            ["talos/talenv.yaml"] = "talosVersion: v1.5.5\n",
        };

        var error = Assert.Single(Check(files).Errors);
        Assert.StartsWith("machine.features.kubePrism.enabled is false on control-plane node cp-0 and worker node w-0 (no patch turns it on: Talos v1.5.5 leaves KubePrism off by default (on from 1.6))", error.Message, StringComparison.Ordinal);
        Assert.Empty(Check(files, adopt: true).Errors);
    }

    [Fact]
    public void A_patch_delete_of_the_proxy_section_brings_kube_proxy_back()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal + "  - \"@./patches/global/reset.yaml\"\n",
            ["talos/patches/global/reset.yaml"] = "cluster:\n  proxy:\n    $$patch: delete\n",
        };

        var error = Assert.Single(Check(files).Errors);
        Assert.Equal(("talos/patches/global/reset.yaml", (int?)3), (error.File, error.Line));
        Assert.Contains("(removed here by $patch: delete)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_global_patches_come_after_the_groups_and_decide()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal + "controlPlane:\n  patches:\n    - |-\n      cluster:\n        proxy:\n          disabled: false\n",
        };

        Assert.Empty(Check(files).Errors);
    }

    [Fact]
    public void Missing_and_unreadable_patch_files_are_warnings_never_a_crash()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal + "  - \"@./patches/global/gone.yaml\"\n  - \"@./patches/global/broken.yaml\"\n  - \"@../../outside.yaml\"\n",
            ["talos/patches/global/broken.yaml"] = "machine: [unclosed\n",
        };

        var report = Check(files);

        Assert.Empty(report.Errors);
        var warnings = report.Warnings.Select(w => w.Location + " " + w.Message).Where(w => !w.Contains("does not list", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith($"{Talconfig}:{LineOf(files[Talconfig], "gone.yaml")} patches entry \"@./patches/global/gone.yaml\" names talos/patches/global/gone.yaml, which is not in the repository", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("talos/patches/global/broken.yaml:", StringComparison.Ordinal) && w.Contains("not valid YAML", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("outside the repository", StringComparison.Ordinal));
    }

    [Fact]
    public void A_patch_with_a_duplicate_key_is_a_warning_at_that_key()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal + "  - \"@./patches/global/twice.yaml\"\n",
            ["talos/patches/global/twice.yaml"] = "machine:\n  features: {}\nmachine:\n  time: {}\n",
        };

        var report = Check(files);

        Assert.Empty(report.Errors);
        Assert.Contains(report.Warnings, w => w.Location == "talos/patches/global/twice.yaml:3" && w.Message.Contains("not valid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hostile_patch_nested_thousands_deep_is_a_warning_not_a_crash()
    {
        var files = new Dictionary<string, string>
        {
            [Talconfig] = Minimal + "  - \"@./patches/global/deep.yaml\"\n",
            ["talos/patches/global/deep.yaml"] = new string('[', 100_000) + new string(']', 100_000) + "\n",
        };

        var report = Check(files);

        Assert.Empty(report.Errors);
        Assert.Contains(report.Warnings, w => w.Location == "talos/patches/global/deep.yaml:1" && w.Message.Contains("nested more than 64 levels deep", StringComparison.Ordinal));
    }

    [Fact]
    public void No_talconfig_means_nothing_to_check()
    {
        var report = Check(new Dictionary<string, string>());
        Assert.Null(report.Talconfig);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void A_talconfig_that_is_not_yaml_is_one_warning()
    {
        var report = Check(new Dictionary<string, string> { [Talconfig] = "nodes: [\n" });
        var warning = Assert.Single(report.Findings);
        Assert.Equal(TalosFindingSeverity.Warning, warning.Severity);
        Assert.Contains("is not valid YAML", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapping_entry_is_read_as_the_patch_it_means_and_warned_about()
    {
        var talconfig = Minimal + "  - machine:\n      features:\n        kubePrism:\n          enabled: false\n";

        var report = Check(new Dictionary<string, string> { [Talconfig] = talconfig });

        var error = Assert.Single(report.Errors);
        Assert.Equal((int?)LineOf(talconfig, "enabled: false"), error.Line);
        var warning = Assert.Single(report.Warnings); // (an error is there, so no 'does not list' warning beside it)
        Assert.Contains("talhelper reads each entry as a string", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sdk_entry_is_recognised_when_listed()
    {
        var talconfig = Minimal.Replace("cniConfig:\n  name: none\n", string.Empty, StringComparison.Ordinal) + "  - \"@./patches/global/cilium.yaml\"\n";

        var report = Check(new Dictionary<string, string> { [Talconfig] = talconfig });

        Assert.True(report.SdkPatchListed);
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void No_nodes_checks_each_role_once()
    {
        var talconfig = "clusterName: x\nworker:\n  patches:\n    - |-\n      machine:\n        features:\n          kubePrism:\n            enabled: false\n";

        var errors = Check(new Dictionary<string, string> { [Talconfig] = talconfig }).Errors.Select(e => e.Message).ToList();

        Assert.Equal(3, errors.Count); // flannel and kube-proxy on the control plane, KubePrism off on workers
        Assert.Contains(errors, e => e.StartsWith("cluster.network.cni.name is flannel on control-plane nodes (", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("machine.features.kubePrism.enabled is false on worker nodes (set here)", StringComparison.Ordinal));
    }
}
