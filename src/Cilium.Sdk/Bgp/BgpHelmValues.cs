using System.Text.Json.Nodes;

namespace Cilium.Sdk.Bgp;

/// <summary>The Cilium Helm values BGP implies.</summary>
public static class BgpHelmValues
{
    /// <summary>
    /// <c>bgpControlPlane.enabled: true</c> and <c>l2announcements.enabled: false</c>: with BGP the router learns the
    /// LoadBalancer IPs, so L2 announcements (and any CiliumL2AnnouncementPolicy) must be off. Merge it into the
    /// chart values; a new object on every call.
    /// </summary>
    /// <returns>The values fragment.</returns>
    public static JsonObject Create() => new()
    {
        ["bgpControlPlane"] = new JsonObject { ["enabled"] = true },
        ["l2announcements"] = new JsonObject { ["enabled"] = false },
    };
}
