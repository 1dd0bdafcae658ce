using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts.Oracle;

/// <summary>
/// THE ORACLE: the replay as it was before streaming, kept verbatim but for its types (the report's counts are longs
/// now), so the streaming replay can be held to the same groups and counts. Do not improve it.
/// Replays observed Hubble flows against a cluster's policies: for each new, non-reply flow, the verdict enforce mode
/// would give; the flows it would drop (and every flow Hubble showed as <c>AUDIT</c>) grouped by source workload,
/// destination workload, port and protocol; and allow rules that would let them pass.
/// </summary>
internal static class LegacyFlowReplay
{
    /// <summary>Replays <paramref name="read"/> against <paramref name="verdicts"/> (enforce-mode options are used
    /// whatever the engine's mode, so audit shows as a drop).</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="read">The flows read.</param>
    /// <param name="version">The version suggestions are rendered for; 1.19 when null.</param>
    /// <returns>The report.</returns>
    public static ReplayReport Run(PolicyVerdicts verdicts, HubbleReadResult read, CiliumVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(read);
        var unmapped = new List<HubbleLineProblem>();
        var drops = new Dictionary<string, Acc>(StringComparer.Ordinal);
        var undecided = new Dictionary<string, Acc>(StringComparer.Ordinal);
        int replies = 0, evaluated = 0, allowed = 0;
        foreach (var observed in read.Flows)
        {
            if (observed.IsReply == true || observed.L7Type == "RESPONSE")
            {
                replies++;
                continue;
            }

            Flow? flow;
            string? why;
            try
            {
                flow = ToFlow(observed, out why);
            }
            catch (ArgumentException e)
            {
                // A value the model refuses (an empty label key, a malformed name): report the line, keep going.
                flow = null;
                why = e.Message;
            }

            if (flow is null)
            {
                unmapped.Add(new HubbleLineProblem(observed.Line, why!));
                continue;
            }

            evaluated++;
            var verdict = verdicts.Evaluate(flow);
            var audited = string.Equals(observed.Verdict, "AUDIT", StringComparison.Ordinal);
            var key = $"{flow.Source.Name}\n{flow.Destination.Name}\n{flow.Port.ToString(CultureInfo.InvariantCulture)}\n{Flow.ProtocolWire(flow.Protocol)}";
            if (verdict.WouldDrop || audited)
            {
                Accumulate(drops, key, verdict, observed, audited);
            }
            else if (verdict.Decision == Decision.Undecidable)
            {
                Accumulate(undecided, key, verdict, observed, false);
            }
            else
            {
                allowed++;
            }
        }

        var dropGroups = Groups(drops);
        return new ReplayReport
        {
            Lines = read.Lines,
            Flows = read.Flows.Count,
            SkippedNonFlow = read.SkippedNonFlow,
            Problems = read.Problems,
            SkippedReplies = replies,
            Unmapped = unmapped,
            Evaluated = evaluated,
            Allowed = allowed,
            WouldDrop = dropGroups,
            Undecidable = Groups(undecided),
            Suggestions = RuleSuggestions.For(drops.Values.Select(a => a.First), version ?? CiliumVersion.V1_19),
        };
    }

    private static void Accumulate(Dictionary<string, Acc> groups, string key, Verdict verdict, HubbleFlow observed, bool audited)
    {
        if (!groups.TryGetValue(key, out var acc))
        {
            acc = new Acc(verdict, observed.Line);
            groups[key] = acc;
        }

        acc.Count++;
        if (audited)
        {
            acc.Audited++;
        }
    }

    private static List<ReplayGroup> Groups(Dictionary<string, Acc> groups) =>
        groups.Values
            .Select(a => new ReplayGroup(
                a.First.Flow.Source.Name,
                a.First.Flow.Destination.Name,
                a.First.Flow.Port,
                Flow.ProtocolWire(a.First.Flow.Protocol),
                a.Count,
                a.Audited,
                a.First.Decision,
                string.Join("; ", a.First.Reasons.Select(r => r.ToString())),
                a.Line))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Source, StringComparer.Ordinal)
            .ThenBy(g => g.Destination, StringComparer.Ordinal)
            .ThenBy(g => g.Port)
            .ThenBy(g => g.Protocol, StringComparer.Ordinal)
            .ToList();

    // The mapping as it was (HubbleFlowMapping.ToFlow before it was split into steps the fast path shares).
    public static Flow? ToFlow(HubbleFlow observed, out string? why)
    {
        ArgumentNullException.ThrowIfNull(observed);
        why = null;
        var protocol = observed.L4Protocol switch
        {
            "TCP" => FlowProtocol.Tcp,
            "UDP" => FlowProtocol.Udp,
            "SCTP" => FlowProtocol.Sctp,
            "ICMPv4" => FlowProtocol.IcmpV4,
            "ICMPv6" => FlowProtocol.IcmpV6,
            _ => (FlowProtocol?)null,
        };
        if (protocol is null || observed.DestinationPort is not { } port)
        {
            why = "the flow has no L4 protocol and destination port";
            return null;
        }

        var icmp = protocol is FlowProtocol.IcmpV4 or FlowProtocol.IcmpV6;
        if (icmp ? port is < 0 or > 255 : port is < 1 or > 65535)
        {
            why = $"destination port {port} is out of range";
            return null;
        }

        var source = HubbleFlowMapping.ToEndpoint(observed.Source, [], out var sWhy);
        var destination = HubbleFlowMapping.ToEndpoint(observed.Destination, observed.DestinationNames, out var dWhy);
        if (source is null || destination is null)
        {
            why = "the " + (source is null ? "source " + sWhy : "destination " + dWhy);
            return null;
        }

        var flow = Flow.Create(source, destination, protocol.Value, port);
        if (observed.HttpMethod is { } method && protocol == FlowProtocol.Tcp)
        {
            var (host, path) = SplitUrl(observed.HttpUrl);
            flow = flow.WithHttp(new HttpRequest(method, path, host, observed.HttpHeaders));
        }
        else if (observed.DnsQuery is { Length: > 0 } query)
        {
            flow = flow.WithDnsQuery(query);
        }

        return flow;
    }

    private static (string? Host, string Path) SplitUrl(string? url)
    {
        if (url is null)
        {
            return (null, "/");
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return (uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), uri.AbsolutePath);
        }

        var q = url.IndexOf('?', StringComparison.Ordinal);
        return (null, q < 0 ? url : url[..q]);
    }

    private sealed class Acc(Verdict first, long line)
    {
        public Verdict First { get; } = first;

        public long Line { get; } = line;

        public int Count { get; set; }

        public int Audited { get; set; }
    }
}
