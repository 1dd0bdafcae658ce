using System;
using System.Collections.Generic;
using System.Linq;
using static Cilium.Sdk.Policies.Components;

namespace Cilium.Sdk.Policies;

/// <summary>
/// Ready-made policies for the <see cref="Components"/> catalogue, enabled per component:
/// <c>Presets.For(Components.CoreDns, Components.Prometheus)</c>. Each preset's documentation lists the flows it
/// allows. Presets leave <c>enableDefaultDeny</c> to the <see cref="PolicyMode"/>, except the additive cluster-wide
/// ones, which always write <c>false</c> so they never put a pod into default deny.
/// </summary>
public static class Presets
{
    private static readonly Peer ApiServer = Peer.Entity(Entity.KubeApiServer);
    private static readonly Peer World = Peer.Entity(Entity.World);
    private static readonly Peer ClusterEntity = Peer.Entity(Entity.Cluster);
    private static readonly Peer[] Nodes = [Peer.Entity(Entity.Host), Peer.Entity(Entity.RemoteNode)];

    /// <summary>
    /// The preset policies for <paramref name="components"/>, plus the cluster-wide DNS policy, as a set.
    /// Components without a preset (the CNPG clusters, ClickHouse) are covered by their clients' presets.
    /// </summary>
    /// <param name="components">The components the cluster runs.</param>
    /// <returns>The set.</returns>
    public static PolicySet For(params Component[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var set = PolicySet.Empty.Add(ClusterDns());
        foreach (var component in components.Distinct())
        {
            set = set.Add(Of(component));
        }

        return set;
    }

    /// <summary>Every preset of the catalogue, plus the cluster-wide DNS and API-server policies.</summary>
    /// <returns>The set.</returns>
    public static PolicySet All() => For(Components.All.ToArray()).Add(ClusterApiServer());

    /// <summary>The preset policies for one component (empty when it has none of its own).</summary>
    /// <param name="component">The component.</param>
    /// <returns>The policies.</returns>
    public static IReadOnlyList<Policy> Of(Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        Policy? policy = component.Name switch
        {
            "coredns" => CoreDnsPolicy(),
            "metrics-server" => MetricsServerPolicy(),
            "spegel" => SpegelPolicy(),
            "reloader" => ReloaderPolicy(),
            "hubble-relay" => HubbleRelayPolicy(),
            "hubble-ui" => HubbleUiPolicy(),
            "prometheus" => PrometheusPolicy(),
            "grafana" => GrafanaPolicy(),
            "alertmanager" => AlertmanagerPolicy(),
            "loki" => LokiPolicy(),
            "tempo" => TempoPolicy(),
            "alloy" => AlloyPolicy(),
            "flux-controllers" => FluxControllersPolicy(),
            "cert-manager-controller" => CertManagerControllerPolicy(),
            "cert-manager-webhook" => CertManagerWebhookPolicy(),
            "cert-manager-cainjector" => CertManagerCainjectorPolicy(),
            "envoy-gateway" => EnvoyGatewayControllerPolicy(),
            "envoy-internal" => EnvoyProxyPolicy(EnvoyInternal, external: false),
            "envoy-external" => EnvoyProxyPolicy(EnvoyExternal, external: true),
            "cloudflare-tunnel" => CloudflareTunnelPolicy(),
            "cloudflare-dns" => ExternalDnsCloudflarePolicy(),
            "k8s-gateway" => K8sGatewayPolicy(),
            "rustfs" => ObjectStorePolicy(),
            "dragonfly" => CachePolicy(),
            "keycloak" => KeycloakPolicy(),
            "litellm" => LiteLlmPolicy(),
            "langfuse" => LangfusePolicy(),
            _ => null,
        };
        return policy is null ? [] : [policy];
    }

    /// <summary>
    /// CCNP <c>allow-dns</c>: every pod may query CoreDNS on 53/UDP and 53/TCP. Additive
    /// (<c>enableDefaultDeny: {ingress: false, egress: false}</c> in every mode): it never puts a pod into default
    /// deny, unlike the template's, which in enforce mode default-denied egress for every pod.
    /// </summary>
    /// <returns>The policy.</returns>
    public static Policy ClusterDns() =>
        Policy.ClusterWide("allow-dns")
            .WithDescription("Every pod may query CoreDNS; additive, never default-denies")
            .SelectingAll()
            .WithDefaultDeny(ingress: false, egress: false)
            .AllowDns();

    /// <summary>
    /// CCNPs <c>allow-kube-apiserver-*</c>: the Flux controllers and the three cert-manager components may reach the
    /// API server on 6443. Additive (default deny false in every mode). One policy per component because each is
    /// selected by its own labels (cert-manager's pods carry no <c>app.kubernetes.io/part-of</c>).
    /// </summary>
    /// <returns>The policies.</returns>
    public static IReadOnlyList<Policy> ClusterApiServer() =>
        new[] { FluxControllers, CertManagerController, CertManagerWebhook, CertManagerCainjector }
            .Select(c => Policy.ClusterWide("allow-kube-apiserver-" + c.Name)
                .WithDescription($"{c.Name} may reach the Kubernetes API server; additive")
                .Selecting(c)
                .WithDefaultDeny(ingress: false, egress: false)
                .AllowEgress(ApiServer, KubeApiServerPort))
            .ToArray();

    /// <summary>CoreDNS: in: cluster on 53/UDP+TCP, Prometheus on 9153. Out: world on 53/UDP+TCP and 443/TCP
    /// (upstream resolvers, DoT/DoH); the local host on 53/UDP+TCP (Talos forwards cluster DNS to its host DNS
    /// cache, 169.254.116.108, when <c>forwardKubeDNSToHost</c> is on); API server 6443.</summary>
    /// <returns>The policy.</returns>
    public static Policy CoreDnsPolicy() =>
        Namespaced(CoreDns, "CoreDNS: answers the cluster, forwards upstream")
            .AllowIngress(ClusterEntity, CoreDns.Port("dns-udp"), CoreDns.Port("dns-tcp"))
            .AllowIngress(Peer.Component(Prometheus), CoreDns.Port("metrics"))
            .AllowEgress(World, Port.Udp(53), Port.Tcp(53), Port.Tcp(443))
            .AllowEgress(Peer.Entity(Entity.Host), Port.Udp(53), Port.Tcp(53))
            .AllowEgress(ApiServer, KubeApiServerPort);

    /// <summary>metrics-server: in: API server on 10250. Out: kubelets (host, remote-node) on 10250, API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy MetricsServerPolicy() =>
        Namespaced(MetricsServer, "metrics-server: serves the metrics API, scrapes kubelets")
            .AllowIngress(ApiServer, MetricsServer.Port("https"))
            .AllowEgress(Nodes, [HostPorts["kubelet"]])
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Spegel: in: containerd on every node (host, remote-node) on 5000; other Spegel pods on 5000 and
    /// 5001 (libp2p routing); Prometheus on 9090. Out: Spegel pods on 5000 and 5001, world 443 (upstream registries),
    /// API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy SpegelPolicy() =>
        Namespaced(Spegel, "Spegel: peer-to-peer image mirror")
            .AllowIngress(Nodes, [Spegel.Port("registry")])
            .AllowIngress(Peer.Component(Spegel), Spegel.Port("registry"), Spegel.Port("router"))
            .AllowIngress(Peer.Component(Prometheus), Spegel.Port("metrics"))
            .AllowEgress(Peer.Component(Spegel), Spegel.Port("registry"), Spegel.Port("router"))
            .AllowEgress(World, Port.Tcp(443))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Reloader: in: Prometheus on 9090. Out: API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy ReloaderPolicy() =>
        Namespaced(Reloader, "Reloader: restarts workloads when ConfigMaps/Secrets change")
            .AllowIngress(Peer.Component(Prometheus), Reloader.Port("metrics"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Hubble Relay: in: Hubble UI on 4245, Prometheus on 9966. Out: the Hubble server of every agent
    /// (host and remote-node, 4244; relay must reach all nodes, not only its own), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy HubbleRelayPolicy() =>
        Namespaced(HubbleRelay, "Hubble Relay: aggregates flows from every node's agent")
            .AllowIngress(Peer.Component(HubbleUi), HubbleRelay.Port("grpc"))
            .AllowIngress(Peer.Component(Prometheus), HubbleRelay.Port("metrics"))
            .AllowEgress(Nodes, [HostPorts["hubble-peer"]])
            .AllowDns();

    /// <summary>Hubble UI: in: the envoy-internal proxies on 8081. Out: Hubble Relay 4245, API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy HubbleUiPolicy() =>
        Namespaced(HubbleUi, "Hubble UI: web interface over Hubble Relay")
            .AllowIngress(Peer.Component(EnvoyInternal), HubbleUi.Port("http"))
            .AllowEgress(Peer.Component(HubbleRelay), HubbleRelay.Port("grpc"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>
    /// Prometheus: in: Grafana and Tempo on 9090. Out: API server 6443; pods anywhere in the cluster on the scrape
    /// ports of the catalogue (9090, 9100, 9153, 8080, 9402, 19001, 3000, 3100, 3200, 7979, 9093, 9187, 9966,
    /// 12345, 9999, 4000, 9000, 8000); the nodes (host, remote-node) on kubelet 10250, node-exporter 9100, etcd 2381,
    /// Cilium agent 9962, operator 9963, cilium-envoy 9964 and Hubble 9965; Alertmanager 9093; DNS.
    /// </summary>
    /// <returns>The policy.</returns>
    public static Policy PrometheusPolicy() =>
        Namespaced(Prometheus, "Prometheus: scrapes the cluster, answers Grafana")
            .AllowIngress([Peer.Component(Grafana), Peer.Component(Tempo)], [Prometheus.Port("http")])
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowEgress([ClusterEntity], new[] { 9090, 9100, 9153, 8080, 9402, 19001, 3000, 3100, 3200, 7979, 9093, 9187, 9966, 12345, 9999, 4000, 9000, 8000 }.Select(Port.Tcp))
            .AllowEgress(Nodes, [HostPorts["kubelet"], HostPorts["node-exporter"], HostPorts["etcd-metrics"], HostPorts["cilium-agent-metrics"], HostPorts["cilium-operator-metrics"], HostPorts["cilium-envoy-metrics"], HostPorts["hubble-metrics"]])
            .AllowEgress(Peer.Component(Alertmanager), Alertmanager.Port("http"))
            .AllowDns();

    /// <summary>Grafana: in: envoy-internal and envoy-external proxies on 3000. Out: Prometheus 9090, Loki 3100,
    /// Tempo 3200, Alertmanager 9093, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy GrafanaPolicy() =>
        Namespaced(Grafana, "Grafana: dashboards over the data sources")
            .AllowIngress([Peer.Component(EnvoyInternal), Peer.Component(EnvoyExternal)], [Grafana.Port("http")])
            .AllowEgress(Peer.Component(Prometheus), Prometheus.Port("http"))
            .AllowEgress(Peer.Component(Loki), Loki.Port("http"))
            .AllowEgress(Peer.Component(Tempo), Tempo.Port("http"))
            .AllowEgress(Peer.Component(Alertmanager), Alertmanager.Port("http"))
            .AllowDns();

    /// <summary>Alertmanager: in: Prometheus and Grafana on 9093, other Alertmanagers on 9094/TCP+UDP. Out: other
    /// Alertmanagers on 9094, world 443 (notification receivers), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy AlertmanagerPolicy() =>
        Namespaced(Alertmanager, "Alertmanager: routes alerts")
            .AllowIngress([Peer.Component(Prometheus), Peer.Component(Grafana)], [Alertmanager.Port("http")])
            .AllowIngress(Peer.Component(Alertmanager), Alertmanager.Port("mesh-tcp"), Alertmanager.Port("mesh-udp"))
            .AllowEgress(Peer.Component(Alertmanager), Alertmanager.Port("mesh-tcp"), Alertmanager.Port("mesh-udp"))
            .AllowEgress(World, Port.Tcp(443))
            .AllowDns();

    /// <summary>Loki: in: Alloy, Grafana and Prometheus on 3100. Out: the object store (RustFS) on 9000, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy LokiPolicy() =>
        Namespaced(Loki, "Loki: stores logs from Alloy, answers Grafana")
            .AllowIngress([Peer.Component(Alloy), Peer.Component(Grafana), Peer.Component(Prometheus)], [Loki.Port("http")])
            .AllowEgress(Peer.Component(ObjectStore), ObjectStore.Port("s3"))
            .AllowDns();

    /// <summary>Tempo: in: Alloy on 4317; Grafana and Prometheus on 3200; the Envoy proxies on 9411 (Zipkin);
    /// Keycloak and LiteLLM on 4317 (OTLP gRPC), Langfuse on 4318 (OTLP HTTP). Out: Prometheus 9090 (metrics-generator remote write), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy TempoPolicy() =>
        Namespaced(Tempo, "Tempo: stores traces, answers Grafana")
            .AllowIngress(Peer.Component(Alloy), Tempo.Port("otlp-grpc"))
            .AllowIngress([Peer.Component(Grafana), Peer.Component(Prometheus)], [Tempo.Port("http")])
            .AllowIngress([Peer.Component(EnvoyInternal), Peer.Component(EnvoyExternal)], [Tempo.Port("zipkin")])
            .AllowIngress([Peer.Component(Keycloak), Peer.Component(LiteLlm)], [Tempo.Port("otlp-grpc")])
            .AllowIngress(Peer.Component(Langfuse), Tempo.Port("otlp-http"))
            .AllowEgress(Peer.Component(Prometheus), Prometheus.Port("http"))
            .AllowDns();

    /// <summary>Alloy: in: the cluster on 4317 and 4318 (OTLP), Prometheus on 12345. Out: Loki 3100, Tempo 4317,
    /// API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy AlloyPolicy() =>
        Namespaced(Alloy, "Alloy: collects logs and traces, forwards to Loki and Tempo")
            .AllowIngress(ClusterEntity, Alloy.Port("otlp-grpc"), Alloy.Port("otlp-http"))
            .AllowIngress(Peer.Component(Prometheus), Alloy.Port("http"))
            .AllowEgress(Peer.Component(Loki), Loki.Port("http"))
            .AllowEgress(Peer.Component(Tempo), Tempo.Port("otlp-grpc"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Flux controllers: in: Prometheus on 8080; the cluster on 9292 (webhook receiver); the other Flux
    /// controllers on 9090 (source-controller artifacts, notification-controller events). Out: the other Flux
    /// controllers on 9090, API server 6443, world 443 and 22 (Git/OCI/Helm sources), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy FluxControllersPolicy() =>
        Namespaced(FluxControllers, "Flux controllers: sync sources, apply them, talk to each other")
            .AllowIngress(Peer.Component(Prometheus), FluxControllers.Port("metrics"))
            .AllowIngress(ClusterEntity, FluxControllers.Port("webhook-receiver"))
            .AllowIngress(Peer.Component(FluxControllers), FluxControllers.Port("http"))
            .AllowEgress(Peer.Component(FluxControllers), FluxControllers.Port("http"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowEgress(World, Port.Tcp(443), Port.Tcp(22))
            .AllowDns();

    /// <summary>cert-manager controller: in: Prometheus on 9402. Out: API server 6443, world 443 (ACME) and 53/UDP+TCP
    /// (DNS-01 propagation checks against authoritative servers), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy CertManagerControllerPolicy() =>
        Namespaced(CertManagerController, "cert-manager controller: issues certificates (ACME, DNS-01)")
            .AllowIngress(Peer.Component(Prometheus), CertManagerController.Port("metrics"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowEgress(World, Port.Tcp(443), Port.Udp(53), Port.Tcp(53))
            .AllowDns();

    /// <summary>cert-manager webhook: in: API server on 10250, the local host on 6080 (kubelet probes). Out: API
    /// server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy CertManagerWebhookPolicy() =>
        Namespaced(CertManagerWebhook, "cert-manager webhook: validates and mutates cert-manager resources")
            .AllowIngress(ApiServer, CertManagerWebhook.Port("https"))
            .AllowIngress(Peer.Entity(Entity.Host), CertManagerWebhook.Port("healthz"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>cert-manager cainjector: no ingress. Out: API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy CertManagerCainjectorPolicy() =>
        Namespaced(CertManagerCainjector, "cert-manager cainjector: injects CA bundles")
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Envoy Gateway controller: in: its proxies (envoy-internal, envoy-external) on 18000 (xDS),
    /// Prometheus on 19001. Out: API server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy EnvoyGatewayControllerPolicy() =>
        Namespaced(EnvoyGatewayController, "Envoy Gateway controller: configures the Envoy proxies over xDS")
            .AllowIngress([Peer.Component(EnvoyInternal), Peer.Component(EnvoyExternal)], [EnvoyGatewayController.Port("xds")])
            .AllowIngress(Peer.Component(Prometheus), EnvoyGatewayController.Port("metrics"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>
    /// An Envoy Gateway proxy (selected by <c>gateway.envoyproxy.io/owning-gateway-name</c>): in: world and the
    /// cluster on 10080/10443 (the external gateway also from the Cloudflare tunnel), Prometheus on 19001. Out: the
    /// Envoy Gateway controller on 18000 (xDS), backends in the cluster on 80, 443, 3000, 4000, 8080, 8081, 9001 and
    /// 9292 (Flux's webhook receiver),
    /// Tempo 9411 (Zipkin traces), DNS.
    /// </summary>
    /// <param name="proxy">The proxy component, e.g. <see cref="Components.EnvoyInternal"/>.</param>
    /// <param name="external">Whether the Cloudflare tunnel forwards to it.</param>
    /// <returns>The policy.</returns>
    public static Policy EnvoyProxyPolicy(Component proxy, bool external)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var from = external ? new[] { World, ClusterEntity, Peer.Component(CloudflareTunnel) } : new[] { World, ClusterEntity };
        return Namespaced(proxy, $"Envoy proxies of Gateway {proxy.Name}: accept traffic, forward to backends")
            .AllowIngress(from, [proxy.Port("http"), proxy.Port("https")])
            .AllowIngress(Peer.Component(Prometheus), proxy.Port("metrics"))
            .AllowEgress(Peer.Component(EnvoyGatewayController), EnvoyGatewayController.Port("xds"))
            .AllowEgress([ClusterEntity], new[] { 80, 443, 3000, 4000, 8080, 8081, 9001, 9292 }.Select(Port.Tcp))
            .AllowEgress(Peer.Component(Tempo), Tempo.Port("zipkin"))
            .AllowDns();
    }

    /// <summary>Cloudflare tunnel: in: Prometheus on 8080. Out: world 443/TCP and 7844/UDP+TCP (QUIC, HTTP/2
    /// fallback), the envoy-external proxies on 10080/10443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy CloudflareTunnelPolicy() =>
        Namespaced(CloudflareTunnel, "Cloudflare tunnel: connects out to Cloudflare, forwards to envoy-external")
            .AllowIngress(Peer.Component(Prometheus), CloudflareTunnel.Port("metrics"))
            .AllowEgress(World, Port.Tcp(443), Port.Udp(7844), Port.Tcp(7844))
            .AllowEgress(Peer.Component(EnvoyExternal), EnvoyExternal.Port("http"), EnvoyExternal.Port("https"))
            .AllowDns();

    /// <summary>external-dns (Cloudflare): in: Prometheus on 7979. Out: world 443 (Cloudflare API), API server
    /// 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy ExternalDnsCloudflarePolicy() =>
        Namespaced(ExternalDnsCloudflare, "external-dns: syncs DNS records to Cloudflare")
            .AllowIngress(Peer.Component(Prometheus), ExternalDnsCloudflare.Port("metrics"))
            .AllowEgress(World, Port.Tcp(443))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>k8s-gateway: in: world (the home network) on 53 and 1053, UDP and TCP (the chart listens on 1053
    /// behind a port-53 Service; 53 is kept for configurations that listen on 53), Prometheus on 9153. Out: API
    /// server 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy K8sGatewayPolicy() =>
        Namespaced(K8sGateway, "k8s-gateway: answers the home network for cluster hostnames")
            .AllowIngress(World, Port.Udp(53), Port.Tcp(53), K8sGateway.Port("dns-udp"), K8sGateway.Port("dns-tcp"))
            .AllowIngress(Peer.Component(Prometheus), K8sGateway.Port("metrics"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Object store (RustFS): in: Loki, Langfuse, the cache, the CNPG clusters (backups), its own namespace
    /// and Prometheus on 9000; the envoy-internal proxies on 9001 (console). Out: Alloy 4318 (OTLP), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy ObjectStorePolicy() =>
        Namespaced(ObjectStore, "Object store: S3 for Loki, backups and Langfuse")
            .AllowIngress(
                [Peer.Component(Loki), Peer.Component(Langfuse), Peer.Component(Cache), Peer.Component(KeycloakPostgres), Peer.Component(LiteLlmPostgres), Peer.Component(LangfusePostgres), Peer.Namespace(ObjectStore.Namespace), Peer.Component(Prometheus)],
                [ObjectStore.Port("s3")])
            .AllowIngress(Peer.Component(EnvoyInternal), ObjectStore.Port("console"))
            .AllowEgress(Peer.Component(Alloy), Alloy.Port("otlp-http"))
            .AllowDns();

    /// <summary>Cache (Dragonfly): in: pods of identity and ai-system on 6379, Prometheus on 9999. Out: the object
    /// store on 9000 (snapshots), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy CachePolicy() =>
        Namespaced(Cache, "Cache: Redis-compatible, for identity and ai-system")
            .AllowIngress([Peer.Namespace("identity"), Peer.Namespace("ai-system")], [Cache.Port("redis")])
            .AllowIngress(Peer.Component(Prometheus), Cache.Port("metrics"))
            .AllowEgress(Peer.Component(ObjectStore), ObjectStore.Port("s3"))
            .AllowDns();

    /// <summary>Keycloak: in: the Envoy proxies and Langfuse (OIDC back channel) on 8080, other Keycloak pods on 7800 (JGroups), Prometheus on 9000.
    /// Out: its PostgreSQL 5432, other Keycloak pods 7800, Tempo 4317, the Google, GitHub and Microsoft identity
    /// providers on 443 (FQDN, with the DNS-proxy rule), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy KeycloakPolicy() =>
        Namespaced(Keycloak, "Keycloak: identity provider")
            .AllowIngress([Peer.Component(EnvoyInternal), Peer.Component(EnvoyExternal), Peer.Component(Langfuse)], [Keycloak.Port("http")])
            .AllowIngress(Peer.Component(Keycloak), Keycloak.Port("jgroups"))
            .AllowIngress(Peer.Component(Prometheus), Keycloak.Port("management"))
            .AllowEgress(Peer.Component(KeycloakPostgres), KeycloakPostgres.Port("postgres"))
            .AllowEgress(Peer.Component(Keycloak), Keycloak.Port("jgroups"))
            .AllowEgress(Peer.Component(Tempo), Tempo.Port("otlp-grpc"))
            .AllowEgress(
                [Peer.FqdnPattern("*.googleapis.com"), Peer.Fqdn("accounts.google.com"), Peer.Fqdn("oauth2.googleapis.com"), Peer.FqdnPattern("*.github.com"), Peer.Fqdn("github.com"), Peer.Fqdn("api.github.com"), Peer.Fqdn("login.microsoftonline.com"), Peer.Fqdn("graph.microsoft.com")],
                [Port.Tcp(443)])
            .AllowDns();

    /// <summary>LiteLLM: in: the Envoy proxies, Langfuse and Prometheus on 4000. Out: Azure AI endpoints on 443 (FQDN
    /// patterns, with the DNS-proxy rule), its PostgreSQL 5432, the cache 6379, Tempo 4317, Langfuse 3000, API server
    /// 6443, DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy LiteLlmPolicy() =>
        Namespaced(LiteLlm, "LiteLLM: model gateway")
            .AllowIngress([Peer.Component(EnvoyInternal), Peer.Component(EnvoyExternal), Peer.Component(Langfuse), Peer.Component(Prometheus)], [LiteLlm.Port("http")])
            .AllowEgress(
                new[] { "*.openai.azure.com", "*.models.ai.azure.com", "*.cognitiveservices.azure.com", "*.services.ai.azure.com", "*.stt.speech.microsoft.com", "*.tts.speech.microsoft.com" }.Select(Peer.FqdnPattern),
                [Port.Tcp(443)])
            .AllowEgress(Peer.Component(LiteLlmPostgres), LiteLlmPostgres.Port("postgres"))
            .AllowEgress(Peer.Component(Cache), Cache.Port("redis"))
            .AllowEgress(Peer.Component(Tempo), Tempo.Port("otlp-grpc"))
            .AllowEgress(Peer.Component(Langfuse), Langfuse.Port("http"))
            .AllowEgress(ApiServer, KubeApiServerPort)
            .AllowDns();

    /// <summary>Langfuse: in: the Envoy proxies, LiteLLM and Prometheus on 3000. Out: its PostgreSQL 5432, ClickHouse
    /// 8123 and 9000, the cache 6379, the object store 9000, Keycloak 8080, LiteLLM 4000, Tempo 4318, SMTP submission (587, 465) to
    /// any name (FQDN pattern "*", with the DNS-proxy rule), DNS.</summary>
    /// <returns>The policy.</returns>
    public static Policy LangfusePolicy() =>
        Namespaced(Langfuse, "Langfuse: LLM observability")
            .AllowIngress([Peer.Component(EnvoyInternal), Peer.Component(EnvoyExternal), Peer.Component(LiteLlm), Peer.Component(Prometheus)], [Langfuse.Port("http")])
            .AllowEgress(Peer.Component(LangfusePostgres), LangfusePostgres.Port("postgres"))
            .AllowEgress(Peer.Component(ClickHouse), ClickHouse.Port("http"), ClickHouse.Port("native"))
            .AllowEgress(Peer.Component(Cache), Cache.Port("redis"))
            .AllowEgress(Peer.Component(ObjectStore), ObjectStore.Port("s3"))
            .AllowEgress(Peer.Component(Keycloak), Keycloak.Port("http"))
            .AllowEgress(Peer.Component(LiteLlm), LiteLlm.Port("http"))
            .AllowEgress(Peer.Component(Tempo), Tempo.Port("otlp-http"))
            .AllowEgress([Peer.FqdnPattern("*")], [Port.Tcp(587), Port.Tcp(465)])
            .AllowDns();

    private static Policy Namespaced(Component component, string description) =>
        Policy.Namespaced(component.Name, component.Namespace).WithDescription(description).Selecting(component);
}
