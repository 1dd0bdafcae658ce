using System.Collections.Generic;
using System.Collections.Immutable;

namespace Cilium.Sdk.Hubble;

/// <summary>
/// Hubble: flow observability. Relay aggregates flows from every node; the UI needs relay; metrics are exported for
/// Prometheus, and ServiceMonitors and Grafana dashboards only when the cluster has a monitoring stack
/// (<see cref="Monitoring"/>).
/// </summary>
public sealed record HubbleOptions
{
    /// <summary>Hubble on the agents.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Relay on (the UI and <c>hubble observe</c> across nodes need it).</summary>
    public bool Relay { get; init; } = true;

    /// <summary>Relay replicas.</summary>
    public int RelayReplicas { get; init; } = 1;

    /// <summary>Relay's CPU/memory requests (e.g. <c>cpu: 50m</c>, <c>memory: 64Mi</c>, the template's).</summary>
    public ImmutableSortedDictionary<string, string> RelayRequests { get; init; } =
        ImmutableSortedDictionary.Create<string, string>(System.StringComparer.Ordinal).Add("cpu", "50m").Add("memory", "64Mi");

    /// <summary>Relay's limits (the template's: <c>memory: 128Mi</c>).</summary>
    public ImmutableSortedDictionary<string, string> RelayLimits { get; init; } =
        ImmutableSortedDictionary.Create<string, string>(System.StringComparer.Ordinal).Add("memory", "128Mi");

    /// <summary>Tolerations for relay and the UI; default: schedule on nodes the cloud provider has not initialised yet
    /// (Talos before its CCM runs), as the template does.</summary>
    public ImmutableArray<Helm.TolerationValue> Tolerations { get; init; } =
        [new Helm.TolerationValue { Key = "node.cloudprovider.kubernetes.io/uninitialized", Operator = "Exists", Effect = "NoSchedule" }];

    /// <summary>The web UI.</summary>
    public bool Ui { get; init; }

    /// <summary>UI replicas.</summary>
    public int UiReplicas { get; init; } = 1;

    /// <summary>Exported metrics; empty: none.</summary>
    public ImmutableArray<HubbleMetric> Metrics { get; init; } = [.. HubbleMetric.Standard(tracing: false)];

    /// <summary>Export metrics in OpenMetrics format (needed for exemplars).</summary>
    public bool OpenMetrics { get; init; } = true;

    /// <summary>Hubble with relay and the standard metrics, no UI.</summary>
    public static HubbleOptions Default { get; } = new();

    /// <summary>A copy with the UI on.</summary>
    public HubbleOptions WithUi(int replicas = 1) => this with { Ui = true, UiReplicas = replicas };

    /// <summary>A copy with relay's resources.</summary>
    public HubbleOptions WithRelayResources(IReadOnlyDictionary<string, string> requests, IReadOnlyDictionary<string, string> limits) =>
        this with
        {
            RelayRequests = requests.ToImmutableSortedDictionary(System.StringComparer.Ordinal),
            RelayLimits = limits.ToImmutableSortedDictionary(System.StringComparer.Ordinal),
        };

    /// <summary>A copy with these tolerations for relay and the UI.</summary>
    public HubbleOptions WithTolerations(params Helm.TolerationValue[] tolerations) => this with { Tolerations = [.. tolerations] };

    /// <summary>A copy with exactly these metrics.</summary>
    public HubbleOptions WithMetrics(params HubbleMetric[] metrics) => this with { Metrics = [.. metrics] };
}

/// <summary>
/// The monitoring stack that receives Cilium's and Hubble's ServiceMonitors and Grafana dashboards. Without one, the
/// SDK emits neither (the template enabled them into a namespace that may not exist).
/// </summary>
/// <param name="Namespace">Where Prometheus and Grafana run (dashboards ConfigMaps go here).</param>
/// <param name="GrafanaFolder">The Grafana folder for the dashboards.</param>
/// <param name="Tracing">True when a tracing backend (e.g. Tempo) receives exemplars.</param>
public sealed record Monitoring(string Namespace = "monitoring", string GrafanaFolder = "Network", bool Tracing = false);
