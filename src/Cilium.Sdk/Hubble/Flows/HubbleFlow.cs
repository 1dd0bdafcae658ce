using System;
using System.Collections.Generic;
using System.Globalization;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>One side of a Hubble flow (<c>source</c> / <c>destination</c>), as observed.</summary>
/// <param name="Identity">The numeric security identity (1 host, 2 world, 6 remote-node, 7 kube-apiserver, ...), or null.</param>
/// <param name="Namespace">The pod's namespace, or null.</param>
/// <param name="PodName">The pod's name, or null.</param>
/// <param name="Labels">The identity labels as printed (<c>k8s:app=x</c>, <c>reserved:host</c>).</param>
/// <param name="Workloads">Workload names (<c>workloads[].name</c>, newer agents), possibly empty.</param>
/// <param name="Address">The IP of this side (<c>IP.source</c> / <c>IP.destination</c>), or null.</param>
public sealed record HubbleEndpoint(long? Identity, string? Namespace, string? PodName, IReadOnlyList<string> Labels, IReadOnlyList<string> Workloads, string? Address);

/// <summary>
/// One flow line of <c>hubble observe -o json</c> (either envelope), with the fields the verdict engine and the replay
/// report need. Values are as printed; nothing is inferred here.
/// </summary>
public sealed record HubbleFlow
{
    /// <summary>The 1-based line number in its input.</summary>
    public required long Line { get; init; }

    /// <summary>The input it was read from (a file name), or null for an unnamed stream.</summary>
    public string? File { get; init; }

    /// <summary>The flow's time as printed, or null.</summary>
    public string? Time { get; init; }

    /// <summary>The verdict (<c>FORWARDED</c>, <c>DROPPED</c>, <c>AUDIT</c>, <c>REDIRECTED</c>, ...), or null.</summary>
    public string? Verdict { get; init; }

    /// <summary>The monitor event type (<c>event_type.type</c>: 1 drop, 4 trace, 5 policy verdict, 129 L7), or null.</summary>
    public int? EventType { get; init; }

    /// <summary><c>traffic_direction</c> (INGRESS, EGRESS), or null.</summary>
    public string? TrafficDirection { get; init; }

    /// <summary>Whether the flow is a reply (<c>is_reply</c>, or the legacy <c>reply</c>); null when not printed.</summary>
    public bool? IsReply { get; init; }

    /// <summary>The source.</summary>
    public required HubbleEndpoint Source { get; init; }

    /// <summary>The destination.</summary>
    public required HubbleEndpoint Destination { get; init; }

    /// <summary>TCP, UDP, SCTP, ICMPv4 or ICMPv6; null when the flow has no L4 part.</summary>
    public string? L4Protocol { get; init; }

    /// <summary>The destination port (TCP/UDP/SCTP) or the ICMP type, or null.</summary>
    public int? DestinationPort { get; init; }

    /// <summary>Whether the TCP SYN flag is set without ACK (a new connection), null when no TCP flags were printed.</summary>
    public bool? IsSyn { get; init; }

    /// <summary>DNS names of the destination (<c>destination_names</c>).</summary>
    public IReadOnlyList<string> DestinationNames { get; init; } = [];

    /// <summary>The HTTP method of an L7 HTTP flow, or null.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>The HTTP URL of an L7 HTTP flow, or null.</summary>
    public string? HttpUrl { get; init; }

    /// <summary>The HTTP headers of an L7 HTTP flow, or null when none were printed.</summary>
    public IReadOnlyDictionary<string, string>? HttpHeaders { get; init; }

    /// <summary>The DNS query of an L7 DNS flow, or null.</summary>
    public string? DnsQuery { get; init; }

    /// <summary>The L7 record type (REQUEST, RESPONSE), or null.</summary>
    public string? L7Type { get; init; }

    /// <summary>The drop reason description, or null.</summary>
    public string? DropReason { get; init; }

    /// <summary>The node that observed it, or null.</summary>
    public string? NodeName { get; init; }

    /// <summary>Policies that denied it (<c>egress_denied_by</c> / <c>ingress_denied_by</c>, newer agents): "kind ns/name".</summary>
    public IReadOnlyList<string> DeniedBy { get; init; } = [];
}

/// <summary>A line the reader could not use, with why.</summary>
/// <param name="Line">The 1-based line number in its input (0 when the problem is the input as a whole).</param>
/// <param name="Message">What is wrong and what was done.</param>
/// <param name="File">The input (a file name), or null for an unnamed stream.</param>
public sealed record HubbleLineProblem(long Line, string Message, string? File = null)
{
    /// <inheritdoc />
    public override string ToString() => File is null
        ? $"line {Line.ToString(CultureInfo.InvariantCulture)}: {Message}"
        : $"{File} line {Line.ToString(CultureInfo.InvariantCulture)}: {Message}";
}

/// <summary>What <see cref="HubbleFlowReader.Read(System.IO.TextReader, int)"/> read, all at once.</summary>
/// <param name="Flows">The flows, in input order.</param>
/// <param name="Lines">The number of lines read (blank ones included).</param>
/// <param name="SkippedNonFlow">Lines that are valid JSON but not flows (lost events, debug events, server status), by kind.</param>
/// <param name="Problems">Lines that are not valid JSON, too long, or malformed flows; each with its line number.</param>
public sealed record HubbleReadResult(IReadOnlyList<HubbleFlow> Flows, long Lines, IReadOnlyDictionary<string, long> SkippedNonFlow, IReadOnlyList<HubbleLineProblem> Problems)
{
    /// <summary>The number of skipped non-flow lines.</summary>
    public long SkippedCount
    {
        get
        {
            var n = 0L;
            foreach (var count in SkippedNonFlow.Values)
            {
                n += count;
            }

            return n;
        }
    }
}
