namespace Cilium.Sdk.Migration;

/// <summary>
/// What the cluster template renders when an optional <c>cluster.yaml</c> key is omitted (its schema's defaults and
/// its templates' <c>| default(...)</c> filters). The importer applies these, so a repository migrated from the
/// template keeps its behaviour; the builder's own defaults (for clusters written in C#) may differ, and
/// docs/migration.md names each deliberate difference.
/// </summary>
public static class TemplateDefaults
{
    /// <summary><c>cilium_bgp_hold_time</c>: 30 seconds.</summary>
    public const int BgpHoldTimeSeconds = 30;

    /// <summary><c>cilium_bgp_keepalive_time</c>: 10 seconds.</summary>
    public const int BgpKeepaliveTimeSeconds = 10;

    /// <summary><c>cilium_bgp_graceful_restart</c>: off (the template renders no <c>gracefulRestart</c> block, so
    /// Cilium's own default, off, applies).</summary>
    public const bool BgpGracefulRestart = false;

    /// <summary><c>cilium_bgp_graceful_restart_time</c>: 120 seconds (used only when graceful restart is on).</summary>
    public const int BgpGracefulRestartTimeSeconds = 120;

    /// <summary><c>cilium_bgp_ecmp_max_paths</c>: 3 (the router's <c>maximum-paths</c>).</summary>
    public const int BgpEcmpMaxPaths = 3;

    /// <summary><c>cilium_loadbalancer_mode</c>: dsr.</summary>
    public const string LoadBalancerMode = "dsr";

    /// <summary><c>cluster_pod_cidr</c>: 10.42.0.0/16.</summary>
    public const string PodCidr = "10.42.0.0/16";

    /// <summary><c>cluster_svc_cidr</c>: 10.43.0.0/16.</summary>
    public const string ServiceCidr = "10.43.0.0/16";

    /// <summary><c>network_policies_mode</c>: audit.</summary>
    public const string NetworkPoliciesMode = "audit";

    /// <summary><c>spegel_enabled</c>: on when the cluster has more than one node.</summary>
    /// <param name="nodes">The number of nodes in <c>nodes.yaml</c>.</param>
    /// <returns>Whether the template deploys Spegel.</returns>
    public static bool SpegelEnabled(int nodes) => nodes > 1;
}
