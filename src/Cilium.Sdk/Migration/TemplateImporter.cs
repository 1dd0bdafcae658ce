using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Migration;

/// <summary>The result of importing a template's settings: the cluster builder (null on errors) and every problem.</summary>
/// <param name="Cluster">The cluster, ready to validate and render; null when the files had errors.</param>
/// <param name="Problems">Reading errors and warnings, then the import's own notes.</param>
/// <param name="IgnoredKeys">cluster.yaml keys the Cilium parts do not use.</param>
/// <param name="Settings">The typed settings read.</param>
public sealed record TemplateImport(CiliumClusterBuilder? Cluster, IReadOnlyList<ValidationError> Problems, IReadOnlyList<string> IgnoredKeys, TemplateSettings? Settings)
{
    /// <summary>Where each key and node was read.</summary>
    internal TemplateSources? Sources { get; init; }

    /// <summary>The cluster.yaml key behind a builder path the importer filled from it (the pool and each pinned IP).</summary>
    internal IReadOnlyDictionary<string, string> PathKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="problems"/> (the cluster's own validation, or rendering) in the template's terms: each at the
    /// <c>cluster.yaml</c> key (or the <c>nodes.yaml</c> node) it comes from, with the file and line, and a fix that
    /// names keys instead of the builder's API. Problems the reader found are already in those terms.
    /// </summary>
    /// <param name="problems">The problems to translate.</param>
    /// <returns>The same problems, in the same order.</returns>
    public IReadOnlyList<ValidationError> InTemplateTerms(IEnumerable<ValidationError> problems) => TemplateTerms.Translate(this, problems);
}

/// <summary>
/// Maps the makejinja template's settings onto the SDK's cluster model with the template's own rules (FINDINGS.md
/// "What drives what"), fixing what FINDINGS.md lists as wrong.
/// </summary>
public static class TemplateImporter
{
    /// <summary>The namespace of the template's gateway Services.</summary>
    public const string GatewayNamespace = "network";

    /// <summary>Reads and maps <c>cluster.yaml</c> and <c>nodes.yaml</c> from disk.</summary>
    public static TemplateImport ImportFiles(string clusterYamlPath, string nodesYamlPath) =>
        Map(TemplateReader.ReadFiles(clusterYamlPath, nodesYamlPath));

    /// <summary>Reads and maps <c>cluster.yaml</c> and <c>nodes.yaml</c> from disk with <paramref name="options"/>.</summary>
    public static TemplateImport ImportFiles(string clusterYamlPath, string nodesYamlPath, TemplateReadOptions options) =>
        Map(TemplateReader.ReadFiles(clusterYamlPath, nodesYamlPath, options));

    /// <summary>Reads and maps the two files' text.</summary>
    public static TemplateImport Import(string clusterYaml, string nodesYaml) => Map(TemplateReader.Read(clusterYaml, nodesYaml));

    /// <summary>Reads and maps the two files' text with <paramref name="options"/>.</summary>
    public static TemplateImport Import(string clusterYaml, string nodesYaml, TemplateReadOptions options) =>
        Map(TemplateReader.Read(clusterYaml, nodesYaml, options));

    private static TemplateImport Map(TemplateReadResult read)
    {
        if (read.Settings is not { } s)
        {
            return new TemplateImport(null, read.Problems, read.IgnoredKeys, null) { Sources = read.Sources };
        }

        var pathKeys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["loadBalancer.pools[0]"] = s.LbPoolCidr is null ? "node_cidr" : "cilium_lb_pool_cidr",
        };

        var notes = new List<ValidationError>(read.Problems);
        var builder = CiliumCluster.Create(s.ClusterName)
            .WithCiliumVersion(CiliumVersion.V1_19)
            .WithNodeCidr(s.NodeCidr)
            .WithPodCidr(s.PodCidr)
            .WithServiceCidr(s.ServiceCidr)
            .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, s.LoadBalancerMode == "snat" ? LoadBalancerMode.Snat : LoadBalancerMode.Dsr);
        if (s.ApiAddress is not null)
        {
            builder = builder.WithApiAddress(s.ApiAddress);
        }

        if (s.Gateway is not null)
        {
            builder = builder.WithGateway(s.Gateway);
        }

        foreach (var node in s.Nodes)
        {
            builder = builder.WithNode(node.Controller ? ClusterNode.Controller(node.Name, node.Address) : ClusterNode.Worker(node.Name, node.Address));
        }

        builder = builder.WithLoadBalancerPool(Pool(s, notes));
        var pins = 0;
        foreach (var (name, key, address) in new[]
        {
            ("envoy-internal", "cluster_gateway_addr", s.InternalGatewayAddress), ("envoy-external", "cloudflare_gateway_addr", s.ExternalGatewayAddress),
            ("k8s-gateway", "cluster_dns_gateway_addr", s.DnsGatewayAddress),
        })
        {
            if (address is not null)
            {
                builder = builder.WithPinnedServiceIp(GatewayNamespace, name, address);
                pathKeys[ValidationPath.Index("loadBalancer.pinnedIps", pins++)] = key;
            }
        }

        builder = s.BgpEnabled ? builder.WithBgp(Bgp(s, notes)) : builder.WithL2Announcements();
        if (s.HubbleEnabled || s.HubbleUiEnabled)
        {
            var hubble = HubbleOptions.Default.WithMetrics([.. HubbleMetric.Standard(s.TracingEnabled)]) with { Enabled = s.HubbleEnabled };
            builder = builder.WithHubble(s.HubbleUiEnabled ? hubble.WithUi() : hubble);
        }

        if (s.MonitoringEnabled)
        {
            builder = builder.WithMonitoring(new Monitoring(Tracing: s.TracingEnabled));
        }

        if (s.NetworkPoliciesEnabled)
        {
            var mode = s.NetworkPoliciesMode == "enforce" ? Policies.PolicyMode.Enforce : Policies.PolicyMode.Audit;
            builder = builder.WithPolicies(Policies.Presets.For([.. ComponentsOf(s)]), mode);
        }

        return new TemplateImport(builder, notes, read.IgnoredKeys, s) { Sources = read.Sources, PathKeys = pathKeys };
    }

    /// <summary>The components a template cluster runs, from its switches (the template's own conditions).</summary>
    private static IEnumerable<Policies.Component> ComponentsOf(TemplateSettings s)
    {
        bool On(string flag) => s.ComponentFlags.GetValueOrDefault(flag);
        IEnumerable<Policies.Component> Always() =>
        [
            Policies.Components.CoreDns, Policies.Components.MetricsServer, Policies.Components.Reloader,
            Policies.Components.FluxControllers, Policies.Components.CertManagerController, Policies.Components.CertManagerWebhook,
            Policies.Components.CertManagerCainjector, Policies.Components.EnvoyGatewayController, Policies.Components.EnvoyInternal,
            Policies.Components.EnvoyExternal, Policies.Components.CloudflareTunnel, Policies.Components.ExternalDnsCloudflare,
            Policies.Components.K8sGateway,
        ];
        var switches = new (bool On, Policies.Component[] Components)[]
        {
            // The template deploys Spegel unless spegel_enabled says otherwise when there is more than one node.
            (s.ComponentFlags.TryGetValue("spegel_enabled", out var spegel) ? spegel : TemplateDefaults.SpegelEnabled(s.Nodes.Length), [Policies.Components.Spegel]),
            (s.HubbleEnabled, [Policies.Components.HubbleRelay]),
            (s.HubbleUiEnabled, [Policies.Components.HubbleUi]),
            (s.MonitoringEnabled, [Policies.Components.Prometheus, Policies.Components.Grafana, Policies.Components.Alertmanager, Policies.Components.Alloy]),
            (On("loki_enabled"), [Policies.Components.Loki]),
            (s.TracingEnabled, [Policies.Components.Tempo]),
            (On("rustfs_enabled"), [Policies.Components.ObjectStore]),
            (On("dragonfly_enabled"), [Policies.Components.Cache]),
            (On("keycloak_enabled"), [Policies.Components.Keycloak, Policies.Components.KeycloakPostgres]),
            (On("litellm_enabled"), [Policies.Components.LiteLlm, Policies.Components.LiteLlmPostgres]),
            (On("langfuse_enabled"), [Policies.Components.Langfuse, Policies.Components.LangfusePostgres, Policies.Components.ClickHouse]),
        };
        return Always().Concat(switches.Where(x => x.On).SelectMany(x => x.Components));
    }

    private static Bgp.BgpOptions Bgp(TemplateSettings s, List<ValidationError> notes)
    {
        if (!Ipv4.TryParseAddress(s.BgpRouterAddress, out var router, out var fix))
        {
            notes.Add(new ValidationError("cilium_bgp_router_addr", s.BgpRouterAddress, "is not a valid IPv4 address", fix, "template"));
            router = System.Net.IPAddress.Any;
        }

        // The template's defaults for every omitted key (TemplateDefaults), not the builder's own (hold 9 / keepalive 3,
        // ECMP one path per node): a migrated repository keeps what the template rendered.
        var defaults = Sdk.Bgp.BgpTimerOptions.Default;
        return new Bgp.BgpOptions(router, s.BgpRouterAsn!.Value, s.BgpNodeAsn!.Value)
        {
            Timers = defaults with
            {
                HoldTimeSeconds = s.BgpHoldTime ?? TemplateDefaults.BgpHoldTimeSeconds,
                KeepAliveTimeSeconds = s.BgpKeepaliveTime ?? TemplateDefaults.BgpKeepaliveTimeSeconds,
            },
            GracefulRestart = s.BgpGracefulRestart ?? TemplateDefaults.BgpGracefulRestart
                ? Sdk.Bgp.BgpGracefulRestartOptions.On(s.BgpGracefulRestartTime ?? TemplateDefaults.BgpGracefulRestartTimeSeconds)
                : Sdk.Bgp.BgpGracefulRestartOptions.Disabled,
            EcmpMaxPaths = s.BgpEcmpMaxPaths ?? TemplateDefaults.BgpEcmpMaxPaths,
            Password = s.BgpPassword,
        };
    }

    private static LbPool Pool(TemplateSettings s, List<ValidationError> notes)
    {
        var pool = LbPool.Create("pool").WithFirstLastIps(false);
        if (s.LbPoolCidr is not null)
        {
            return pool.WithCidr(s.LbPoolCidr);
        }

        // The template hands LB-IPAM the whole node network, node and API addresses included. Keep its intent (LB IPs
        // from the LAN) as ranges that skip the addresses the cluster itself uses.
        if (!Ipv4.TryParseCidr(s.NodeCidr, out var network, out _))
        {
            return pool.WithCidr(s.NodeCidr);
        }

        var range = Ipv4Range.Of(network);
        var taken = s.Nodes.Select(n => n.Address).Append(s.ApiAddress).Append(s.Gateway ?? Ipv4.Text(range.First + 1))
            .Select(a => Ipv4.TryParseAddress(a, out var ip, out _) ? Ipv4.ToUInt(ip) : (uint?)null)
            .OfType<uint>().Where(range.Contains).Distinct().Order().ToList();
        var start = range.First + 1;
        foreach (var address in taken.Append(range.Last))
        {
            if (address > start)
            {
                pool = pool.WithRange(Ipv4.Text(start), Ipv4.Text(address - 1));
            }

            start = Math.Max(start, address + 1);
        }

        notes.Add(new ValidationError("cilium_lb_pool_cidr", null,
            $"is not set, so the template's LoadBalancer pool is the whole node network {s.NodeCidr}; the SDK keeps that intent but leaves out the node, API and gateway addresses ({taken.Count} addresses), which LB-IPAM would otherwise hand to Services",
            "set cilium_lb_pool_cidr to a dedicated range (or reserve the pool's addresses in your DHCP server)", "template", ValidationSeverity.Warning));
        return pool;
    }
}
