using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Flux;
using Cilium.Sdk.Helm;
using Cilium.Sdk.Output;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Talos;
using Cilium.Sdk.Validation;
using CrdKit.Validation;
using k8s;
using k8s.Models;

namespace Cilium.Sdk.Rendering;

/// <summary>
/// Turns a validated <see cref="ClusterSpec"/> into typed records, validates each record against the target Cilium
/// version's schema, and lays them out as the Flux tree. Pure: the same spec gives the same bytes.
/// </summary>
internal static class ClusterRenderer
{
    private const string Namespace = "kube-system";
    private const string App = "cilium";

    public static RenderedCluster Render(ClusterSpec spec, GitOpsLayout layout, IReadOnlyList<ValidationError> warnings, IReadOnlyList<Policies.PolicyFile>? writtenPolicies)
    {
        var version = spec.Version.ToString();
        var chart = spec.Chart ?? ChartSource.Official(spec.Version);
        var resources = new ClusterResources(Source(chart), Release(HelmValuesRenderer.Render(spec, Fragments(spec))), FluxKustomization(layout));
        foreach (var pool in spec.Pools)
        {
            resources.Pools.Add(Pool(pool));
        }

        if (spec.L2 is { } l2)
        {
            resources.L2Policy = new Resources.V2alpha1.CiliumL2AnnouncementPolicy
            {
                Metadata = new V1ObjectMeta { Name = l2.PolicyName },
                Spec = new L2AnnouncementPolicySpec
                {
                    Interfaces = L2Interfaces(spec, l2),
                    LoadBalancerIPs = l2.LoadBalancerIps ? true : null,
                    ExternalIPs = l2.ExternalIps ? true : null,
                    NodeSelector = Selector(l2.NodeSelector),
                },
            };
        }

        Bgp.BgpTopology? bgpTopology = null;
        if (spec.Bgp is { } bgp)
        {
            bgpTopology = ClusterValidator.BgpTopologyOf(spec) ?? throw new InvalidOperationException("BGP topology of a validated cluster");
            resources.Bgp = Bgp.BgpResources.Render(bgp, bgpTopology);
            if (resources.Bgp.PasswordSecret is not null)
            {
                resources.FluxKustomization.Spec!.Decryption = new Decryption { Provider = KustomizationProvider.Sops };
            }
        }

        // The policies were written by Build() as it checked them, their records let go: holding thousands of young
        // records while serializing made the garbage collector copy them all and grow the heap (see the render
        // benchmark). RenderedCluster.Resources builds the records again, the same, if asked. Only a
        // CustomizeResources hook, which must see and may change every record, gets them all built and written here.
        var customized = spec.CustomizeResources is not null;
        var streamed = spec.Policies is { } policies && !customized ? policies : null;
        if (spec.Policies is { } all && customized)
        {
            resources.Policies.AddRange(all.Render(spec.Version, spec.PolicyMode));
        }

        spec.CustomizeResources?.Invoke(resources);
        var problems = ValidateRecords(resources, version, customized);
        if (problems.Any(p => p.IsError))
        {
            throw new ClusterValidationException(problems.Concat(warnings).ToList());
        }

        var policyFiles = customized
            ? resources.Policies.Select(p => new Policies.PolicyFile(p.Folder, p.FileName, Document(p.Resource))).ToList()
            : writtenPolicies ?? (streamed is null ? [] : throw new InvalidOperationException("a built cluster's policies were not written"));
        var files = Layout(spec, resources, layout, policyFiles);
        if (spec.Bgp is { } options)
        {
            RouterConfig(files, options, bgpTopology!);
        }

        if (spec.ManifestOverrides is { Count: > 0 } overrides)
        {
            // What an adoption kept from the repository's files (fields the SDK does not set, comments), merged last.
            problems.AddRange(ManifestOverrides.Apply(files, overrides));
            if (problems.Any(p => p.IsError))
            {
                throw new ClusterValidationException(problems.Concat(warnings).ToList());
            }
        }

        var tree = files.ToTree();

        var secrets = spec.Bgp?.Password is { } password ? new[] { password } : [];
        Action<ClusterResources>? addPolicies = streamed is null ? null : r => r.Policies.AddRange(streamed.Expand(spec.Version, spec.PolicyMode));
        return new RenderedCluster(tree, resources, addPolicies, (JsonObject)resources.Release.Spec!.Values!, warnings.Concat(problems).ToList(), secrets);
    }

    // The policy's interfaces, else the interfaces every node declares (as exact-match regexes), else any interface.
    private static List<string>? L2Interfaces(ClusterSpec spec, L2.L2Announcements l2)
    {
        if (!l2.Interfaces.IsDefaultOrEmpty)
        {
            return l2.Interfaces.ToList();
        }

        if (spec.Nodes.IsDefaultOrEmpty || spec.Nodes.Any(n => n.Interfaces.IsDefaultOrEmpty))
        {
            return null;
        }

        return spec.Nodes.SelectMany(n => n.Interfaces).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(i => "^" + System.Text.RegularExpressions.Regex.Escape(i) + "$").ToList();
    }

    private static IEnumerable<JsonObject> Fragments(ClusterSpec spec)
    {
        // Feature fragments merged over the typed values, in a fixed order.
        if (spec.Bgp is not null)
        {
            yield return Bgp.BgpHelmValues.Create();
        }

        if (spec.Policies is not null)
        {
            yield return Policies.PolicyModes.HelmValues(spec.PolicyMode);
        }
    }

    /// <summary>Where the router's FRR config goes: plain when it holds no secret, else inside a SOPS-ready YAML file.</summary>
    public const string RouterConfigPath = "unifi/bgp.conf";

    /// <summary>The router config when it carries the BGP password, under <c>stringData.frr</c> (the key a repository's
    /// creation rule encrypts, <c>encrypted_regex: ^(data|stringData)$</c>): encrypt with sops; print it for the router
    /// with <c>cilium-sdk router-config</c> or <c>sops -d --extract '["stringData"]["frr"]' unifi/bgp.sops.yaml</c>.</summary>
    public const string SecretRouterConfigPath = "unifi/bgp.sops.yaml";

    private static void RouterConfig(OutputTree.Builder tree, Bgp.BgpOptions options, Bgp.BgpTopology topology)
    {
        var config = Frr.FrrConfigWriter.Build(options, topology);
        var text = Frr.FrrConfigWriter.Write(config);
        if (!config.ContainsSecret)
        {
            tree.Add(RouterConfigPath, text);
            return;
        }

        // Under stringData, which the repository's creation rule for secrets encrypts (sops' encrypted_regex
        // ^(data|stringData)$ would leave a top-level key, and the password in it, in clear).
        var wrapped = "# The gateway's FRR config; it carries the BGP password, so it is kept under stringData, which sops\n"
            + "# encrypts. Encrypt before committing: sops --encrypt --in-place unifi/bgp.sops.yaml\n"
            + "# Print it for the router with: cilium-sdk router-config (or sops -d --extract '[\"stringData\"][\"frr\"]' unifi/bgp.sops.yaml)\n"
            + Manifests.ToYaml(new JsonObject { ["stringData"] = new JsonObject { ["frr"] = text } });
        tree.Add(SecretRouterConfigPath, wrapped, isSecret: true);
    }

    private static Flux.V1.OCIRepository Source(ChartSource chart) => new()
    {
        Metadata = new V1ObjectMeta { Name = App },
        Spec = new OciRepositorySpec
        {
            Interval = "30m",
            Url = chart.Url,
            Ref = new OciRepositoryRef { Tag = chart.Tag },
            LayerSelector = new OciLayerSelector { MediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip", Operation = OCIRepositoryOperation.Copy },
        },
    };

    private static Flux.V2.HelmRelease Release(JsonObject values) => new()
    {
        Metadata = new V1ObjectMeta { Name = App },
        Spec = new HelmReleaseSpec
        {
            Interval = "1h",
            ChartRef = new ChartReference { Kind = HelmReleaseChartRefKind.OCIRepository, Name = App },
            Values = values,
        },
    };

    private static Flux.V1.Kustomization FluxKustomization(GitOpsLayout layout) => new()
    {
        Metadata = new V1ObjectMeta { Name = App },
        Spec = new KustomizationSpec
        {
            Interval = "1h",
            RetryInterval = "30s",
            Path = "./" + layout.AppFolder(Namespace, App) + "/app",
            Prune = true,
            SourceRef = new SourceReference { Kind = KustomizationKind.GitRepository, Name = layout.GitRepositoryName, Namespace = layout.FluxNamespace },
            TargetNamespace = Namespace,
            Wait = false,
        },
    };

    private static Resources.V2.CiliumLoadBalancerIPPool Pool(LoadBalancing.LbPool pool) => new()
    {
        Metadata = new V1ObjectMeta { Name = pool.Name },
        Spec = new LoadBalancerIpPoolSpec
        {
            AllowFirstLastIPs = pool.AllowFirstLastIps ? CiliumLoadBalancerIPPoolAllowFirstLastIPs.Yes : CiliumLoadBalancerIPPoolAllowFirstLastIPs.No,
            Blocks = pool.Blocks.Select(b => new IpPoolBlock { Cidr = b.CidrText, Start = b.Start, Stop = b.Stop }).ToList(),
            ServiceSelector = pool.ServiceSelector.IsEmpty ? null : Selector(pool.ServiceSelector),
        },
    };

    private static V1LabelSelector Selector(IEnumerable<KeyValuePair<string, string>> labels) =>
        new() { MatchLabels = new SortedDictionary<string, string>(labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal) };

    private static List<ValidationError> ValidateRecords(ClusterResources resources, string version, bool customized)
    {
        var problems = new List<ValidationError>();
        void Check(string what, IValidatable record)
        {
            var context = new ValidationContext(version);
            context.Validate(record, string.Empty);
            problems.AddRange(context.Errors.Select(e => e with { Path = string.IsNullOrEmpty(e.Path) ? what : $"{what}.{e.Path}" }));
        }

        Check($"resources.source[{resources.Source.Metadata.Name}]", resources.Source);
        Check($"resources.release[{resources.Release.Metadata.Name}]", resources.Release);
        Check($"resources.fluxKustomization[{resources.FluxKustomization.Metadata.Name}]", resources.FluxKustomization);
        foreach (var pool in resources.Pools)
        {
            Check($"resources.pools[{pool.Metadata.Name}]", pool);
        }

        if (resources.L2Policy is { } l2)
        {
            Check($"resources.l2Policy[{l2.Metadata.Name}]", l2);
        }

        foreach (var bgp in resources.Bgp?.NonSecretResources.OfType<IValidatable>() ?? [])
        {
            Check($"resources.bgp[{((IKubernetesObject<V1ObjectMeta>)bgp).Metadata?.Name}]", bgp);
        }

        // PolicySet.Render has just validated the policies; check them again only when the user could have changed them.
        foreach (var policy in customized ? resources.Policies : [])
        {
            if (policy.Resource is IValidatable record)
            {
                Check($"policies[{policy.Folder}/{policy.Name}]", record);
            }
        }

        foreach (var extra in resources.Extra.OfType<IValidatable>())
        {
            Check($"resources.extra[{((IKubernetesObject<V1ObjectMeta>)extra).Metadata?.Name}]", extra);
        }

        return problems;
    }

    private static OutputTree.Builder Layout(ClusterSpec spec, ClusterResources resources, GitOpsLayout layout, IReadOnlyList<Policies.PolicyFile> policies)
    {
        var appFolder = layout.AppFolder(Namespace, App);
        var networks = new List<object>();
        networks.AddRange(resources.Pools);
        if (resources.L2Policy is { } l2)
        {
            networks.Add(l2);
        }

        networks.AddRange(resources.Bgp?.NonSecretResources ?? []);
        networks.AddRange(resources.Extra);
        var appFiles = new List<string> { "helmrelease.yaml", "ocirepository.yaml" };
        // One builder for the whole tree: thousands of additions, frozen once (an immutable Add per file costs more).
        var tree = OutputTree.Empty.ToBuilder()
            .Add(appFolder + "/ks.yaml", Document(resources.FluxKustomization))
            .Add(appFolder + "/app/helmrelease.yaml", Document(resources.Release))
            .Add(appFolder + "/app/ocirepository.yaml", Document(resources.Source));
        if (networks.Count > 0)
        {
            tree.Add(appFolder + "/app/networks.yaml", Documents(networks));
            appFiles.Add("networks.yaml");
        }

        if (resources.Bgp?.PasswordSecret is { } secret)
        {
            tree.Add(appFolder + "/app/secret.sops.yaml", Document(secret), isSecret: true);
            appFiles.Add("secret.sops.yaml");
        }

        AddKustomization(tree, appFolder + "/app/kustomization.yaml", null, appFiles.Select(f => "./" + f));
        // Each namespace's apps: cilium in kube-system, then one network-policies app per namespace with policies.
        var apps = new SortedDictionary<string, List<string>>(StringComparer.Ordinal) { [Namespace] = [$"./{App}/ks.yaml"] };
        // By folder, then file name (the order Build() wrote them in; sorted here only when a CustomizeResources hook
        // made them): each folder's policies are one run, its kustomization's entries already in order.
        var ordered = InFileOrder(policies) ? policies : policies.OrderBy(p => p.Folder, StringComparer.Ordinal).ThenBy(p => p.FileName, StringComparer.Ordinal).ToList();
        for (var start = 0; start < ordered.Count;)
        {
            var key = ordered[start].Folder;
            var end = start + 1;
            while (end < ordered.Count && string.Equals(ordered[end].Folder, key, StringComparison.Ordinal))
            {
                end++;
            }

            var clusterWide = key == Policies.RenderedPolicy.ClusterWideFolder;
            var @namespace = clusterWide ? Namespace : key;
            var appName = clusterWide ? ClusterPoliciesApp : PoliciesApp;
            var folder = layout.AppFolder(@namespace, appName);
            var entries = new string[end - start];
            // Sequential on purpose: serializing in parallel measured slower (allocation-bound; see the render benchmark).
            for (var i = start; i < end; i++)
            {
                var policy = ordered[i];
                tree.Add($"{folder}/app/{policy.FileName}", policy.Text);
                entries[i - start] = "./" + policy.FileName;
            }

            start = end;
            AddKustomization(tree, $"{folder}/app/kustomization.yaml", null, entries);
            tree.Add($"{folder}/ks.yaml", Document(PoliciesKustomization(layout, appName, folder, clusterWide ? null : @namespace)));
            apps.TryAdd(@namespace, []);
            apps[@namespace].Add($"./{appName}/ks.yaml");
        }

        if (layout.WriteEntryPoints)
        {
            foreach (var (@namespace, entries) in apps)
            {
                AddKustomization(tree, $"{layout.AppsRoot}/{@namespace}/kustomization.yaml", @namespace, entries.Order(StringComparer.Ordinal));
            }

            AddKustomization(tree, $"{layout.AppsRoot}/kustomization.yaml", null, apps.Keys.Select(n => "./" + n));

            // The whole cluster's entry point belongs to the repository (its patches and deletionPolicy stay): created
            // when absent, never rewritten.
            tree.AddMerged(layout.EntryPoint, Document(RootKustomization(layout)), []);
        }

        return tree.Add(TalosPatches.CiliumPatchPath, TalosPatches.Cilium(spec));
    }

    private const string PoliciesApp = "network-policies";
    private const string ClusterPoliciesApp = "cluster-policies";

    // Policies need Cilium's CRDs, so their Flux Kustomization waits for the cilium one.
    private static Flux.V1.Kustomization PoliciesKustomization(GitOpsLayout layout, string name, string folder, string? targetNamespace) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new KustomizationSpec
        {
            Interval = "1h",
            RetryInterval = "30s",
            Path = "./" + folder + "/app",
            Prune = true,
            DependsOn = [new DependencyReference { Name = App, Namespace = Namespace }],
            SourceRef = new SourceReference { Kind = KustomizationKind.GitRepository, Name = layout.GitRepositoryName, Namespace = layout.FluxNamespace },
            TargetNamespace = targetNamespace,
            Wait = false,
        },
    };

    private static Flux.V1.Kustomization RootKustomization(GitOpsLayout layout) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cluster-apps", NamespaceProperty = layout.FluxNamespace },
        Spec = new KustomizationSpec
        {
            Interval = "1h",
            RetryInterval = "30s",
            Path = "./" + layout.AppsRoot,
            Prune = true,
            Decryption = new Decryption { Provider = KustomizationProvider.Sops },
            SourceRef = new SourceReference { Kind = KustomizationKind.GitRepository, Name = layout.GitRepositoryName, Namespace = layout.FluxNamespace },
            Wait = false,
        },
    };

    private static bool InFileOrder(IReadOnlyList<Policies.PolicyFile> policies)
    {
        for (var i = 1; i < policies.Count; i++)
        {
            var folder = string.CompareOrdinal(policies[i - 1].Folder, policies[i].Folder);
            if (folder > 0 || (folder == 0 && string.CompareOrdinal(policies[i - 1].FileName, policies[i].FileName) > 0))
            {
                return false;
            }
        }

        return true;
    }

    // Kustomizations are merged files: the SDK needs its entries in them; a repository's other entries, comments and
    // order stay (a template's namespace kustomization lists other apps, namespace.yaml and the sops component). The
    // content is written from the entries here, so the tree need not read it back to find them.
    private static void AddKustomization(OutputTree.Builder tree, string path, string? @namespace, IEnumerable<string> resources)
    {
        var entries = resources as IReadOnlyList<string> ?? resources.ToList();
        var merged = new MergedEntry[entries.Count];
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = MergedEntry.Scalar("resources", entries[i]);
        }

        tree.AddMergedWritten(path, KustomizeFile(@namespace, entries), merged);
    }

    // The bytes YamlJsonBridge.Write gives the JSON object { apiVersion, kind, namespace?, resources: [...] } (a test
    // holds the two to the same text), written straight to the YAML writer: a folder's kustomization lists every
    // policy of it, so no JSON node per entry.
    internal static string KustomizeFile(string? @namespace, IReadOnlyList<string> resources)
    {
        const string prefix = "---\n";
        var writer = YamlBlockWriter.Rent(prefix);
        try
        {
            writer.StartMapping(isEmpty: false);
            writer.Key("apiVersion");
            writer.String("kustomize.config.k8s.io/v1beta1");
            writer.Key("kind");
            writer.String("Kustomization");
            if (@namespace is not null)
            {
                writer.Key("namespace");
                writer.String(@namespace);
            }

            writer.Key("resources");
            writer.StartSequence(isEmpty: resources.Count == 0);
            if (resources.Count > 0)
            {
                for (var i = 0; i < resources.Count; i++)
                {
                    writer.String(resources[i]);
                }

                writer.End();
            }

            writer.End();
            return writer.ToDocument(prefix.Length);
        }
        finally
        {
            writer.Return();
        }
    }

    /// <summary>A record as one file's document: a <c>---</c> line, then the YAML.</summary>
    internal static string Document(object record) => Manifests.WriteDocument(record, "---\n");

    private static string Documents(IEnumerable<object> records) => string.Concat(records.Select(Document));
}
