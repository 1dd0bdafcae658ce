using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Verdicts;

/// <summary>What to compare over, beside the policies themselves.</summary>
public sealed record PolicyDiffOptions
{
    /// <summary>The agent options both sides are evaluated with; Cilium's defaults when null.</summary>
    public VerdictOptions? Verdicts { get; init; }

    /// <summary>Whether the component catalogue (<see cref="Policies.Components.All"/>, with its ports) is probed too. Default true.</summary>
    public bool Catalogue { get; init; } = true;

    /// <summary>More endpoints to probe (your own workloads, with their labels and named ports).</summary>
    public IReadOnlyList<Endpoint> Endpoints { get; init; } = [];

    /// <summary>Observed flows (a Hubble capture, e.g. <see cref="HubbleFlowReader.Open(IEnumerable{FlowInput}, int)"/>):
    /// each is evaluated on both sides too, and counted in the change it falls in. Replies are skipped.</summary>
    public IEnumerable<HubbleFlow>? ObservedFlows { get; init; }

    /// <summary>Changes that are intended (see <see cref="PolicyDiffAcceptance"/>): still listed, marked accepted, and not
    /// breaking.</summary>
    public PolicyDiffAcceptance? Accept { get; init; }

    /// <summary>A name for the base side in the report (a folder or a git revision).</summary>
    public string BaseName { get; init; } = "base";

    /// <summary>A name for the head side in the report.</summary>
    public string HeadName { get; init; } = "head";
}

/// <summary>
/// What a policy change does before it merges: two policy sets evaluated over the same endpoints and ports (those the
/// policies and the component catalogue name, plus an optional Hubble capture), and every flow whose verdict changes,
/// grouped by workload pair and port.
/// </summary>
/// <example>
/// <code>
/// var report = PolicyDiff.Compare(before.Resources, after.Resources, new PolicyDiffOptions { BaseName = "main", HeadName = "my-branch" });
/// Console.Write(report.ToMarkdown());
/// return report.HasBreakingChanges ? 1 : 0;
/// </code>
/// </example>
public static class PolicyDiff
{
    /// <summary>Compares two policy sets.</summary>
    /// <param name="basePolicies">The policies before: records as <see cref="PolicyVerdicts.ForRecords"/> takes them.</param>
    /// <param name="headPolicies">The policies after.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The report, its changes sorted.</returns>
    /// <exception cref="ArgumentException">A record is not a policy or CIDR group.</exception>
    public static PolicyDiffReport Compare(IEnumerable<object> basePolicies, IEnumerable<object> headPolicies, PolicyDiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(basePolicies);
        ArgumentNullException.ThrowIfNull(headPolicies);
        options ??= new PolicyDiffOptions();
        var before = basePolicies.ToList();
        var after = headPolicies.ToList();
        var space = ProbeSpace.Of(before.Concat(after), options.Catalogue, options.Endpoints);
        var baseEndpoints = space.Endpoints.ToArray();

        // Each engine gets its own endpoint objects: an endpoint caches its identity for the last engine that saw it.
        var headEndpoints = baseEndpoints.Select(e => e with { }).ToArray();
        var baseVerdicts = PolicyVerdicts.ForRecords(before, baseEndpoints, options.Verdicts);
        var headVerdicts = PolicyVerdicts.ForRecords(after, headEndpoints, options.Verdicts);

        var changes = new Dictionary<ChangeKey, ChangeBuilder>();
        long probes = 0;
        for (var s = 0; s < baseEndpoints.Length; s++)
        {
            for (var d = 0; d < baseEndpoints.Length; d++)
            {
                if (!baseEndpoints[s].IsPod && !baseEndpoints[d].IsPod && options.Verdicts?.HostFirewall != true)
                {
                    continue; // between reserved identities only a host policy could decide, and it is off
                }

                foreach (var (protocol, port) in space.Ports)
                {
                    probes++;
                    var b = baseVerdicts.Evaluate(Flow.Create(baseEndpoints[s], baseEndpoints[d], protocol, port));
                    var h = headVerdicts.Evaluate(Flow.Create(headEndpoints[s], headEndpoints[d], protocol, port));
                    if (b.Decision != h.Decision)
                    {
                        Record(changes, b, h, probe: true, null);
                    }
                }

                // The requests the HTTP rules name, on their ports: what the proxy lets through can change alone.
                foreach (var (port, method, path) in space.Requests)
                {
                    probes++;
                    var request = new HttpRequest(method, path);
                    var b = baseVerdicts.Evaluate(Flow.Tcp(baseEndpoints[s], baseEndpoints[d], port).WithHttp(request));
                    var h = headVerdicts.Evaluate(Flow.Tcp(headEndpoints[s], headEndpoints[d], port).WithHttp(request));
                    if (b.Decision != h.Decision)
                    {
                        Record(changes, b, h, probe: true, null);
                    }
                }
            }
        }

        long observed = 0;
        long unmappable = 0;
        if (options.ObservedFlows is { } flows)
        {
            var cache = new Dictionary<string, (Verdict Base, Verdict Head)>(StringComparer.Ordinal);
            foreach (var seen in flows)
            {
                if (seen.IsReply == true)
                {
                    continue;
                }

                var flow = HubbleFlowMapping.ToFlow(seen, out _);
                if (flow is null)
                {
                    unmappable++;
                    continue;
                }

                observed++;
                var key = string.Join('\n', flow.Source.Name, flow.Source.IdentityKey, flow.Destination.Name, flow.Destination.IdentityKey, flow.Protocol, flow.Port, flow.Http?.Method, flow.Http?.Path, flow.DnsQuery);
                if (!cache.TryGetValue(key, out var pair))
                {
                    if (cache.Count >= 100_000)
                    {
                        cache.Clear();
                    }

                    pair = (baseVerdicts.Evaluate(flow), headVerdicts.Evaluate(flow));
                    cache[key] = pair;
                }

                if (pair.Base.Decision != pair.Head.Decision)
                {
                    Record(changes, pair.Base, pair.Head, probe: false, seen.File is null ? "line " + seen.Line : seen.File + " line " + seen.Line);
                }
            }
        }

        var accept = options.Accept ?? PolicyDiffAcceptance.None;
        var list = changes.Values.Select(c => c.Build(accept)).ToList();
        list.Sort(PolicyDiffChange.Order);
        return new PolicyDiffReport(
            options.BaseName,
            options.HeadName,
            baseVerdicts.SpecCount,
            headVerdicts.SpecCount,
            baseEndpoints.Length,
            space.Ports.Count,
            probes,
            observed,
            unmappable,
            list,
            accept.Unused(list));
    }

    private static void Record(Dictionary<ChangeKey, ChangeBuilder> changes, Verdict before, Verdict after, bool probe, string? where)
    {
        var key = new ChangeKey(before.Flow.Source.Name, before.Flow.Destination.Name, before.Flow.Protocol, before.Flow.Port, probe ? before.Flow.Http?.ToString() : null, before.Decision, after.Decision);
        if (!changes.TryGetValue(key, out var builder))
        {
            builder = new ChangeBuilder(key, DecidingRules.Of(before), DecidingRules.Of(after));
            changes[key] = builder;
        }

        if (probe)
        {
            builder.Probes++;
        }
        else
        {
            builder.Observed++;
            builder.FirstObserved ??= where;
        }
    }

    private readonly record struct ChangeKey(string Source, string Destination, FlowProtocol Protocol, int Port, string? Request, Decision Before, Decision After);

    private sealed class ChangeBuilder(ChangeKey key, string beforeWhy, string afterWhy)
    {
        public int Probes { get; set; }

        public long Observed { get; set; }

        public string? FirstObserved { get; set; }

        public PolicyDiffChange Build(PolicyDiffAcceptance accept)
        {
            var change = new PolicyDiffChange
            {
                Source = key.Source,
                Destination = key.Destination,
                Protocol = HubbleFlowMapping.ProtocolName(key.Protocol),
                Port = key.Port,
                Request = key.Request,
                Before = key.Before,
                After = key.After,
                BeforeReason = beforeWhy,
                AfterReason = afterWhy,
                ProbeFlows = Probes,
                ObservedFlows = Observed,
                FirstObserved = FirstObserved,
            };
            return change with { AcceptedBy = accept.Match(change) };
        }
    }
}
