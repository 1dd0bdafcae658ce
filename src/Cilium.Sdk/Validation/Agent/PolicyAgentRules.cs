using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Cilium.Sdk.Resources;
using k8s.Models;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation.Agent;

/// <summary>
/// What the Cilium agent rejects when it imports a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy that the API
/// server accepted (the agent's rule sanitizing and policy parsing): the object is stored, but the policy's
/// <c>Valid</c> condition turns False and it is not enforced. Every violation is reported with
/// <see cref="ValidationLayers.Agent"/>. Checks that depend on agent flags (<c>enable-icmp-rules</c>,
/// <c>enable-node-selector-labels</c>, extended IP protocols) are not made: they are not facts of the input.
/// </summary>
public static class PolicyAgentRules
{
    /// <summary>The agent's limit on ports in one <c>toPorts</c> entry, and on ICMP fields in one <c>icmps</c> entry.</summary>
    public const int MaxPorts = 40;

    private const string Agent = "the Cilium agent would reject this policy";

    // IANA service names as Kubernetes checks them for named ports: 1-15 of [a-z0-9-], a letter, no '--', no edge '-'.
    private static readonly Regex ServiceName = new("^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    // The agent's ICMP type names per family (its ICMP tables); a name of the other family fails to parse.
    private static readonly HashSet<string> Icmp4Names = new(StringComparer.Ordinal)
    {
        "EchoReply", "DestinationUnreachable", "Redirect", "Echo", "EchoRequest", "RouterAdvertisement", "RouterSelection",
        "TimeExceeded", "ParameterProblem", "Timestamp", "TimestampReply", "Photuris", "ExtendedEchoRequest", "ExtendedEchoReply",
    };

    private static readonly HashSet<string> Icmp6Names = new(StringComparer.Ordinal)
    {
        "DestinationUnreachable", "PacketTooBig", "TimeExceeded", "ParameterProblem", "EchoRequest", "EchoReply",
        "MulticastListenerQuery", "MulticastListenerReport", "MulticastListenerDone", "RouterSolicitation", "RouterAdvertisement",
        "NeighborSolicitation", "NeighborAdvertisement", "RedirectMessage", "RouterRenumbering", "ICMPNodeInformationQuery",
        "ICMPNodeInformationResponse", "InverseNeighborDiscoverySolicitation", "InverseNeighborDiscoveryAdvertisement",
        "HomeAgentAddressDiscoveryRequest", "HomeAgentAddressDiscoveryReply", "MobilePrefixSolicitation", "MobilePrefixAdvertisement",
        "DuplicateAddressRequestCodeSuffix", "DuplicateAddressConfirmationCodeSuffix", "ExtendedEchoRequest", "ExtendedEchoReply",
    };

    // Protocols without ports: the agent requires the port to be empty or 0.
    private static readonly HashSet<string> PortlessProtocols = new(StringComparer.Ordinal) { "VRRP", "IGMP", "GRE", "IPIP", "IPV6", "ESP", "AH" };

    /// <summary>Checks the rules of a policy the way the agent does on import.</summary>
    /// <param name="context">Collects violations.</param>
    /// <param name="path">The policy's path (empty for the root).</param>
    /// <param name="spec">The <c>spec</c> rule, or null.</param>
    /// <param name="specs">The <c>specs</c> rules, or null.</param>
    /// <param name="clusterwide">True for a CiliumClusterwideNetworkPolicy (node selectors are allowed).</param>
    public static void Check(ValidationContext context, string path, Rule? spec, IList<Rule>? specs, bool clusterwide)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(path);

        // From 1.20 the CRD's CEL rule rejects this first; before, only the agent does (ErrEmptyCNP).
        if (spec is null && (specs is null || specs.Count == 0) && context.TargetVersion is { } version && ValidationContext.CompareVersions(version, "1.20") < 0)
        {
            Add(context, context.Property(path, "spec"), null, "Invalid CiliumNetworkPolicy spec(s): empty policy", "set spec or specs");
        }

        if (spec is not null)
        {
            CheckRule(context, context.Property(path, "spec"), spec, clusterwide);
        }

        for (var i = 0; i < (specs?.Count ?? 0); i++)
        {
            if (specs![i] is { } rule)
            {
                CheckRule(context, context.Index(context.Property(path, "specs"), i), rule, clusterwide);
            }
        }
    }

    private static void CheckRule(ValidationContext context, string path, Rule rule, bool clusterwide)
    {
        var host = rule.NodeSelector is not null;
        if (rule.EndpointSelector is not null && host)
        {
            Add(context, context.Property(path, "nodeSelector"), null, "rule cannot have both EndpointSelector and NodeSelector", "keep one of endpointSelector and nodeSelector");
        }
        else if (rule.EndpointSelector is null && !host)
        {
            Add(context, context.Property(path, "endpointSelector"), null, "rule must have one of EndpointSelector or NodeSelector", "set endpointSelector (use {} to select every endpoint)");
        }

        if (host && !clusterwide)
        {
            Add(context, context.Property(path, "nodeSelector"), null, "Invalid CiliumNetworkPolicy spec: rule cannot have NodeSelector", "use a CiliumClusterwideNetworkPolicy for host policies, or select endpoints with endpointSelector");
        }

        // Plain loops, no closures: this runs for every policy the SDK builds (see the render benchmark).
        for (var i = 0; i < (rule.Ingress?.Count ?? 0); i++)
        {
            if (rule.Ingress![i] is not { } r)
            {
                continue;
            }

            var p = context.Index(context.Property(path, "ingress"), i);
            CheckPeers(context, p, [("fromEndpoints", r.FromEndpoints?.Count), ("fromCIDR", r.FromCIDR?.Count), ("fromCIDRSet", r.FromCIDRSet?.Count), ("fromEntities", r.FromEntities?.Count), ("fromNodes", r.FromNodes?.Count), ("fromGroups", r.FromGroups?.Count)]);
            CheckCidrSets(context, p, "fromCIDRSet", r.FromCIDRSet);
            CheckIcmps(context, p, r.Icmps, r.ToPorts?.Count > 0);
            for (var j = 0; j < (r.ToPorts?.Count ?? 0); j++)
            {
                if (r.ToPorts![j] is { } port)
                {
                    CheckPortRule(context, context.Index(context.Property(p, "toPorts"), j), port, ingress: true, host);
                }
            }
        }

        for (var i = 0; i < (rule.IngressDeny?.Count ?? 0); i++)
        {
            if (rule.IngressDeny![i] is not { } r)
            {
                continue;
            }

            var p = context.Index(context.Property(path, "ingressDeny"), i);
            CheckPeers(context, p, [("fromEndpoints", r.FromEndpoints?.Count), ("fromCIDR", r.FromCIDR?.Count), ("fromCIDRSet", r.FromCIDRSet?.Count), ("fromEntities", r.FromEntities?.Count), ("fromNodes", r.FromNodes?.Count), ("fromGroups", r.FromGroups?.Count)]);
            CheckCidrSets(context, p, "fromCIDRSet", r.FromCIDRSet);
            CheckIcmps(context, p, r.Icmps, r.ToPorts?.Count > 0);
            for (var j = 0; j < (r.ToPorts?.Count ?? 0); j++)
            {
                if (r.ToPorts![j] is { } port)
                {
                    CheckPorts(context, context.Index(context.Property(p, "toPorts"), j), port.Ports, null);
                }
            }
        }

        for (var i = 0; i < (rule.Egress?.Count ?? 0); i++)
        {
            if (rule.Egress![i] is not { } r)
            {
                continue;
            }

            var p = context.Index(context.Property(path, "egress"), i);
            CheckPeers(context, p, [("toCIDR", r.ToCIDR?.Count), ("toCIDRSet", r.ToCIDRSet?.Count), ("toEndpoints", r.ToEndpoints?.Count), ("toEntities", r.ToEntities?.Count), ("toServices", r.ToServices?.Count), ("toGroups", r.ToGroups?.Count), ("toNodes", r.ToNodes?.Count), ("toFQDNs", r.ToFQDNs?.Count)]);
            CheckCidrSets(context, p, "toCIDRSet", r.ToCIDRSet);
            CheckIcmps(context, p, r.Icmps, r.ToPorts?.Count > 0);
            if (r.ToServices?.Count > 0 && r.ToPorts?.Count > 0)
            {
                Add(context, context.Property(p, "toPorts"), null, "toServices cannot be combined with toPorts", "drop toPorts (toServices allows the Service's backends on every port), or select the backends with toEndpoints and keep toPorts");
            }

            for (var j = 0; j < (r.ToPorts?.Count ?? 0); j++)
            {
                if (r.ToPorts![j] is { } port)
                {
                    CheckPortRule(context, context.Index(context.Property(p, "toPorts"), j), port, ingress: false, host);
                }
            }
        }

        for (var i = 0; i < (rule.EgressDeny?.Count ?? 0); i++)
        {
            if (rule.EgressDeny![i] is not { } r)
            {
                continue;
            }

            var p = context.Index(context.Property(path, "egressDeny"), i);
            CheckPeers(context, p, [("toCIDR", r.ToCIDR?.Count), ("toCIDRSet", r.ToCIDRSet?.Count), ("toEndpoints", r.ToEndpoints?.Count), ("toEntities", r.ToEntities?.Count), ("toServices", r.ToServices?.Count), ("toGroups", r.ToGroups?.Count), ("toNodes", r.ToNodes?.Count)]);
            CheckCidrSets(context, p, "toCIDRSet", r.ToCIDRSet);
            CheckIcmps(context, p, r.Icmps, r.ToPorts?.Count > 0);
            for (var j = 0; j < (r.ToPorts?.Count ?? 0); j++)
            {
                if (r.ToPorts![j] is { } port)
                {
                    CheckPorts(context, context.Index(context.Property(p, "toPorts"), j), port.Ports, null);
                }
            }
        }
    }

    private static void CheckPortRule(ValidationContext context, string path, PortRule rule, bool ingress, bool host)
    {
        var rules = rule.Rules;
        var dns = rules?.Dns?.Count > 0;
        var http = rules?.Http?.Count > 0;
        var l7 = http || rules?.Kafka?.Count > 0 || rules?.L7?.Count > 0 || !string.IsNullOrEmpty(rules?.L7proto);
        var rulesPath = context.Property(path, "rules");
        CheckPorts(context, path, rule.Ports, l7 ? rulesPath : null);

        if (dns && ingress)
        {
            Add(context, context.Property(rulesPath, "dns"), null, "DNS rules are not allowed on ingress", "move the DNS rule to an egress rule towards the DNS server (port 53)");
        }

        if (dns && !ingress)
        {
            // The agent wants ports with DNS rules (any port: DNS proxies on 5353 exist), so only a missing list fails.
            if (rule.Ports is null || rule.Ports.Count == 0)
            {
                Add(context, context.Property(path, "ports"), null, "port 53 must be specified for DNS rules", "add {port: \"53\", protocol: ANY} (or UDP and TCP) to this toPorts entry");
            }

            for (var i = 0; i < (rule.Ports?.Count ?? 0); i++)
            {
                if (rule.Ports![i] is { EndPort: { } end } port && end > 0 && PortNumber(port.Port) is { } start && end != start)
                {
                    Add(context, context.Property(context.Index(context.Property(path, "ports"), i), "endPort"), end.ToString(CultureInfo.InvariantCulture), "DNS rules do not support port ranges", "remove endPort: DNS rules take single ports");
                }
            }
        }

        if (l7 && host)
        {
            Add(context, rulesPath, null, ingress ? "L7 policy is not supported on host ingress yet" : "L7 protocol HTTP is not supported on host egress yet", "remove the L7 rules from this host policy (nodeSelector), or select endpoints instead (DNS rules on host egress are allowed)");
        }

        for (var i = 0; i < (rule.ServerNames?.Count ?? 0); i++)
        {
            if (string.IsNullOrEmpty(rule.ServerNames![i]))
            {
                Add(context, context.Index(context.Property(path, "serverNames"), i), string.Empty, "empty server name is not allowed", "remove the empty entry or write a host name");
            }
        }

        if (rule.ServerNames?.Count > 0 && l7 && rule.TerminatingTLS is null)
        {
            Add(context, context.Property(path, "serverNames"), null, "ServerNames are not allowed with L7 rules without TLS termination", "add terminatingTLS (with a secret), or drop serverNames or the L7 rules");
        }

        if (rule.Listener is { } listener)
        {
            var at = context.Property(path, "listener");
            if (ingress)
            {
                Add(context, at, listener.Name, $"Listener is not allowed on ingress ({listener.Name})", "move the listener to an egress rule");
            }

            if (l7 || dns)
            {
                Add(context, at, listener.Name, $"Listener is not allowed with L7 rules ({listener.Name})", "remove either the listener or the L7 rules");
            }
        }

        for (var i = 0; i < (rules?.L7?.Count ?? 0); i++)
        {
            if (rules!.L7![i] is { } pairs && pairs.ContainsKey(string.Empty))
            {
                Add(context, context.Index(context.Property(rulesPath, "l7"), i), null, "an L7 rule has an empty key", "name every key of the rule, or remove the empty one");
            }
        }

        for (var i = 0; i < (rules?.Http?.Count ?? 0); i++)
        {
            if (rules!.Http![i] is not { } h)
            {
                continue;
            }

            var at = context.Index(context.Property(rulesPath, "http"), i);
            CheckRegex(context, context.Property(at, "path"), h.Path);
            CheckRegex(context, context.Property(at, "method"), h.Method);
            CheckRegex(context, context.Property(at, "host"), h.Host);
        }
    }

    private static void CheckPorts(ValidationContext context, string path, IList<PortProtocol>? ports, string? l7RulesPath)
    {
        var at = context.Property(path, "ports");
        if (ports is null)
        {
            return;
        }

        if (ports.Count > MaxPorts)
        {
            Add(context, at, ports.Count.ToString(CultureInfo.InvariantCulture), $"too many ports, the max is {MaxPorts}", $"split the ports over several toPorts entries of at most {MaxPorts}, or use port ranges (endPort)");
        }

        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not { } port)
            {
                continue;
            }

            var item = context.Index(at, i);
            var protocol = port.Protocol is { } p ? PolicyProtocolJsonConverter.ToWire(p) : "ANY";
            var portText = port.Port ?? string.Empty;
            if (portText.Length > 0 && PortNumber(portText) is null && !IsPortName(portText))
            {
                Add(context, context.Property(item, "port"), portText, "is neither a port number (0-65535) nor a valid port name", "write a number from 0 to 65535, or a named port of at most 15 letters, digits and '-' (with a letter, no '--')");
            }

            if (PortlessProtocols.Contains(protocol) && portText.Length > 0 && portText != "0")
            {
                Add(context, context.Property(item, "port"), portText, $"port must be empty or 0 for protocol {protocol}", "remove the port: this protocol has no ports");
            }

            if (l7RulesPath is not null)
            {
                if (protocol != "TCP")
                {
                    Add(context, context.Property(item, "protocol"), protocol, $"L7 rules can only apply to TCP (not {protocol}) except for DNS rules", "set protocol: TCP on this port, or move the L7 rules to a TCP port");
                }

                if (portText.Length == 0 || portText == "0")
                {
                    Add(context, context.Property(item, "port"), portText, "L7 rules cannot be used when the port is 0", "name the TCP port the L7 rules apply to");
                }
            }
        }
    }

    private static void CheckIcmps(ValidationContext context, string path, IList<IcmpRule>? icmps, bool hasToPorts)
    {
        if (icmps is null || icmps.Count == 0)
        {
            return;
        }

        var at = context.Property(path, "icmps");
        if (hasToPorts)
        {
            Add(context, at, null, "the ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts", "move icmps or toPorts to a rule of its own");
        }

        for (var i = 0; i < icmps.Count; i++)
        {
            var fields = icmps[i]?.Fields;
            var fieldsPath = context.Property(context.Index(at, i), "fields");
            if (fields is null)
            {
                continue;
            }

            if (fields.Count > MaxPorts)
            {
                Add(context, fieldsPath, fields.Count.ToString(CultureInfo.InvariantCulture), $"too many ICMP fields, the max is {MaxPorts}", $"split them over several icmps entries of at most {MaxPorts}");
            }

            for (var j = 0; j < fields.Count; j++)
            {
                if (fields[j] is not { Type: { IsString: true, StringValue: { } name } } field || int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }

                var v6 = field.Family is { } family && IcmpFamilyJsonConverter.ToWire(family) == "IPv6";
                if (!(v6 ? Icmp6Names : Icmp4Names).Contains(name))
                {
                    Add(context, context.Property(context.Index(fieldsPath, j), "type"), name, $"ICMP type '{name}' is not an {(v6 ? "IPv6" : "IPv4")} message type", v6 ? "use an ICMPv6 type name or number" : "use an ICMPv4 type name or number, or set family: IPv6 for an ICMPv6 type");
                }
            }
        }
    }

    // The peer fields a rule sets: more than one kind is refused. The list is built only to report.
    private static void CheckPeers(ValidationContext context, string path, ReadOnlySpan<(string Name, int? Count)> kinds)
    {
        var set = 0;
        foreach (var kind in kinds)
        {
            set += kind.Count > 0 ? 1 : 0;
        }

        if (set > 1)
        {
            var peers = new List<string>();
            foreach (var kind in kinds)
            {
                if (kind.Count > 0)
                {
                    peers.Add(kind.Name);
                }
            }

            Add(context, context.Property(path, peers[1]), null, $"combining {peers[0]} and {peers[1]} is not supported yet", $"split this rule into one rule per peer kind ({string.Join(", ", peers)})");
        }
    }

    private static void CheckCidrSets(ValidationContext context, string path, string name, IList<CidrRule>? rules)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            if (rules![i] is not { } rule)
            {
                continue;
            }

            var at = context.Index(context.Property(path, name), i);
            var set = (rule.Cidr is null ? 0 : 1) + (rule.CidrGroupRef is null ? 0 : 1) + (rule.CidrGroupSelector is null ? 0 : 1);
            if (set != 1)
            {
                Add(context, at, null, set == 0 ? "one of cidr, cidrGroupRef or cidrGroupSelector must be set" : "only one of cidr, cidrGroupRef or cidrGroupSelector may be set", "set exactly one of cidr, cidrGroupRef and cidrGroupSelector");
            }

            if (rule.Cidr is null || !IPAddressText.TryParseNetwork(rule.Cidr, out var network))
            {
                continue;
            }

            for (var j = 0; j < (rule.Except?.Count ?? 0); j++)
            {
                if (rule.Except![j] is not { } text || !IPAddressText.TryParseNetwork(text, out var except))
                {
                    continue;
                }

                var exceptPath = context.Index(context.Property(at, "except"), j);
                if (except.BaseAddress.AddressFamily != network.BaseAddress.AddressFamily || !network.Contains(except.BaseAddress))
                {
                    Add(context, exceptPath, text, $"except {text} is not contained in {rule.Cidr}", $"remove it, or write a prefix inside {rule.Cidr}");
                }
                else if (except.PrefixLength < network.PrefixLength)
                {
                    Add(context, exceptPath, text, $"except {text} is broader than {rule.Cidr}", $"use a prefix length of at least {network.PrefixLength}");
                }
            }
        }
    }

    private static void CheckRegex(ValidationContext context, string path, string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return;
        }

        try
        {
            // Like RE2, the non-backtracking engine rejects backreferences and lookarounds.
            _ = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException)
        {
            Add(context, path, pattern, "is not a valid RE2 regular expression", pattern.Contains('*', StringComparison.Ordinal) ? "write '.*' for 'anything', not a bare '*'" : "write a valid RE2 regular expression");
        }
        catch (NotSupportedException)
        {
            Add(context, path, pattern, "is not a valid RE2 regular expression (backreferences and lookarounds are not supported)", "rewrite it without backreferences or lookarounds");
        }
    }

    private static bool IsPortName(string text) =>
        ServiceName.IsMatch(text.ToLowerInvariant()) && !text.Contains("--", StringComparison.Ordinal) && text.Any(char.IsLetter);

    // Digits only (no sign, no blanks), 0-65535; parsed without allocating (checked for every port of every policy).
    private static int? PortNumber(string? text) =>
        text is not null && text.Length is > 0 and <= 5 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65535 ? n : null;

    private static void Add(ValidationContext context, string path, string? value, string message, string fix) =>
        context.Add(path, value, $"{message} ({Agent})", fix, ValidationLayers.Agent);
}
