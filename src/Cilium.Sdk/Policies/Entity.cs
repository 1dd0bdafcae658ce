using System;
using System.Collections.Generic;
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

/// <summary>The names policies and Hubble give entities (<c>remote-node</c>, <c>kube-apiserver</c>), both ways.</summary>
public static class EntityNames
{
    private static readonly Entity[] All = Enum.GetValues<Entity>();

    /// <summary>Every entity name, in the enum's order (<c>host</c>, <c>remote-node</c>, ...).</summary>
    public static IReadOnlyList<string> Names { get; } = Array.ConvertAll(All, e => e.ToWire());

    /// <summary>Parses an entity name as written in <c>toEntities</c>/<c>fromEntities</c> (case-sensitive, as the API server's enum).</summary>
    /// <param name="name">The name, e.g. <c>remote-node</c>.</param>
    /// <returns>The entity.</returns>
    /// <exception cref="ArgumentException">The name is not an entity; the message lists the names.</exception>
    public static Entity Parse(string name) =>
        TryParse(name, out var entity)
            ? entity
            : throw new ArgumentException($"'{name}' is not a Cilium entity; use one of {string.Join(", ", Names)}", nameof(name));

    /// <summary>Parses like <see cref="Parse"/>, without throwing.</summary>
    /// <param name="name">The name.</param>
    /// <param name="entity">The entity, when the name is one.</param>
    /// <returns>Whether <paramref name="name"/> names an entity.</returns>
    public static bool TryParse(string? name, out Entity entity)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToWire(), name, StringComparison.Ordinal))
            {
                entity = candidate;
                return true;
            }
        }

        entity = default;
        return false;
    }

    /// <summary>The name policies use for <paramref name="entity"/>, e.g. <c>remote-node</c>.</summary>
    /// <param name="entity">The entity.</param>
    /// <returns>The name.</returns>
    public static string ToName(this Entity entity) => entity.ToWire();
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
