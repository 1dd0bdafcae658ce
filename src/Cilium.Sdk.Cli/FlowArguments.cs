using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;
using CrdKit.Validation;

namespace Cilium.Sdk.Cli;

/// <summary>
/// The text forms <c>verdict</c> takes for the two ends and the port of a flow, in flags and in an expectations file.
/// Each parser returns null and says why (naming the form to write) instead of throwing.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>NAMESPACE/KEY=VALUE[,KEY=VALUE...]</c>: a pod of that namespace with those labels (<c>shop/app=web</c>;
/// <c>shop/</c> for a pod without labels).</item>
/// <item>an entity: <c>host</c>, <c>remote-node</c>, <c>kube-apiserver</c>, <c>world</c>, <c>health</c>, <c>init</c>,
/// <c>ingress</c>, <c>unmanaged</c>.</item>
/// <item><c>world:ADDRESS-OR-NAME[,...]</c>: outside the cluster, with its IP (for CIDR rules) and DNS names (for
/// <c>toFQDNs</c>), e.g. <c>world:140.82.112.3,api.github.com</c>; a bare IP address means the same.</item>
/// <item>ports: <c>443</c> (TCP), <c>443/tcp</c>, <c>53/udp</c>, <c>9000/sctp</c>, <c>icmp/8</c>, <c>icmpv6/128</c>.</item>
/// </list>
/// </remarks>
internal static class FlowArguments
{
    public const string EndpointForms = "NAMESPACE/KEY=VALUE[,KEY=VALUE] (a pod, e.g. shop/app=web), an entity (host, remote-node, kube-apiserver, world, health, init, ingress, unmanaged), or world:IP-OR-DNS-NAME[,...] (e.g. world:140.82.112.3,api.github.com)";

    public const string PortForms = "PORT[/tcp|udp|sctp] (e.g. 443/tcp, 53/udp) or icmp/TYPE, icmpv6/TYPE (e.g. icmp/8)";

    public static Endpoint? Endpoint(string text, out string? error)
    {
        error = null;
        text = text.Trim();
        if (EntityNames.TryParse(text, out var entity))
        {
            if (entity is Entity.Cluster or Entity.All)
            {
                error = $"'{text}' is a group of identities, not one end of a flow; name a pod (shop/app=web) or one identity such as host or world";
                return null;
            }

            return entity == Entity.World ? Verdicts.Endpoint.World() : Verdicts.Endpoint.Reserved(entity);
        }

        if (text.StartsWith("world:", StringComparison.Ordinal) || IPAddressText.TryParse(text, out _))
        {
            var items = (text.StartsWith("world:", StringComparison.Ordinal) ? text["world:".Length..] : text).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var addresses = items.Where(i => IPAddressText.TryParse(i, out _)).ToList();
            var names = items.Where(i => !IPAddressText.TryParse(i, out _)).ToArray();
            if (addresses.Count > 1 || items.Length == 0)
            {
                error = $"'{text}' must name at most one IP address and any DNS names, e.g. world:140.82.112.3,api.github.com";
                return null;
            }

            return Verdicts.Endpoint.World(addresses.FirstOrDefault(), names).Named(text);
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            error = $"'{text}' is not an endpoint; write {EndpointForms}";
            return null;
        }

        var ns = text[..slash];
        if (!CrdKit.Validation.KubernetesNames.IsDns1123Label(ns, out var fix))
        {
            error = $"'{ns}' in '{text}' is not a namespace name: {fix}";
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text[(slash + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !labels.TryAdd(pair[..eq], pair[(eq + 1)..]))
            {
                error = eq <= 0
                    ? $"'{pair}' in '{text}' is not a label; write KEY=VALUE pairs separated by commas, e.g. shop/app=web,tier=frontend"
                    : $"label '{pair[..eq]}' appears twice in '{text}'; keep one";
                return null;
            }
        }

        return Verdicts.Endpoint.Pod(ns, labels, text);
    }

    public static (FlowProtocol Protocol, int Port)? Port(string text, out string? error)
    {
        error = null;
        var parts = text.Trim().Split('/');
        var protocol = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        var (kind, max, min) = protocol switch
        {
            "tcp" => (FlowProtocol.Tcp, 65535, 1),
            "udp" => (FlowProtocol.Udp, 65535, 1),
            "sctp" => (FlowProtocol.Sctp, 65535, 1),
            "icmp" => (FlowProtocol.IcmpV4, 255, 0),
            "icmpv6" => (FlowProtocol.IcmpV6, 255, 0),
            _ => ((FlowProtocol)(-1), 0, 0),
        };

        // The ICMP forms put the protocol first: icmp/8.
        var number = parts.Length == 2 && parts[0].ToLowerInvariant() is "icmp" or "icmpv6" ? parts[1] : parts[0];
        if (parts.Length == 2 && parts[0].ToLowerInvariant() is "icmp" or "icmpv6")
        {
            (kind, max, min) = parts[0].ToLowerInvariant() == "icmp" ? (FlowProtocol.IcmpV4, 255, 0) : (FlowProtocol.IcmpV6, 255, 0);
        }

        if (parts.Length > 2 || (int)kind < 0 || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max
            || (number.Length > 1 && number[0] == '0'))
        {
            error = $"'{text}' is not a port; write {PortForms}";
            return null;
        }

        return (kind, value);
    }

    /// <summary>The flow, with the HTTP request ("GET /path") or DNS query it carries, if any.</summary>
    public static Flow? Flow(Endpoint from, Endpoint to, (FlowProtocol Protocol, int Port) port, string? http, string? dns, out string? error)
    {
        error = null;
        var flow = Verdicts.Flow.Create(from, to, port.Protocol, port.Port);
        if (http is not null)
        {
            var parts = http.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !parts[1].StartsWith('/') || port.Protocol != FlowProtocol.Tcp)
            {
                error = port.Protocol != FlowProtocol.Tcp
                    ? $"an HTTP request needs a TCP port, not {port.Port}/{port.Protocol}"
                    : $"'{http}' is not an HTTP request; write METHOD /PATH, e.g. \"GET /api/v1/users\"";
                return null;
            }

            flow = flow.WithHttp(new HttpRequest(parts[0].ToUpperInvariant(), parts[1]));
        }

        if (dns is not null)
        {
            flow = flow.WithDnsQuery(dns.Trim());
        }

        return flow;
    }
}
