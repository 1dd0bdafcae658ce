using System;
using System.Collections.Generic;
using System.Linq;

namespace Cilium.Sdk.Hubble;

/// <summary>
/// One Hubble metric with its options, rendered in the chart's <c>name:option=value;option=value</c> form.
/// Create with the named factories (<see cref="Dns"/>, <see cref="HttpV2"/>, ...).
/// </summary>
public sealed record HubbleMetric
{
    private HubbleMetric(string name, string? options)
    {
        Name = name;
        Options = options;
    }

    /// <summary>The metric's name (<c>dns</c>, <c>drop</c>, <c>httpV2</c>, ...).</summary>
    public string Name { get; }

    /// <summary>The options after the colon, if any.</summary>
    public string? Options { get; }

    /// <summary>DNS queries and responses; <paramref name="ignoreAaaa"/> drops IPv6 lookups from the counts.</summary>
    public static HubbleMetric Dns(bool query = true, bool ignoreAaaa = true) =>
        new("dns", Join(query ? "query" : null, ignoreAaaa ? "ignoreAAAA" : null));

    /// <summary>Dropped packets by reason.</summary>
    public static HubbleMetric Drop { get; } = new("drop", null);

    /// <summary>TCP flags.</summary>
    public static HubbleMetric Tcp { get; } = new("tcp", null);

    /// <summary>Flows by type.</summary>
    public static HubbleMetric Flow { get; } = new("flow", null);

    /// <summary>ICMP messages.</summary>
    public static HubbleMetric Icmp { get; } = new("icmp", null);

    /// <summary>Destination port distribution.</summary>
    public static HubbleMetric PortDistribution { get; } = new("port-distribution", null);

    /// <summary>HTTP requests (the older metric; prefer <see cref="HttpV2"/>).</summary>
    public static HubbleMetric Http { get; } = new("http", null);

    /// <summary>HTTP requests, v2: optionally with exemplars (trace IDs, for tracing backends) and label contexts.</summary>
    /// <param name="exemplars">Attach trace exemplars (only useful with a tracing stack).</param>
    /// <param name="labelsContext">Labels such as <c>source_namespace</c>, <c>destination_workload</c>.</param>
    public static HubbleMetric HttpV2(bool exemplars = false, params string[] labelsContext) =>
        new("httpV2", Join(exemplars ? "exemplars=true" : null, labelsContext.Length > 0 ? "labelsContext=" + string.Join(",", labelsContext) : null));

    /// <summary>Policy verdicts, labelled with source and destination contexts (e.g. <c>workload-name|reserved-identity</c>).</summary>
    public static HubbleMetric Policy(string sourceContext = "workload-name|reserved-identity", string destinationContext = "workload-name|reserved-identity") =>
        new("policy", $"sourceContext={sourceContext};destinationContext={destinationContext}");

    /// <summary>The template's set: dns, drop, tcp, flow, icmp, http (httpV2 with exemplars when tracing), port-distribution, policy.</summary>
    /// <param name="tracing">True when a tracing backend receives exemplars.</param>
    public static IReadOnlyList<HubbleMetric> Standard(bool tracing) =>
    [
        Dns(), Drop, Tcp, Flow, Icmp,
        tracing ? HttpV2(true, "source_namespace", "source_workload", "destination_namespace", "destination_workload") : Http,
        PortDistribution, Policy(),
    ];

    /// <summary>The chart form, e.g. <c>dns:query;ignoreAAAA</c>.</summary>
    public override string ToString() => Options is null ? Name : $"{Name}:{Options}";

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => p is not null).ToArray();
        return present.Length == 0 ? null : string.Join(";", present);
    }
}
