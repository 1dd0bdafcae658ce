using System;
using System.Collections.Generic;
using System.Linq;

namespace Cilium.Sdk.Policies;

/// <summary>
/// The catalogue of components a Talos + Flux homelab cluster of this kind runs, with the pod labels they carry
/// and the ports they listen on (container ports: Cilium applies policy after service translation, so a policy
/// names the pod's port, not the Service's).
/// </summary>
/// <remarks>
/// <para>Labels and ports come from the upstream charts' defaults as the homelab template deploys them. Host-network
/// daemons (Cilium agent 9962, Hubble metrics 9965, cilium-envoy 9964, Cilium operator 9963, node-exporter 9100, the
/// kubelet 10250, etcd metrics 2381) are not pods a selector can pick: policies reach them through the
/// <see cref="Entity.Host"/> and <see cref="Entity.RemoteNode"/> entities, on the ports in <see cref="HostPorts"/>.</para>
/// <para>Envoy Gateway shifts privileged listener ports by 10000 (a Gateway listener on 443 is container port
/// 10443), and its proxies carry <c>gateway.envoyproxy.io/owning-gateway-name</c>, never
/// <c>gateway.networking.k8s.io/gateway-name</c>.</para>
/// </remarks>
public static class Components
{
    /// <summary>The ports of host-network daemons, reached through the host and remote-node entities.</summary>
    public static IReadOnlyDictionary<string, Port> HostPorts { get; } = new SortedDictionary<string, Port>(StringComparer.Ordinal)
    {
        ["cilium-agent-metrics"] = Port.Tcp(9962),
        ["cilium-operator-metrics"] = Port.Tcp(9963),
        ["cilium-envoy-metrics"] = Port.Tcp(9964),
        ["hubble-metrics"] = Port.Tcp(9965),
        ["hubble-peer"] = Port.Tcp(4244),
        ["kubelet"] = Port.Tcp(10250),
        ["node-exporter"] = Port.Tcp(9100),
        ["etcd-metrics"] = Port.Tcp(2381),
    };

    /// <summary>The Kubernetes API server port behind the <c>kubernetes</c> Service (Talos: 6443).</summary>
    public static Port KubeApiServerPort { get; } = Port.Tcp(6443);

    // kube-system

    /// <summary>CoreDNS (<c>k8s-app: kube-dns</c>): DNS on 53/UDP and 53/TCP, metrics on 9153.</summary>
    public static Component CoreDns { get; } = Make("coredns", "kube-system", [("k8s-app", "kube-dns")], ("dns-udp", Port.Udp(53)), ("dns-tcp", Port.Tcp(53)), ("metrics", Port.Tcp(9153)));

    /// <summary>metrics-server (chart labels <c>app.kubernetes.io/name: metrics-server</c>): HTTPS and metrics on 10250.</summary>
    public static Component MetricsServer { get; } = Make("metrics-server", "kube-system", [("app.kubernetes.io/name", "metrics-server")], ("https", Port.Tcp(10250)));

    /// <summary>Spegel: the registry mirror on 5000 (containerd on each node pulls through it), libp2p routing
    /// between Spegel pods on 5001, metrics on 9090.</summary>
    public static Component Spegel { get; } = Make("spegel", "kube-system", [("app.kubernetes.io/name", "spegel")], ("registry", Port.Tcp(5000)), ("router", Port.Tcp(5001)), ("metrics", Port.Tcp(9090)));

    /// <summary>Stakater Reloader: metrics on 9090.</summary>
    public static Component Reloader { get; } = Make("reloader", "kube-system", [("app.kubernetes.io/name", "reloader")], ("metrics", Port.Tcp(9090)));

    /// <summary>Hubble Relay (<c>k8s-app: hubble-relay</c>): gRPC on 4245, metrics on 9966.</summary>
    public static Component HubbleRelay { get; } = Make("hubble-relay", "kube-system", [("k8s-app", "hubble-relay")], ("grpc", Port.Tcp(4245)), ("metrics", Port.Tcp(9966)));

    /// <summary>Hubble UI (<c>k8s-app: hubble-ui</c>): HTTP on 8081.</summary>
    public static Component HubbleUi { get; } = Make("hubble-ui", "kube-system", [("k8s-app", "hubble-ui")], ("http", Port.Tcp(8081)));

    // monitoring

    /// <summary>Prometheus (kube-prometheus-stack, <c>app.kubernetes.io/name: prometheus</c>): HTTP on 9090.</summary>
    public static Component Prometheus { get; } = Make("prometheus", "monitoring", [("app.kubernetes.io/name", "prometheus")], ("http", Port.Tcp(9090)), ("config-reloader", Port.Tcp(8080)));

    /// <summary>Grafana: HTTP on 3000.</summary>
    public static Component Grafana { get; } = Make("grafana", "monitoring", [("app.kubernetes.io/name", "grafana")], ("http", Port.Tcp(3000)));

    /// <summary>Alertmanager: HTTP on 9093, cluster gossip on 9094 (TCP and UDP).</summary>
    public static Component Alertmanager { get; } = Make("alertmanager", "monitoring", [("app.kubernetes.io/name", "alertmanager")], ("http", Port.Tcp(9093)), ("mesh-tcp", Port.Tcp(9094)), ("mesh-udp", Port.Udp(9094)));

    /// <summary>Loki: HTTP on 3100 (push and query), gRPC on 9095, memberlist on 7946.</summary>
    public static Component Loki { get; } = Make("loki", "monitoring", [("app.kubernetes.io/name", "loki")], ("http", Port.Tcp(3100)), ("grpc", Port.Tcp(9095)), ("memberlist", Port.Tcp(7946)));

    /// <summary>Tempo: HTTP on 3200, OTLP gRPC 4317, OTLP HTTP 4318, Zipkin 9411.</summary>
    public static Component Tempo { get; } = Make("tempo", "monitoring", [("app.kubernetes.io/name", "tempo")], ("http", Port.Tcp(3200)), ("otlp-grpc", Port.Tcp(4317)), ("otlp-http", Port.Tcp(4318)), ("zipkin", Port.Tcp(9411)));

    /// <summary>Grafana Alloy: HTTP (UI and metrics) on 12345, OTLP gRPC 4317, OTLP HTTP 4318.</summary>
    public static Component Alloy { get; } = Make("alloy", "monitoring", [("app.kubernetes.io/name", "alloy")], ("http", Port.Tcp(12345)), ("otlp-grpc", Port.Tcp(4317)), ("otlp-http", Port.Tcp(4318)));

    // flux-system

    /// <summary>The Flux controllers (<c>app.kubernetes.io/part-of: flux</c>): source-controller serves artifacts and
    /// notification-controller receives events on 9090, the webhook receiver is on 9292, metrics on 8080.</summary>
    public static Component FluxControllers { get; } = Make("flux-controllers", "flux-system", [("app.kubernetes.io/part-of", "flux")], ("http", Port.Tcp(9090)), ("webhook-receiver", Port.Tcp(9292)), ("metrics", Port.Tcp(8080)));

    // cert-manager

    /// <summary>cert-manager controller: metrics on 9402.</summary>
    public static Component CertManagerController { get; } = Make("cert-manager-controller", "cert-manager", [("app.kubernetes.io/component", "controller"), ("app.kubernetes.io/instance", "cert-manager")], ("metrics", Port.Tcp(9402)));

    /// <summary>cert-manager webhook: HTTPS on 10250, health on 6080.</summary>
    public static Component CertManagerWebhook { get; } = Make("cert-manager-webhook", "cert-manager", [("app.kubernetes.io/component", "webhook"), ("app.kubernetes.io/instance", "cert-manager")], ("https", Port.Tcp(10250)), ("healthz", Port.Tcp(6080)));

    /// <summary>cert-manager cainjector: no listening port a policy needs.</summary>
    public static Component CertManagerCainjector { get; } = Make("cert-manager-cainjector", "cert-manager", [("app.kubernetes.io/component", "cainjector"), ("app.kubernetes.io/instance", "cert-manager")]);

    // network

    /// <summary>The Envoy Gateway controller (<c>control-plane: envoy-gateway</c>): xDS on 18000, rate-limit xDS on
    /// 18001, metrics on 19001.</summary>
    public static Component EnvoyGatewayController { get; } = Make("envoy-gateway", "network", [("control-plane", "envoy-gateway")], ("xds", Port.Tcp(18000)), ("ratelimit-xds", Port.Tcp(18001)), ("metrics", Port.Tcp(19001)));

    /// <summary>The Envoy proxies of the <c>envoy-internal</c> Gateway: HTTP 10080, HTTPS 10443, metrics 19001.</summary>
    public static Component EnvoyInternal { get; } = EnvoyProxy("envoy-internal", "network");

    /// <summary>The Envoy proxies of the <c>envoy-external</c> Gateway: HTTP 10080, HTTPS 10443, metrics 19001.</summary>
    public static Component EnvoyExternal { get; } = EnvoyProxy("envoy-external", "network");

    /// <summary>cloudflared (the Cloudflare tunnel): metrics on 8080.</summary>
    public static Component CloudflareTunnel { get; } = Make("cloudflare-tunnel", "network", [("app.kubernetes.io/name", "cloudflare-tunnel")], ("metrics", Port.Tcp(8080)));

    /// <summary>external-dns for Cloudflare: metrics on 7979.</summary>
    public static Component ExternalDnsCloudflare { get; } = Make("cloudflare-dns", "network", [("app.kubernetes.io/instance", "cloudflare-dns"), ("app.kubernetes.io/name", "external-dns")], ("metrics", Port.Tcp(7979)));

    /// <summary>k8s-gateway (DNS for the home network): DNS on 1053/UDP and 1053/TCP behind its port-53 Service, metrics on 9153.</summary>
    public static Component K8sGateway { get; } = Make("k8s-gateway", "network", [("app.kubernetes.io/name", "k8s-gateway")], ("dns-udp", Port.Udp(1053)), ("dns-tcp", Port.Tcp(1053)), ("metrics", Port.Tcp(9153)));

    // storage, cache, identity, ai-system

    /// <summary>RustFS (S3-compatible object store): S3 API on 9000, console on 9001.</summary>
    public static Component ObjectStore { get; } = Make("rustfs", "storage", [("app.kubernetes.io/name", "rustfs")], ("s3", Port.Tcp(9000)), ("console", Port.Tcp(9001)));

    /// <summary>Dragonfly (Redis-compatible cache, operator labels <c>app: dragonfly</c>): Redis on 6379, admin/metrics on 9999.</summary>
    public static Component Cache { get; } = Make("dragonfly", "cache", [("app", "dragonfly")], ("redis", Port.Tcp(6379)), ("metrics", Port.Tcp(9999)));

    /// <summary>Keycloak (operator-managed, <c>app.kubernetes.io/instance: keycloak</c>): HTTP 8080, HTTPS 8443,
    /// management/metrics 9000, JGroups clustering 7800.</summary>
    public static Component Keycloak { get; } = Make("keycloak", "identity", [("app.kubernetes.io/instance", "keycloak")], ("http", Port.Tcp(8080)), ("https", Port.Tcp(8443)), ("management", Port.Tcp(9000)), ("jgroups", Port.Tcp(7800)));

    /// <summary>LiteLLM proxy: HTTP (API and metrics) on 4000.</summary>
    public static Component LiteLlm { get; } = Make("litellm", "ai-system", [("app.kubernetes.io/name", "litellm")], ("http", Port.Tcp(4000)));

    /// <summary>Langfuse web and worker: web on 3000, worker on 3030.</summary>
    public static Component Langfuse { get; } = Make("langfuse", "ai-system", [("app.kubernetes.io/name", "langfuse")], ("http", Port.Tcp(3000)), ("worker", Port.Tcp(3030)));

    /// <summary>The CloudNativePG cluster of Keycloak (<c>cnpg.io/cluster: keycloak-postgres</c>).</summary>
    public static Component KeycloakPostgres { get; } = PostgresCluster("keycloak-postgres", "identity");

    /// <summary>The CloudNativePG cluster of LiteLLM (<c>cnpg.io/cluster: litellm-postgresql</c>).</summary>
    public static Component LiteLlmPostgres { get; } = PostgresCluster("litellm-postgresql", "ai-system");

    /// <summary>The CloudNativePG cluster of Langfuse (<c>cnpg.io/cluster: langfuse-postgresql</c>).</summary>
    public static Component LangfusePostgres { get; } = PostgresCluster("langfuse-postgresql", "ai-system");

    /// <summary>ClickHouse for Langfuse: HTTP 8123, native protocol 9000.</summary>
    public static Component ClickHouse { get; } = Make("clickhouse", "ai-system", [("app.kubernetes.io/name", "clickhouse")], ("http", Port.Tcp(8123)), ("native", Port.Tcp(9000)));

    /// <summary>Every component of the catalogue, sorted by namespace then name.</summary>
    public static IReadOnlyList<Component> All { get; } = new[]
    {
        CoreDns, MetricsServer, Spegel, Reloader, HubbleRelay, HubbleUi,
        Prometheus, Grafana, Alertmanager, Loki, Tempo, Alloy,
        FluxControllers,
        CertManagerController, CertManagerWebhook, CertManagerCainjector,
        EnvoyGatewayController, EnvoyInternal, EnvoyExternal, CloudflareTunnel, ExternalDnsCloudflare, K8sGateway,
        ObjectStore, Cache, Keycloak, KeycloakPostgres, LiteLlm, LiteLlmPostgres, Langfuse, LangfusePostgres, ClickHouse,
    }.OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).ToArray();

    /// <summary>The proxies Envoy Gateway runs for a Gateway, selected by the labels Envoy Gateway sets on them.</summary>
    /// <param name="gatewayName">The Gateway's name.</param>
    /// <param name="gatewayNamespace">The Gateway's namespace (the proxies run there in the default deployment mode).</param>
    /// <returns>The component.</returns>
    public static Component EnvoyProxy(string gatewayName, string gatewayNamespace) =>
        Make(
            gatewayName,
            gatewayNamespace,
            [("gateway.envoyproxy.io/owning-gateway-name", gatewayName), ("gateway.envoyproxy.io/owning-gateway-namespace", gatewayNamespace)],
            ("http", Port.Tcp(10080)),
            ("https", Port.Tcp(10443)),
            ("metrics", Port.Tcp(19001)));

    /// <summary>A CloudNativePG cluster's instances: PostgreSQL on 5432, the instance manager's status on 8000,
    /// metrics on 9187.</summary>
    /// <param name="clusterName">The CNPG Cluster's name.</param>
    /// <param name="namespace">Its namespace.</param>
    /// <returns>The component.</returns>
    public static Component PostgresCluster(string clusterName, string @namespace) =>
        Make(clusterName, @namespace, [("cnpg.io/cluster", clusterName)], ("postgres", Port.Tcp(5432)), ("status", Port.Tcp(8000)), ("metrics", Port.Tcp(9187)));

    private static Component Make(string name, string @namespace, (string Key, string Value)[] labels, params (string Role, Port Port)[] ports) =>
        new(name, @namespace, Labels.Of(labels), ports.ToDictionary(p => p.Role, p => p.Port, StringComparer.Ordinal));
}
