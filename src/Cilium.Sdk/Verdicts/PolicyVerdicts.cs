using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Verdicts;

/// <summary>How <see cref="PolicyVerdicts"/> evaluates.</summary>
/// <param name="Mode"><see cref="PolicyMode.Audit"/>: flows policy would drop are <see cref="Decision.Audit"/> (Cilium's
/// <c>policyAuditMode</c>); <see cref="PolicyMode.Enforce"/>: they are <see cref="Decision.Denied"/>.</param>
/// <param name="AllowLocalhost">Cilium's <c>allow-localhost</c> default: the local host (kubelet probes) always reaches the pods on its node.</param>
public sealed record VerdictOptions(PolicyMode Mode = PolicyMode.Enforce, bool AllowLocalhost = true)
{
    /// <summary>Enforce mode, allow-localhost on.</summary>
    public static VerdictOptions Default { get; } = new();
}

/// <summary>
/// The offline verdict engine: what a set of <c>CiliumNetworkPolicy</c> / <c>CiliumClusterwideNetworkPolicy</c>
/// records does with a flow, and why. Works on the typed records, so SDK-built policies and any policy YAML behave alike.
/// </summary>
/// <remarks>
/// <para>Semantics (Cilium's): a spec whose endpointSelector selects a pod and that has rules in a direction puts the
/// pod into default deny for that direction, unless it sets <c>enableDefaultDeny</c> false there; allow rules from all
/// selecting specs add up; a matching deny rule wins over every allow (also without default deny); a flow needs the
/// source's egress AND the destination's ingress. Entities (world, cluster, host, remote-node, kube-apiserver, health,
/// init, ingress, unmanaged, all), CIDR sets with <c>except</c> (for endpoints outside the cluster), port ranges
/// (<c>endPort</c>), named ports (the destination's <see cref="Endpoint.NamedPorts"/>), ICMP types, L7 HTTP
/// (method/path/host as whole-value regexes, headers) and DNS rules, <c>toFQDNs</c> (through
/// <see cref="Endpoint.DnsNames"/>), cluster-wide policies and <c>specs</c> lists are modelled. In a namespaced policy,
/// endpointSelector and from/toEndpoints select the policy's namespace unless they name
/// <c>k8s:io.kubernetes.pod.namespace</c> themselves.</para>
/// <para>Not modelled, answered <see cref="Decision.Undecidable"/> with the reason instead of guessed: host policies
/// (<c>nodeSelector</c>, the host firewall) for flows to or from a node; <c>toServices</c>, <c>toGroups</c>,
/// <c>to/fromNodes</c>, <c>to/fromRequires</c>, <c>cidrGroupRef</c>/<c>cidrGroupSelector</c>, mutual
/// <c>authentication</c>; Kafka and generic L7, listeners, TLS interception, <c>serverNames</c>, HTTP
/// <c>headerMatches</c>; named ports the destination does not declare; CIDR rules for a peer without an IP, FQDN rules
/// for a peer without DNS names, selectors on labels an endpoint does not carry (unknown pod labels, the cluster name,
/// undeclared namespace labels). Reserved endpoints (host, world, ...) are never the subject of endpoint policy.
/// Replies are not flows (conntrack passes them); the engine does not model conntrack, NAT, Service translation, or
/// the L7 proxy's own decisions beyond the rules.</para>
/// <para>Thread-safe: the per-identity selection cache is concurrent.</para>
/// </remarks>
public sealed class PolicyVerdicts
{
    private readonly CompiledSpec[] specs;
    private readonly Dictionary<string, Endpoint> endpoints;
    private readonly ConcurrentDictionary<(string Identity, Direction Direction), Selection> selections = new();
    private readonly CompiledSpec? hostIngress;
    private readonly CompiledSpec? hostEgress;
    private bool useIndex = true;

    private PolicyVerdicts(CompiledSpec[] specs, IEnumerable<Endpoint>? endpoints, VerdictOptions options)
    {
        this.specs = specs;
        Options = options;
        hostIngress = specs.FirstOrDefault(s => s.HostPolicy is not null && s.HasIngress);
        hostEgress = specs.FirstOrDefault(s => s.HostPolicy is not null && s.HasEgress);
        this.endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
        foreach (var e in endpoints ?? [])
        {
            this.endpoints[e.Name] = e;
        }
    }

    /// <summary>The options.</summary>
    public VerdictOptions Options { get; }

    /// <summary>The number of policy specs loaded.</summary>
    public int SpecCount => specs.Length;

    /// <summary>The engine over rendered policies (<see cref="PolicySet.Render"/>).</summary>
    /// <param name="policies">The rendered policies.</param>
    /// <param name="endpoints">Endpoints to look up by <see cref="Endpoint.Name"/> (optional).</param>
    /// <param name="options">Options; enforce mode when null.</param>
    /// <returns>The engine.</returns>
    public static PolicyVerdicts For(IEnumerable<RenderedPolicy> policies, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return ForRecords(policies.Select(p => (object)p.Resource), endpoints, options);
    }

    /// <summary>The engine over a policy set, rendered for <paramref name="version"/> in enforce form.</summary>
    /// <param name="policies">The set.</param>
    /// <param name="version">The Cilium version; 1.19 when null.</param>
    /// <param name="endpoints">Endpoints to look up by name (optional).</param>
    /// <param name="options">Options; enforce mode when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="PolicyValidationException">A policy has errors.</exception>
    public static PolicyVerdicts For(PolicySet policies, CiliumVersion? version = null, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return For(policies.Render(version ?? CiliumVersion.V1_19, PolicyMode.Enforce), endpoints, options);
    }

    /// <summary>The engine over typed records: <c>CiliumNetworkPolicy</c>, <c>CiliumClusterwideNetworkPolicy</c>, their
    /// list kinds, <see cref="RenderedPolicy"/> or <see cref="PolicyBuildResult"/> (as <see cref="Manifests.ReadAny(string, ManifestKinds?)"/> returns them).</summary>
    /// <param name="records">The records.</param>
    /// <param name="endpoints">Endpoints to look up by name (optional).</param>
    /// <param name="options">Options; enforce mode when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ArgumentException">A record is of another kind.</exception>
    public static PolicyVerdicts ForRecords(IEnumerable<object> records, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var compiled = new List<CompiledSpec>();
        foreach (var record in records)
        {
            Add(compiled, record);
        }

        return new PolicyVerdicts(compiled.ToArray(), endpoints, options ?? VerdictOptions.Default);
    }

    /// <summary>The engine over policy YAML (one or more documents; other kinds are skipped).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="endpoints">Endpoints to look up by name (optional).</param>
    /// <param name="options">Options; enforce mode when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ManifestException">A policy document does not fit the schema (the message names the field).</exception>
    public static PolicyVerdicts FromYaml(string yaml, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var records = new List<object>();
        foreach (var doc in Manifests.ParseYaml(yaml))
        {
            var kind = doc?["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? doc["kind"]!.GetValue<string>() : null;
            if (kind is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy" or "CiliumNetworkPolicyList" or "CiliumClusterwideNetworkPolicyList")
            {
                records.Add(Manifests.ReadAny(Manifests.ToYaml(doc!)));
            }
        }

        return ForRecords(records, endpoints, options);
    }

    /// <summary>The same engine without the per-identity index: every spec is checked for every flow (the
    /// benchmark's naive baseline; same verdicts).</summary>
    internal PolicyVerdicts WithoutIndex() => new(specs, endpoints.Values, Options) { useIndex = false };

    /// <summary>The endpoint registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="KeyNotFoundException">No such endpoint; the message lists the known names.</exception>
    public Endpoint Endpoint(string name) =>
        endpoints.TryGetValue(name, out var e)
            ? e
            : throw new KeyNotFoundException($"no endpoint named '{name}'; known: {string.Join(", ", endpoints.Keys.OrderBy(k => k, StringComparer.Ordinal))}");

    /// <summary>The verdict for <paramref name="flow"/>.</summary>
    /// <param name="flow">The flow.</param>
    /// <returns>The verdict with its reasons.</returns>
    public Verdict Evaluate(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var reasons = new List<VerdictReason>();
        var egress = Side(flow, flow.Source, flow.Destination, Direction.Egress, reasons);
        var ingress = Side(flow, flow.Destination, flow.Source, Direction.Ingress, reasons);
        Decision decision;
        if (egress == Tri.No || ingress == Tri.No)
        {
            decision = Options.Mode == PolicyMode.Audit ? Decision.Audit : Decision.Denied;
        }
        else if (egress == Tri.Unknown || ingress == Tri.Unknown)
        {
            decision = Decision.Undecidable;
        }
        else
        {
            decision = Decision.Allowed;
        }

        return new Verdict(flow, decision, reasons, ToDecision(egress), ToDecision(ingress));
    }

    /// <summary>The verdict for a flow from <paramref name="from"/> to <paramref name="to"/> on <paramref name="port"/>.</summary>
    /// <param name="from">The source.</param>
    /// <param name="to">The destination.</param>
    /// <param name="port">One port on TCP, UDP or SCTP, such as <c>Port.Tcp(443)</c>, or a port name the destination declares.</param>
    /// <returns>The verdict; <see cref="Verdict.IsAllowed"/> answers the question, <see cref="Verdict.Explanation"/> says why.</returns>
    public Verdict Allows(Endpoint from, Endpoint to, Port port) => Evaluate(Flow.Of(from, to, port));

    /// <summary>Throws <see cref="VerdictAssertionException"/> (with the explanation) unless the flow is allowed.</summary>
    /// <param name="from">The source.</param>
    /// <param name="to">The destination.</param>
    /// <param name="port">The port.</param>
    /// <returns>The verdict.</returns>
    public Verdict AssertAllowed(Endpoint from, Endpoint to, Port port) => Allows(from, to, port).ShouldBeAllowed();

    /// <summary>Throws <see cref="VerdictAssertionException"/> (with the explanation) unless the flow is allowed.</summary>
    /// <param name="flow">The flow.</param>
    /// <returns>The verdict.</returns>
    public Verdict AssertAllowed(Flow flow) => Evaluate(flow).ShouldBeAllowed();

    /// <summary>Throws <see cref="VerdictAssertionException"/> (with the explanation) unless enforce mode would drop the flow.</summary>
    /// <param name="from">The source.</param>
    /// <param name="to">The destination.</param>
    /// <param name="port">The port.</param>
    /// <returns>The verdict.</returns>
    public Verdict AssertDenied(Endpoint from, Endpoint to, Port port) => Allows(from, to, port).ShouldBeDenied();

    /// <summary>Throws <see cref="VerdictAssertionException"/> (with the explanation) unless enforce mode would drop the flow.</summary>
    /// <param name="flow">The flow.</param>
    /// <returns>The verdict.</returns>
    public Verdict AssertDenied(Flow flow) => Evaluate(flow).ShouldBeDenied();

    private static void Add(List<CompiledSpec> compiled, object record)
    {
        switch (record)
        {
            case Resources.V2.CiliumNetworkPolicy cnp:
                compiled.AddRange(CompiledSpec.Compile($"CiliumNetworkPolicy {cnp.Metadata?.NamespaceProperty ?? "default"}/{cnp.Metadata?.Name}", cnp.Metadata?.NamespaceProperty ?? "default", cnp.Spec, cnp.Specs));
                break;
            case Resources.V2.CiliumClusterwideNetworkPolicy ccnp:
                compiled.AddRange(CompiledSpec.Compile($"CiliumClusterwideNetworkPolicy {ccnp.Metadata?.Name}", null, ccnp.Spec, ccnp.Specs));
                break;
            case Resources.V2.CiliumNetworkPolicyList list:
                list.Items.ToList().ForEach(i => Add(compiled, i));
                break;
            case Resources.V2.CiliumClusterwideNetworkPolicyList list:
                list.Items.ToList().ForEach(i => Add(compiled, i));
                break;
            case RenderedPolicy rendered:
                Add(compiled, rendered.Resource);
                break;
            case PolicyBuildResult built:
                Add(compiled, built.Resource);
                break;
            case null:
                throw new ArgumentException("a record is null", nameof(record));
            default:
                throw new ArgumentException($"{record.GetType().FullName} is not a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy (cilium.io/v2)", nameof(record));
        }
    }

    /// <summary>Decides one direction at <paramref name="subject"/>: Yes allowed, No dropped, Unknown undecidable.</summary>
    private Tri Side(Flow flow, Endpoint subject, Endpoint peer, Direction direction, List<VerdictReason> reasons)
    {
        void Say(string? policy, string? rule, string message) => reasons.Add(new VerdictReason(direction, policy, rule, message));

        if (!subject.IsPod)
        {
            var host = subject.Is(Entity.Host) || subject.Is(Entity.RemoteNode)
                ? (direction == Direction.Ingress ? hostIngress : hostEgress)
                : null;
            if (host is not null)
            {
                Say(host.Policy, host.SpecPath, host.HostPolicy!);
                return Tri.Unknown;
            }

            Say(null, null, $"{subject} is a reserved identity: no endpoint policy applies to its {Word(direction)}");
            return Tri.Yes;
        }

        if (direction == Direction.Ingress && Options.AllowLocalhost && peer.Is(Entity.Host))
        {
            Say(null, null, "the local host always reaches the pods on its node (Cilium's allow-localhost default)");
            return Tri.Yes;
        }

        // The index: which specs select an identity, per direction, computed once per identity; the naive evaluator
        // (benchmark baseline) scans every spec for every flow.
        var selection = useIndex ? selections.GetOrAdd((subject.IdentityKey, direction), key => Select(subject, key.Direction)) : Select(subject, direction);
        if (selection.Unknown is not null)
        {
            Say(null, null, $"cannot tell which policies select {subject}: {selection.Unknown}");
            return Tri.Unknown;
        }

        // Deny wins over every allow, whether or not default deny is on.
        string? denyUnknown = null;
        foreach (var (spec, rule) in selection.Denies)
        {
            var m = rule.Matches(flow, peer, out var why, out _);
            if (m == Tri.Yes)
            {
                Say(spec.Policy, rule.Path, $"denied by a deny rule (deny wins over allow) for {peer}");
                return Tri.No;
            }

            if (m == Tri.Unknown)
            {
                denyUnknown ??= $"a deny rule may match: {why} [{spec.Policy} {rule.Path}]";
            }
        }

        if (denyUnknown is not null)
        {
            Say(null, null, denyUnknown);
            return Tri.Unknown;
        }

        if (selection.Enforcing.Count == 0)
        {
            Say(null, null, selection.Selecting.Count == 0
                ? $"no policy with {Word(direction)} rules selects {subject}: not in default deny"
                : $"selected by {string.Join(", ", selection.Selecting)}, which set enableDefaultDeny.{Word(direction)}: false: not in default deny");
            return Tri.Yes;
        }

        string? allowUnknown = null;
        foreach (var (spec, rule) in selection.Allows)
        {
            var m = rule.Matches(flow, peer, out var why, out var note);
            if (m == Tri.Yes)
            {
                Say(spec.Policy, rule.Path, $"allowed for {peer}" + (note is null ? string.Empty : "; " + note));
                return Tri.Yes;
            }

            if (m == Tri.Unknown)
            {
                allowUnknown ??= $"an allow rule may match: {why} [{spec.Policy} {rule.Path}]";
            }
        }

        if (allowUnknown is not null)
        {
            Say(null, null, allowUnknown);
            return Tri.Unknown;
        }

        Say(null, null, $"no rule allowed it under default deny (selected for {Word(direction)} by {string.Join(", ", selection.Enforcing)})");
        return Tri.No;
    }

    private Selection Select(Endpoint subject, Direction direction)
    {
        var selection = new Selection();
        foreach (var spec in specs)
        {
            if (spec.Subject is null || !(direction == Direction.Ingress ? spec.HasIngress : spec.HasEgress))
            {
                continue;
            }

            var m = spec.Subject.Matches(subject, out var why);
            if (m == Tri.Unknown)
            {
                selection.Unknown ??= $"{why} ({spec.Policy} {spec.SpecPath}.endpointSelector {spec.Subject.Text})";
                continue;
            }

            if (m == Tri.No)
            {
                continue;
            }

            var name = spec.Policy + (spec.SpecPath == "spec" ? string.Empty : " " + spec.SpecPath);
            selection.Selecting.Add(name);
            if (direction == Direction.Ingress ? spec.DefaultDenyIngress : spec.DefaultDenyEgress)
            {
                selection.Enforcing.Add(name);
            }

            foreach (var rule in spec.Rules.Where(r => r.Direction == direction))
            {
                (rule.IsDeny ? selection.Denies : selection.Allows).Add((spec, rule));
            }
        }

        return selection;
    }

    private static Decision ToDecision(Tri t) => t switch
    {
        Tri.Yes => Decision.Allowed,
        Tri.No => Decision.Denied,
        _ => Decision.Undecidable,
    };

    private static string Word(Direction d) => d == Direction.Ingress ? "ingress" : "egress";

    private sealed class Selection
    {
        public List<string> Selecting { get; } = [];

        public List<string> Enforcing { get; } = [];

        public List<(CompiledSpec Spec, CompiledRule Rule)> Allows { get; } = [];

        public List<(CompiledSpec Spec, CompiledRule Rule)> Denies { get; } = [];

        public string? Unknown { get; set; }
    }
}
