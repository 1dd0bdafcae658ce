using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Helm;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.Routing;

namespace Cilium.Sdk.Rendering;

/// <summary>
/// The Cilium chart values for a cluster: the builder's intent as typed <see cref="CiliumValues"/>, then the feature
/// fragments (BGP, policy mode) and the user's overrides merged over them.
/// </summary>
internal static class HelmValuesRenderer
{
    // Talos runs Cilium without these capabilities by default; the agent needs them (Talos' Cilium guide).
    private static readonly string[] AgentCapabilities =
        ["CHOWN", "KILL", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "SYS_ADMIN", "SYS_RESOURCE", "PERFMON", "BPF", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"];

    private static readonly string[] CleanStateCapabilities = ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"];

    public static CiliumValues Typed(ClusterSpec spec)
    {
        var native = spec.Routing.Mode == RoutingMode.Native;
        var kpr = spec.KubeProxyReplacement;
        var monitoring = spec.Monitoring;
        var dashboards = monitoring is null
            ? null
            : new DashboardsValues { Enabled = true, Annotations = new SortedDictionary<string, string> { ["grafana_folder"] = monitoring.GrafanaFolder } };
        return new CiliumValues
        {
            AutoDirectNodeRoutes = native ? spec.Routing.AutoDirectNodeRoutes : null,
            BgpControlPlane = null,
            Bpf = new BpfValues { Masquerade = true, HostLegacyRouting = true },
            Cgroup = new CgroupValues { AutoMount = new EnabledValue(false), HostRoot = "/sys/fs/cgroup" },
            Cni = new CniValues { Exclusive = false },
            Dashboards = dashboards,
            EndpointRoutes = new EnabledValue(true),
            Envoy = new EnabledValue(false),
            GatewayApi = new EnabledValue(false),
            Hubble = Hubble(spec.Hubble, monitoring),
            Ipam = new IpamValues { Mode = "kubernetes" },
            Ipv4NativeRoutingCidr = native ? spec.Routing.NativeRoutingCidr ?? spec.Networks.PodCidr : null,
            K8sServiceHost = kpr.ApiHost,
            K8sServicePort = kpr.ApiPort,
            KubeProxyReplacement = kpr.Enabled,
            KubeProxyReplacementHealthzBindAddr = kpr.Enabled ? kpr.HealthzBindAddress : null,
            L2Announcements = spec.L2 is null ? null : new EnabledValue(true),
            LoadBalancer = new LoadBalancerValues
            {
                Algorithm = spec.LoadBalancer.Algorithm.ToString().ToLowerInvariant(),
                Mode = spec.LoadBalancer.Mode.ToString().ToLowerInvariant(),
            },
            LocalRedirectPolicies = new EnabledValue(true),
            Operator = new OperatorValues
            {
                Dashboards = dashboards,
                Prometheus = new PrometheusValues { Enabled = true, ServiceMonitor = monitoring is null ? null : new ServiceMonitorValues { Enabled = true } },
                Replicas = 1,
                RollOutPods = true,
            },
            Prometheus = new PrometheusValues
            {
                Enabled = true,
                ServiceMonitor = monitoring is null ? null : new ServiceMonitorValues { Enabled = true, TrustCrdsExist = true },
            },
            RollOutCiliumPods = true,
            RoutingMode = native ? "native" : "tunnel",
            SecurityContext = new SecurityContextValues { Capabilities = new CapabilitiesValues { CiliumAgent = AgentCapabilities, CleanCiliumState = CleanStateCapabilities } },
            SocketLb = new SocketLbValues { Enabled = true, HostNamespaceOnly = true },
            TunnelProtocol = native ? null : spec.Routing.Protocol?.ToString().ToLowerInvariant(),
        };
    }

    private static HubbleValues Hubble(HubbleOptions? hubble, Monitoring? monitoring)
    {
        if (hubble is not { Enabled: true })
        {
            return new HubbleValues { Enabled = false };
        }

        var metrics = hubble.Metrics.IsDefaultOrEmpty
            ? null
            : new HubbleMetricsValues
            {
                Enabled = hubble.Metrics.Select(m => m.ToString()).ToArray(),
                EnableOpenMetrics = hubble.OpenMetrics,
                ServiceMonitor = monitoring is null ? null : new ServiceMonitorValues { Enabled = true },
                Dashboards = monitoring is null
                    ? null
                    : new DashboardsValues
                    {
                        Enabled = true,
                        Namespace = monitoring.Namespace,
                        Annotations = new SortedDictionary<string, string> { ["grafana_folder"] = monitoring.GrafanaFolder },
                    },
            };
        return new HubbleValues
        {
            Enabled = true,
            Metrics = metrics,
            Relay = hubble.Relay
                ? new HubbleRelayValues
                {
                    Enabled = true,
                    Replicas = hubble.RelayReplicas,
                    Resources = new ResourcesValues
                    {
                        Requests = hubble.RelayRequests.IsEmpty ? null : hubble.RelayRequests,
                        Limits = hubble.RelayLimits.IsEmpty ? null : hubble.RelayLimits,
                    },
                    Tolerations = hubble.Tolerations.IsDefaultOrEmpty ? null : hubble.Tolerations,
                }
                : new HubbleRelayValues { Enabled = false },
            Ui = hubble.Ui
                ? new HubbleUiValues { Enabled = true, Replicas = hubble.UiReplicas, Tolerations = hubble.Tolerations.IsDefaultOrEmpty ? null : hubble.Tolerations }
                : null,
        };
    }

    /// <summary>The final values: typed intent, then feature fragments, then the user's overrides.</summary>
    public static JsonObject Render(ClusterSpec spec, IEnumerable<JsonObject> fragments)
    {
        var values = HelmValues.ToJson(Typed(spec));
        foreach (var fragment in fragments)
        {
            values = HelmValues.Merge(values, fragment);
        }

        return HelmValues.Merge(values, spec.HelmValueOverrides);
    }
}
