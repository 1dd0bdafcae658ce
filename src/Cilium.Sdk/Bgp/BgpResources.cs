using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Resources.V2;
using Cilium.Sdk.Validation;
using CrdKit.Validation;
using k8s.Models;

namespace Cilium.Sdk.Bgp;

/// <summary>Renders the Cilium BGP control plane v2 resources (and the password Secret) from <see cref="BgpOptions"/>.</summary>
public static class BgpResources
{
    /// <summary>Name of the CiliumBGPClusterConfig.</summary>
    public const string ClusterConfigName = "bgp-cluster-config";

    /// <summary>Name of the CiliumBGPPeerConfig.</summary>
    public const string PeerConfigName = "bgp-peer-config-v4";

    /// <summary>Name of the CiliumBGPAdvertisement.</summary>
    public const string AdvertisementName = "bgp-advertisement-config";

    /// <summary>Name of the password Secret.</summary>
    public const string PasswordSecretName = "bgp-peer-password";

    /// <summary>The Secret's key Cilium reads the password from.</summary>
    public const string PasswordKey = "password";

    /// <summary>The label that ties the peer config's families to the advertisement.</summary>
    public const string AdvertiseLabel = "advertise";

    /// <summary>The value of <see cref="AdvertiseLabel"/>.</summary>
    public const string AdvertiseLabelValue = "bgp";

    /// <summary>The BGP instance name for a node ASN (<c>instance-64514</c>).</summary>
    /// <param name="nodeAsn">The node ASN.</param>
    /// <returns>The name.</returns>
    public static string InstanceName(uint nodeAsn) => "instance-" + nodeAsn.ToString(CultureInfo.InvariantCulture);

    /// <summary>The peer name for a router ASN (<c>peer-64513-v4</c>).</summary>
    /// <param name="routerAsn">The router ASN.</param>
    /// <returns>The name.</returns>
    public static string PeerName(uint routerAsn) => "peer-" + routerAsn.ToString(CultureInfo.InvariantCulture) + "-v4";

    /// <summary>
    /// Renders the resources for <paramref name="topology"/>'s Cilium version. Every record passes its generated
    /// <c>Validate(version)</c>.
    /// </summary>
    /// <param name="options">The BGP settings.</param>
    /// <param name="topology">The cluster's nodes and pools.</param>
    /// <returns>The typed resources.</returns>
    /// <exception cref="BgpConfigurationException"><see cref="BgpValidator.Validate(BgpOptions, BgpTopology)"/> reports an error.</exception>
    public static BgpRendered Render(BgpOptions options, BgpTopology topology)
    {
        BgpConfigurationException.ThrowIfInvalid(options, topology);

        var instance = InstanceName(options.NodeAsn);
        var peer = PeerName(options.RouterAsn);
        var cluster = new CiliumBGPClusterConfig
        {
            Metadata = new V1ObjectMeta { Name = ClusterConfigName },
            Spec = new BgpClusterConfigSpec
            {
                NodeSelector = new V1LabelSelector { MatchLabels = Sorted(options.NodeSelector) },
                BgpInstances =
                [
                    new BgpInstance
                    {
                        Name = instance,
                        LocalASN = options.NodeAsn,
                        Peers =
                        [
                            new BgpPeer
                            {
                                Name = peer,
                                PeerASN = options.RouterAsn,
                                PeerAddress = options.RouterAddress.ToString(),
                                PeerConfigRef = new PeerConfigReference { Name = PeerConfigName },
                            },
                        ],
                    },
                ],
            },
        };

        var timers = options.Timers;
        var peerConfig = new CiliumBGPPeerConfig
        {
            Metadata = new V1ObjectMeta { Name = PeerConfigName },
            Spec = new BgpPeerConfigSpec
            {
                AuthSecretRef = options.Password is null ? null : PasswordSecretName,
                EbgpMultihop = options.EbgpMultihop,
                Timers = new BgpTimers
                {
                    HoldTimeSeconds = timers.HoldTimeSeconds,
                    KeepAliveTimeSeconds = timers.KeepAliveTimeSeconds,
                    ConnectRetryTimeSeconds = timers.ConnectRetryTimeSeconds,
                },
                GracefulRestart = options.GracefulRestart.Enabled
                    ? new BgpGracefulRestart { Enabled = true, RestartTimeSeconds = options.GracefulRestart.RestartTimeSeconds }
                    : new BgpGracefulRestart { Enabled = false },
                Families =
                [
                    new BgpFamilyWithAdvertisements
                    {
                        Afi = CiliumBGPPeerConfigAfi.Ipv4,
                        Safi = CiliumBGPPeerConfigSafi.Unicast,
                        Advertisements = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [AdvertiseLabel] = AdvertiseLabelValue } },
                    },
                ],
            },
        };

        var advertisement = new CiliumBGPAdvertisement
        {
            Metadata = new V1ObjectMeta { Name = AdvertisementName, Labels = new Dictionary<string, string> { [AdvertiseLabel] = AdvertiseLabelValue } },
            Spec = new BgpAdvertisementSpec { Advertisements = Advertisements(options.Advertise) },
        };

        var overrides = new List<CiliumBGPNodeConfigOverride>();
        foreach (var node in topology.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            options.NodeOverrides.TryGetValue(node.Name, out var o);
            var asn = options.AsnOf(node.Name);
            if (o is null && asn == options.NodeAsn)
            {
                continue;
            }

            overrides.Add(new CiliumBGPNodeConfigOverride
            {
                // Cilium matches an override to its node by name.
                Metadata = new V1ObjectMeta { Name = node.Name },
                Spec = new BgpNodeConfigOverrideSpec
                {
                    BgpInstances =
                    [
                        new BgpInstanceOverride
                        {
                            Name = instance,
                            LocalASN = asn == options.NodeAsn ? null : asn,
                            RouterID = o?.RouterId?.ToString(),
                            Peers = o?.LocalAddress is null ? null : [new BgpPeerOverride { Name = peer, LocalAddress = o.LocalAddress.ToString() }],
                        },
                    ],
                },
            });
        }

        V1Secret? secret = null;
        if (options.Password is not null)
        {
            secret = new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = PasswordSecretName, NamespaceProperty = options.SecretNamespace },
                Type = "Opaque",
                StringData = new Dictionary<string, string> { [PasswordKey] = options.Password.Reveal() },
            };
        }

        var rendered = new BgpRendered(cluster, peerConfig, advertisement, overrides, secret);
        EnsureSchemaValid(rendered, topology);
        return rendered;
    }

    private static List<BgpAdvertisement> Advertisements(BgpAdvertise advertise)
    {
        var list = new List<BgpAdvertisement>();
        var addresses = new List<CiliumBGPAdvertisementAddresses>();
        if (advertise.HasFlag(BgpAdvertise.LoadBalancerIP))
        {
            addresses.Add(CiliumBGPAdvertisementAddresses.LoadBalancerIP);
        }

        if (advertise.HasFlag(BgpAdvertise.ClusterIP))
        {
            addresses.Add(CiliumBGPAdvertisementAddresses.ClusterIP);
        }

        if (advertise.HasFlag(BgpAdvertise.ExternalIP))
        {
            addresses.Add(CiliumBGPAdvertisementAddresses.ExternalIP);
        }

        if (addresses.Count > 0)
        {
            list.Add(new BgpAdvertisement
            {
                AdvertisementType = BgpAdvertisementType.Service,
                Service = new BgpServiceOptions { Addresses = addresses },

                // Cilium's documented idiom for "every Service" (without a selector no Service is advertised); the
                // template's expression, kept for parity.
                Selector = new V1LabelSelector
                {
                    MatchExpressions = [new V1LabelSelectorRequirement { Key = "somekey", OperatorProperty = "NotIn", Values = ["never-used-value"] }],
                },
            });
        }

        if (advertise.HasFlag(BgpAdvertise.PodCIDR))
        {
            list.Add(new BgpAdvertisement { AdvertisementType = BgpAdvertisementType.PodCIDR });
        }

        return list;
    }

    private static Dictionary<string, string> Sorted(IReadOnlyDictionary<string, string> labels) =>
        labels.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static void EnsureSchemaValid(BgpRendered rendered, BgpTopology topology)
    {
        var version = topology.CiliumVersion.ToString();
        var errors = new List<ValidationError>();
        errors.AddRange(rendered.ClusterConfig.Validate(version));
        errors.AddRange(rendered.PeerConfig.Validate(version));
        errors.AddRange(rendered.Advertisement.Validate(version));
        foreach (var o in rendered.NodeOverrides)
        {
            errors.AddRange(o.Validate(version));
        }

        if (errors.Count > 0)
        {
            // BgpValidator should have caught this: a rule is missing there.
            throw new InvalidOperationException("The rendered BGP resources fail their schema: " + string.Join("; ", errors));
        }
    }
}

/// <summary>The rendered BGP resources.</summary>
/// <remarks>
/// <see cref="PasswordSecret"/> holds the password in clear text: write it only as an encrypted <c>*.sops.yaml</c>
/// file. <see cref="ToString"/> never shows it.
/// </remarks>
public sealed class BgpRendered
{
    internal BgpRendered(
        CiliumBGPClusterConfig clusterConfig,
        CiliumBGPPeerConfig peerConfig,
        CiliumBGPAdvertisement advertisement,
        IReadOnlyList<CiliumBGPNodeConfigOverride> nodeOverrides,
        V1Secret? passwordSecret)
    {
        ClusterConfig = clusterConfig;
        PeerConfig = peerConfig;
        Advertisement = advertisement;
        NodeOverrides = nodeOverrides;
        PasswordSecret = passwordSecret;
    }

    /// <summary>The CiliumBGPClusterConfig (<c>bgp-cluster-config</c>).</summary>
    public CiliumBGPClusterConfig ClusterConfig { get; }

    /// <summary>The CiliumBGPPeerConfig (<c>bgp-peer-config-v4</c>).</summary>
    public CiliumBGPPeerConfig PeerConfig { get; }

    /// <summary>The CiliumBGPAdvertisement (<c>bgp-advertisement-config</c>).</summary>
    public CiliumBGPAdvertisement Advertisement { get; }

    /// <summary>One CiliumBGPNodeConfigOverride per node with overrides or its own ASN, ordered by node name.</summary>
    public IReadOnlyList<CiliumBGPNodeConfigOverride> NodeOverrides { get; }

    /// <summary>The password Secret (<c>bgp-peer-password</c>, key <c>password</c>), or null without a password. Secret output.</summary>
    public V1Secret? PasswordSecret { get; }

    /// <summary>The resources that hold no secret, in a stable order (cluster config, peer config, advertisement, overrides).</summary>
    public IReadOnlyList<object> NonSecretResources =>
        [ClusterConfig, PeerConfig, Advertisement, .. NodeOverrides];

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"BgpRendered({NonSecretResources.Count} resources, password secret: {(PasswordSecret is null ? "none" : "***")})");
}

/// <summary>BGP settings with errors: nothing can be rendered. The message lists every error (never a secret).</summary>
public sealed class BgpConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The errors.</param>
    public BgpConfigurationException(IReadOnlyList<ValidationError> errors)
        : base("The BGP configuration is invalid:\n" + string.Join("\n", errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>The errors (warnings are not included).</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>Throws when <see cref="BgpValidator.Validate(BgpOptions, BgpTopology)"/> reports an error.</summary>
    /// <param name="options">The BGP settings.</param>
    /// <param name="topology">The cluster's nodes and pools.</param>
    /// <exception cref="BgpConfigurationException">There is an error.</exception>
    public static void ThrowIfInvalid(BgpOptions options, BgpTopology topology)
    {
        var errors = BgpValidator.Validate(options, topology).Where(e => e.IsError).ToList();
        if (errors.Count > 0)
        {
            throw new BgpConfigurationException(errors);
        }
    }
}
