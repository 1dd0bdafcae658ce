namespace Cilium.Sdk.Routing;

/// <summary>How pod traffic between nodes travels.</summary>
public enum RoutingMode
{
    /// <summary>Native routing: pod packets are routed as they are; nodes learn each other's pod CIDRs (auto direct node routes on one L2 segment).</summary>
    Native,

    /// <summary>Encapsulation (VXLAN or Geneve) between nodes.</summary>
    Tunnel,
}

/// <summary>The encapsulation used in tunnel mode.</summary>
public enum TunnelProtocol
{
    /// <summary>VXLAN (Cilium's default).</summary>
    Vxlan,

    /// <summary>Geneve (needed for DSR with Geneve dispatch).</summary>
    Geneve,
}

/// <summary>Pod routing. Create with <see cref="Native"/> or <see cref="Tunnel"/>.</summary>
public sealed record RoutingOptions
{
    private RoutingOptions(RoutingMode mode, TunnelProtocol? protocol, bool autoDirectNodeRoutes)
    {
        Mode = mode;
        Protocol = protocol;
        AutoDirectNodeRoutes = autoDirectNodeRoutes;
    }

    /// <summary>Native or tunnel.</summary>
    public RoutingMode Mode { get; init; }

    /// <summary>The tunnel protocol (tunnel mode only).</summary>
    public TunnelProtocol? Protocol { get; init; }

    /// <summary>Install routes to other nodes' pod CIDRs directly (native mode, nodes on one L2 segment).</summary>
    public bool AutoDirectNodeRoutes { get; init; }

    /// <summary>The native-routing CIDR; unset means the pod CIDR.</summary>
    public string? NativeRoutingCidr { get; init; }

    /// <summary>Native routing with auto direct node routes (the homelab default: all nodes on one LAN).</summary>
    /// <param name="autoDirectNodeRoutes">False when a router, not the nodes, carries pod routes.</param>
    public static RoutingOptions Native(bool autoDirectNodeRoutes = true) => new(RoutingMode.Native, null, autoDirectNodeRoutes);

    /// <summary>Tunnel mode.</summary>
    /// <param name="protocol">VXLAN (default) or Geneve.</param>
    public static RoutingOptions Tunnel(TunnelProtocol protocol = TunnelProtocol.Vxlan) => new(RoutingMode.Tunnel, protocol, false);
}
