// A full homelab cluster, written the way a user would: three Talos controllers, BGP to the UniFi gateway (FRR) with
// a dedicated LoadBalancer CIDR, Hubble with the UI and metrics into a monitoring stack with tracing, and the policy
// presets for everything the cluster runs, in audit mode first. It is the SDK form of the cluster template's
// "BGP with every option" and "policies in audit mode" cases. Writes the GitOps tree, the Talos patch and the router
// config under ./out (or the folder given as argument).
//
// The BGP password is a secret: it comes from the environment (HOMELAB_BGP_PASSWORD), never from source code, and
// the SDK writes it only to files meant for SOPS encryption (*.sops.yaml).
using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Secrets;

var outDir = Path.GetFullPath(args.Length > 0 ? args[0] : "out");
var password = Environment.GetEnvironmentVariable("HOMELAB_BGP_PASSWORD") is { Length: > 0 } secret ? new SecretValue(secret) : null;

var bgp = new BgpOptions(RouterAddress: IPAddress.Parse("192.168.1.1"), RouterAsn: 64513, NodeAsn: 64514)
{
    Timers = BgpTimerOptions.Default,                          // hold 9 s, keepalive 3 s, connect-retry 10 s
    GracefulRestart = BgpGracefulRestartOptions.On(restartTimeSeconds: 120),
    EcmpMaxPaths = 4,
    Password = password,
};

// What the cluster runs; each component brings its preset policy (Presets.For adds cluster-wide DNS).
Component[] components =
[
    // The template's base: DNS, metrics, registry mirror, Flux, cert-manager, Envoy Gateway, Cloudflare, k8s-gateway.
    Components.CoreDns, Components.MetricsServer, Components.Spegel, Components.Reloader, Components.FluxControllers,
    Components.CertManagerController, Components.CertManagerWebhook, Components.CertManagerCainjector,
    Components.EnvoyGatewayController, Components.EnvoyInternal, Components.EnvoyExternal,
    Components.CloudflareTunnel, Components.ExternalDnsCloudflare, Components.K8sGateway,
    // Observability.
    Components.HubbleRelay, Components.HubbleUi,
    Components.Prometheus, Components.Grafana, Components.Alertmanager, Components.Alloy, Components.Loki, Components.Tempo,
    // Storage, cache, identity and the AI apps with their databases.
    Components.ObjectStore, Components.Cache,
    Components.Keycloak, Components.KeycloakPostgres,
    Components.LiteLlm, Components.LiteLlmPostgres,
    Components.Langfuse, Components.LangfusePostgres, Components.ClickHouse,
];

var builder = CiliumCluster.Create("home-ops")
    .WithCiliumVersion(CiliumVersion.V1_20)
    .WithNodeCidr("192.168.1.0/24")
    .WithApiAddress("192.168.1.20")
    .WithNodes(
        ClusterNode.Controller("k8s-0", "192.168.1.10"),
        ClusterNode.Controller("k8s-1", "192.168.1.11"),
        ClusterNode.Controller("k8s-2", "192.168.1.12"))
    .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, LoadBalancerMode.Dsr)
    // With BGP the pool is its own routed CIDR, and the pinned gateway addresses live inside it.
    .WithLoadBalancerPool(LbPool.Create("pool").WithCidr("172.20.10.0/24"))
    .WithPinnedServiceIp("network", "envoy-internal", "172.20.10.21")
    .WithPinnedServiceIp("network", "k8s-gateway", "172.20.10.22")
    .WithPinnedServiceIp("network", "envoy-external", "172.20.10.23")
    .WithBgp(bgp)
    .WithHubble(HubbleOptions.Default.WithUi().WithMetrics([.. HubbleMetric.Standard(tracing: true)]))
    .WithMonitoring(new Monitoring(Namespace: "monitoring", GrafanaFolder: "Network", Tracing: true))
    .WithPolicies(Presets.For(components), PolicyMode.Audit);

// Validate the whole description first: every problem at once, each with its path and fix.
var problems = builder.Validate();
foreach (var problem in problems)
{
    Console.Error.WriteLine(problem);
}

if (problems.Any(p => p.IsError))
{
    return 1;
}

var rendered = builder.Build().Render();
var result = rendered.WriteTo(outDir);
foreach (var path in result.Created.Concat(result.Updated).Order(StringComparer.Ordinal))
{
    Console.WriteLine($"  {path}");
}

Console.WriteLine(result);
return 0;
