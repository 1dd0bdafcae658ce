using System.Text.Json.Nodes;

namespace Cilium.Sdk.Bgp;

/// <summary>The Cilium Helm values BGP implies.</summary>
public static class BgpHelmValues
{
    /// <summary>
    /// <c>bgpControlPlane.enabled: true</c>. With BGP the router learns the LoadBalancer IPs, so L2 announcements stay
    /// off: the builder writes no <c>l2announcements</c> key (the chart default is off) and no
    /// CiliumL2AnnouncementPolicy. Merge it into the chart values; a new object on every call.
    /// </summary>
    /// <returns>The values fragment.</returns>
    public static JsonObject Create() => new()
    {
        ["bgpControlPlane"] = new JsonObject { ["enabled"] = true },
    };
}
