namespace Cilium.Sdk.LoadBalancing;

/// <summary>How Cilium picks a backend.</summary>
public enum LoadBalancerAlgorithm
{
    /// <summary>Maglev consistent hashing: a backend change moves few connections (the homelab default).</summary>
    Maglev,

    /// <summary>Random backend selection (Cilium's chart default).</summary>
    Random,
}

/// <summary>How replies from a remote backend return to the client.</summary>
public enum LoadBalancerMode
{
    /// <summary>Direct server return: the backend answers the client directly (keeps the client IP; needs native routing).</summary>
    Dsr,

    /// <summary>SNAT: replies travel back through the node that received the request.</summary>
    Snat,

    /// <summary>DSR for TCP, SNAT for UDP.</summary>
    Hybrid,
}

/// <summary>Service load-balancing settings.</summary>
/// <param name="Algorithm">Backend selection.</param>
/// <param name="Mode">Reply path for remote backends.</param>
public sealed record LoadBalancerOptions(LoadBalancerAlgorithm Algorithm = LoadBalancerAlgorithm.Maglev, LoadBalancerMode Mode = LoadBalancerMode.Dsr);
