using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using Cilium.Sdk.Bgp;

namespace Cilium.Sdk.Tests.Bgp.Live;

/// <summary>
/// A node's gobgpd (GoBGP, the BGP library inside Cilium) configuration derived from the rendered Cilium resources,
/// the way Cilium's agent derives its BGP instance from them: the cluster config's instance and peer, the peer
/// config's timers, graceful restart and auth secret, and the node's override. Cilium never listens (port -1).
/// </summary>
public static class GobgpdConfig
{
    public static string ForNode(BgpRendered rendered, BgpNode node, string? passwordOverride = null)
    {
        var instance = rendered.ClusterConfig.Spec.BgpInstances.Single();
        var peer = instance.Peers!.Single();
        var spec = rendered.PeerConfig.Spec!;
        var nodeOverride = rendered.NodeOverrides.SingleOrDefault(o => o.Metadata.Name == node.Name)?.Spec.BgpInstances.Single(i => i.Name == instance.Name);
        var localAsn = nodeOverride?.LocalASN ?? instance.LocalASN!.Value;
        var routerId = nodeOverride?.RouterID ?? node.Address.ToString();
        var localAddress = nodeOverride?.Peers?.SingleOrDefault(p => p.Name == peer.Name)?.LocalAddress;

        string? password = null;
        if (spec.AuthSecretRef is not null)
        {
            Assert.Equal(spec.AuthSecretRef, rendered.PasswordSecret!.Metadata.Name);
            password = passwordOverride ?? rendered.PasswordSecret.StringData["password"];
        }

        var t = new StringBuilder();
        void L(FormattableString line) => t.Append(FormattableString.Invariant(line)).Append('\n');
        L($"# gobgpd for node {node.Name}, from {rendered.ClusterConfig.Metadata.Name} / {rendered.PeerConfig.Metadata.Name}");
        L($"[global.config]");
        L($"  as = {localAsn}");
        L($"  router-id = \"{routerId}\"");
        L($"  port = -1");
        L($"[[neighbors]]");
        L($"  [neighbors.config]");
        L($"    neighbor-address = \"{peer.PeerAddress}\"");
        L($"    peer-as = {peer.PeerASN}");
        if (password is not null)
        {
            L($"    auth-password = \"{Toml(password)}\"");
        }

        L($"  [neighbors.timers.config]");
        L($"    connect-retry = {spec.Timers?.ConnectRetryTimeSeconds ?? 120}");
        L($"    hold-time = {spec.Timers?.HoldTimeSeconds ?? 90}");
        L($"    keepalive-interval = {spec.Timers?.KeepAliveTimeSeconds ?? 30}");
        if (localAddress is not null)
        {
            L($"  [neighbors.transport.config]");
            L($"    local-address = \"{localAddress}\"");
        }

        if (spec.EbgpMultihop is { } ttl && ttl > 1)
        {
            L($"  [neighbors.ebgp-multihop.config]");
            L($"    enabled = true");
            L($"    multihop-ttl = {ttl}");
        }

        var gr = spec.GracefulRestart is { Enabled: true };
        if (gr)
        {
            L($"  [neighbors.graceful-restart.config]");
            L($"    enabled = true");
            L($"    restart-time = {spec.GracefulRestart!.RestartTimeSeconds ?? 120}");
            L($"    notification-enabled = true");
        }

        foreach (var family in spec.Families!)
        {
            var afi = family.Afi.ToString().ToLowerInvariant();
            var safi = family.Safi.ToString().ToLowerInvariant();
            L($"  [[neighbors.afi-safis]]");
            L($"    [neighbors.afi-safis.config]");
            L($"      afi-safi-name = \"{afi}-{safi}\"");
            if (gr)
            {
                L($"    [neighbors.afi-safis.mp-graceful-restart.config]");
                L($"      enabled = true");
            }
        }

        return t.ToString();
    }

    private static string Toml(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
