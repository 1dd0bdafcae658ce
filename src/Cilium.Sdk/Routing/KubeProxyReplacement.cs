namespace Cilium.Sdk.Routing;

/// <summary>
/// Whether Cilium replaces kube-proxy, and how it reaches the Kubernetes API without it. The default is Talos:
/// KubePrism on <c>127.0.0.1:7445</c>, kube-proxy health on <c>0.0.0.0:10256</c>.
/// </summary>
public sealed record KubeProxyReplacement
{
    private KubeProxyReplacement(bool enabled, string apiHost, int apiPort, string healthzBindAddress)
    {
        Enabled = enabled;
        ApiHost = apiHost;
        ApiPort = apiPort;
        HealthzBindAddress = healthzBindAddress;
    }

    /// <summary>Talos KubePrism's host.</summary>
    public const string KubePrismHost = "127.0.0.1";

    /// <summary>Talos KubePrism's port.</summary>
    public const int KubePrismPort = 7445;

    /// <summary>True when Cilium replaces kube-proxy.</summary>
    public bool Enabled { get; init; }

    /// <summary>The API host Cilium talks to (<c>k8sServiceHost</c>).</summary>
    public string ApiHost { get; init; }

    /// <summary>The API port Cilium talks to (<c>k8sServicePort</c>).</summary>
    public int ApiPort { get; init; }

    /// <summary>Where Cilium serves kube-proxy's health check (<c>kubeProxyReplacementHealthzBindAddr</c>).</summary>
    public string HealthzBindAddress { get; init; }

    /// <summary>True when the API endpoint is Talos KubePrism (the Talos patch then enables it).</summary>
    public bool UsesKubePrism => ApiHost == KubePrismHost && ApiPort == KubePrismPort;

    /// <summary>Cilium replaces kube-proxy (the default), reaching the API at the given endpoint.</summary>
    /// <param name="apiHost">API host; default Talos KubePrism.</param>
    /// <param name="apiPort">API port; default Talos KubePrism.</param>
    /// <param name="healthzBindAddress">kube-proxy health bind address.</param>
    public static KubeProxyReplacement On(string apiHost = KubePrismHost, int apiPort = KubePrismPort, string healthzBindAddress = "0.0.0.0:10256") =>
        new(true, apiHost, apiPort, healthzBindAddress);

    /// <summary>kube-proxy stays; Cilium still needs the API endpoint.</summary>
    /// <param name="apiHost">API host; default Talos KubePrism.</param>
    /// <param name="apiPort">API port; default Talos KubePrism.</param>
    public static KubeProxyReplacement Off(string apiHost = KubePrismHost, int apiPort = KubePrismPort) => new(false, apiHost, apiPort, string.Empty);
}
