using System.Collections.Generic;
using System.Text.Json.Serialization;

// The Cilium chart's values as typed records: every key the builder sets and every key the Jinja template sets, with the
// chart's own spelling (cgroup.autoMount, not the template's cgroup.automount typo). Properties are declared in wire-name
// order so output is sorted; null means "unset, the chart default applies". Raw keys go through CiliumValues.Overrides.
#pragma warning disable CS1591 // Each property is the chart key of the same name; the chart's values.yaml documents it.
namespace Cilium.Sdk.Helm;

/// <summary>The Cilium Helm chart values the SDK writes (a typed subset of the chart's <c>values.yaml</c>).</summary>
public sealed record CiliumValues
{
    [JsonPropertyName("autoDirectNodeRoutes")] public bool? AutoDirectNodeRoutes { get; init; }
    [JsonPropertyName("bgpControlPlane")] public EnabledValue? BgpControlPlane { get; init; }
    [JsonPropertyName("bpf")] public BpfValues? Bpf { get; init; }
    [JsonPropertyName("cgroup")] public CgroupValues? Cgroup { get; init; }
    [JsonPropertyName("cni")] public CniValues? Cni { get; init; }
    [JsonPropertyName("dashboards")] public DashboardsValues? Dashboards { get; init; }
    [JsonPropertyName("endpointRoutes")] public EnabledValue? EndpointRoutes { get; init; }
    [JsonPropertyName("envoy")] public EnabledValue? Envoy { get; init; }
    [JsonPropertyName("gatewayAPI")] public EnabledValue? GatewayApi { get; init; }
    [JsonPropertyName("hubble")] public HubbleValues? Hubble { get; init; }
    [JsonPropertyName("ipam")] public IpamValues? Ipam { get; init; }
    [JsonPropertyName("ipv4NativeRoutingCIDR")] public string? Ipv4NativeRoutingCidr { get; init; }
    [JsonPropertyName("k8sServiceHost")] public string? K8sServiceHost { get; init; }
    [JsonPropertyName("k8sServicePort")] public int? K8sServicePort { get; init; }
    [JsonPropertyName("kubeProxyReplacement")] public bool? KubeProxyReplacement { get; init; }
    [JsonPropertyName("kubeProxyReplacementHealthzBindAddr")] public string? KubeProxyReplacementHealthzBindAddr { get; init; }
    [JsonPropertyName("l2announcements")] public EnabledValue? L2Announcements { get; init; }
    [JsonPropertyName("loadBalancer")] public LoadBalancerValues? LoadBalancer { get; init; }
    [JsonPropertyName("localRedirectPolicies")] public EnabledValue? LocalRedirectPolicies { get; init; }
    [JsonPropertyName("operator")] public OperatorValues? Operator { get; init; }
    [JsonPropertyName("policyAuditMode")] public bool? PolicyAuditMode { get; init; }
    [JsonPropertyName("prometheus")] public PrometheusValues? Prometheus { get; init; }
    [JsonPropertyName("rollOutCiliumPods")] public bool? RollOutCiliumPods { get; init; }
    [JsonPropertyName("routingMode")] public string? RoutingMode { get; init; }
    [JsonPropertyName("securityContext")] public SecurityContextValues? SecurityContext { get; init; }
    [JsonPropertyName("socketLB")] public SocketLbValues? SocketLb { get; init; }
    [JsonPropertyName("tunnelProtocol")] public string? TunnelProtocol { get; init; }
}

/// <summary>A block whose only key here is <c>enabled</c>.</summary>
public sealed record EnabledValue([property: JsonPropertyName("enabled")] bool Enabled);

public sealed record BpfValues
{
    [JsonPropertyName("hostLegacyRouting")] public bool? HostLegacyRouting { get; init; }
    [JsonPropertyName("masquerade")] public bool? Masquerade { get; init; }
}

public sealed record CgroupValues
{
    [JsonPropertyName("autoMount")] public EnabledValue? AutoMount { get; init; }
    [JsonPropertyName("hostRoot")] public string? HostRoot { get; init; }
}

public sealed record CniValues
{
    [JsonPropertyName("exclusive")] public bool? Exclusive { get; init; }
}

public sealed record DashboardsValues
{
    [JsonPropertyName("annotations")] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
}

public sealed record IpamValues
{
    [JsonPropertyName("mode")] public string? Mode { get; init; }
}

public sealed record LoadBalancerValues
{
    [JsonPropertyName("algorithm")] public string? Algorithm { get; init; }
    [JsonPropertyName("mode")] public string? Mode { get; init; }
}

public sealed record OperatorValues
{
    [JsonPropertyName("dashboards")] public DashboardsValues? Dashboards { get; init; }
    [JsonPropertyName("prometheus")] public PrometheusValues? Prometheus { get; init; }
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    [JsonPropertyName("rollOutPods")] public bool? RollOutPods { get; init; }
}

public sealed record PrometheusValues
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("serviceMonitor")] public ServiceMonitorValues? ServiceMonitor { get; init; }
}

public sealed record ServiceMonitorValues
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("trustCRDsExist")] public bool? TrustCrdsExist { get; init; }
}

public sealed record SecurityContextValues
{
    [JsonPropertyName("capabilities")] public CapabilitiesValues? Capabilities { get; init; }
}

public sealed record CapabilitiesValues
{
    [JsonPropertyName("ciliumAgent")] public IReadOnlyList<string>? CiliumAgent { get; init; }
    [JsonPropertyName("cleanCiliumState")] public IReadOnlyList<string>? CleanCiliumState { get; init; }
}

public sealed record SocketLbValues
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("hostNamespaceOnly")] public bool? HostNamespaceOnly { get; init; }
}

public sealed record HubbleValues
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("metrics")] public HubbleMetricsValues? Metrics { get; init; }
    [JsonPropertyName("relay")] public HubbleRelayValues? Relay { get; init; }
    [JsonPropertyName("ui")] public HubbleUiValues? Ui { get; init; }
}

public sealed record HubbleMetricsValues
{
    [JsonPropertyName("dashboards")] public DashboardsValues? Dashboards { get; init; }
    [JsonPropertyName("enableOpenMetrics")] public bool? EnableOpenMetrics { get; init; }
    [JsonPropertyName("enabled")] public IReadOnlyList<string>? Enabled { get; init; }
    [JsonPropertyName("serviceMonitor")] public ServiceMonitorValues? ServiceMonitor { get; init; }
}

public sealed record HubbleRelayValues
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    [JsonPropertyName("resources")] public ResourcesValues? Resources { get; init; }
    [JsonPropertyName("tolerations")] public IReadOnlyList<TolerationValue>? Tolerations { get; init; }
}

public sealed record HubbleUiValues
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    [JsonPropertyName("tolerations")] public IReadOnlyList<TolerationValue>? Tolerations { get; init; }
}

public sealed record ResourcesValues
{
    [JsonPropertyName("limits")] public IReadOnlyDictionary<string, string>? Limits { get; init; }
    [JsonPropertyName("requests")] public IReadOnlyDictionary<string, string>? Requests { get; init; }
}

public sealed record TolerationValue
{
    [JsonPropertyName("effect")] public string? Effect { get; init; }
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("operator")] public string? Operator { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
}
#pragma warning restore CS1591
