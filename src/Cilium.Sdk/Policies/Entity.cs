using System;
using Cilium.Sdk.Resources;

namespace Cilium.Sdk.Policies;

/// <summary>A Cilium reserved identity a policy can name as a peer (<c>toEntities</c> / <c>fromEntities</c>).</summary>
public enum Entity
{
    /// <summary><c>host</c>: the local node, including host-network pods such as the Cilium agent.</summary>
    Host,

    /// <summary><c>remote-node</c>: every other node of the cluster, including their host-network pods.</summary>
    RemoteNode,

    /// <summary><c>kube-apiserver</c>: the Kubernetes API server, wherever it runs.</summary>
    KubeApiServer,

    /// <summary><c>world</c>: everything outside the cluster.</summary>
    World,

    /// <summary><c>cluster</c>: every endpoint and node inside the cluster.</summary>
    Cluster,

    /// <summary><c>health</c>: Cilium's health-check endpoints.</summary>
    Health,

    /// <summary><c>init</c>: endpoints whose identity is not resolved yet.</summary>
    Init,

    /// <summary><c>ingress</c>: Cilium's own ingress / Gateway API Envoy listener.</summary>
    Ingress,

    /// <summary><c>unmanaged</c>: pods Cilium does not manage.</summary>
    Unmanaged,

    /// <summary><c>all</c>: every identity.</summary>
    All,
}

internal static class EntityWire
{
    public static PolicyEntity ToGenerated(this Entity entity) => entity switch
    {
        Entity.Host => PolicyEntity.Host,
        Entity.RemoteNode => PolicyEntity.RemoteNode,
        Entity.KubeApiServer => PolicyEntity.KubeApiserver,
        Entity.World => PolicyEntity.World,
        Entity.Cluster => PolicyEntity.Cluster,
        Entity.Health => PolicyEntity.Health,
        Entity.Init => PolicyEntity.Init,
        Entity.Ingress => PolicyEntity.Ingress,
        Entity.Unmanaged => PolicyEntity.Unmanaged,
        Entity.All => PolicyEntity.All,
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "not an Entity value"),
    };

    public static string ToWire(this Entity entity) => entity switch
    {
        Entity.Host => "host",
        Entity.RemoteNode => "remote-node",
        Entity.KubeApiServer => "kube-apiserver",
        Entity.World => "world",
        Entity.Cluster => "cluster",
        Entity.Health => "health",
        Entity.Init => "init",
        Entity.Ingress => "ingress",
        Entity.Unmanaged => "unmanaged",
        Entity.All => "all",
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "not an Entity value"),
    };
}
