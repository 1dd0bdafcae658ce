using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// The offline verdict engine: what a set of <c>CiliumNetworkPolicy</c> / <c>CiliumClusterwideNetworkPolicy</c>
/// records does with a flow, and why. Works on the typed records, so SDK-built policies and any policy YAML behave alike.
/// </summary>
/// <remarks>
/// <para>The policies are compiled like the agent compiles them: each policy's selectors as its parser rewrites them
/// (namespaces), then per endpoint identity and direction a map state from (peer identity, protocol, port) to the
/// verdict and the rule that decided it, with the datapath's precedence (a matching deny wins; otherwise the most
/// specific port entry, whose L7 rules the proxy then applies). A flow costs one lookup per direction. Identities the
/// engine is given (<c>endpoints</c>) are compiled up front; others when a flow first names them.</para>
/// <para>Where the answer depends on something the engine does not know (a label not given, a construct it does not
/// model), it is computed for every possibility: when they agree, the answer stands; otherwise the verdict is
/// <see cref="Decision.Undecidable"/> with the fact that decides it. See <c>docs/verdicts.md</c> for the semantics and
/// the agent options (<see cref="VerdictOptions"/>) an answer can depend on.</para>
/// <para>Thread-safe: evaluate from as many threads as you like.</para>
/// </remarks>
public sealed class PolicyVerdicts
{
    private readonly CompiledSpec[] specs;
    private readonly CompiledSpec[] clusterWide;
    private readonly Dictionary<string, CompiledSpec[]> byNamespace;
    private readonly Dictionary<string, Endpoint> endpoints;
    private readonly IdentityTable identities = new();
    private readonly ConcurrentDictionary<PeerSpec, int[]> selectorCache = new(ReferenceEqualityComparer.Instance);
    private readonly Func<Identity, Direction, SubjectPolicy> compile;
    private readonly Dictionary<string, int[]> podsByNamespace;
    private readonly int[] reservedIdentities;

    private PolicyVerdicts(List<(CompiledSpec Spec, string? Namespace)> specs, IEnumerable<Endpoint>? endpoints, VerdictOptions options)
    {
        this.specs = specs.Select(s => s.Spec).ToArray();
        clusterWide = specs.Where(s => s.Namespace is null).Select(s => s.Spec).ToArray();
        byNamespace = specs.Where(s => s.Namespace is not null).GroupBy(s => s.Namespace!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.Spec).ToArray(), StringComparer.Ordinal);
        Options = options;
        compile = (identity, direction) => SubjectPolicy.Compile(this, identity, direction);
        this.endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
        var list = new List<Endpoint>();
        foreach (var e in endpoints ?? [])
        {
            ArgumentNullException.ThrowIfNull(e, nameof(endpoints));
            this.endpoints[e.Name] = e;
            list.Add(e);
        }

        NamedPortEndpoints = list.Where(e => e.NamedPorts.Count > 0).ToArray();
        foreach (var e in list)
        {
            identities.Get(e);
        }

        RegisteredIdentities = identities.Snapshot();
        podsByNamespace = RegisteredIdentities.Where(i => i.Endpoint.IsPod).GroupBy(i => i.Endpoint.Namespace!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(i => i.Id).ToArray(), StringComparer.Ordinal);
        reservedIdentities = RegisteredIdentities.Where(i => !i.Endpoint.IsPod).Select(i => i.Id).ToArray();

        // The map state of every identity the engine was given, compiled now (as the agent does for its endpoints).
        foreach (var identity in RegisteredIdentities)
        {
            identity.Policy(Direction.Egress, compile);
            identity.Policy(Direction.Ingress, compile);
        }
    }

    /// <summary>The options.</summary>
    public VerdictOptions Options { get; }

    /// <summary>The number of policy specs loaded.</summary>
    public int SpecCount => specs.Length;

    /// <summary>The identities given at construction, in order (their ids are 0..n-1).</summary>
    internal Identity[] RegisteredIdentities { get; }

    /// <summary>The endpoints given at construction that declare named ports (egress named ports resolve over them).</summary>
    internal Endpoint[] NamedPortEndpoints { get; }

    /// <summary>The engine over rendered policies (<see cref="PolicySet.Render"/>).</summary>
    /// <param name="policies">The rendered policies.</param>
    /// <param name="endpoints">Endpoints to look up by <see cref="Endpoint.Name"/> and to compile up front (optional).</param>
    /// <param name="options">Options; Cilium's defaults when null.</param>
    /// <returns>The engine.</returns>
    public static PolicyVerdicts For(IEnumerable<RenderedPolicy> policies, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return ForRecords(policies.Select(p => (object)p.Resource), endpoints, options);
    }

    /// <summary>The engine over a policy set, rendered for <paramref name="version"/> in enforce form.</summary>
    /// <param name="policies">The set.</param>
    /// <param name="version">The Cilium version; 1.19 when null.</param>
    /// <param name="endpoints">Endpoints to look up by name and to compile up front (optional).</param>
    /// <param name="options">Options; Cilium's defaults when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="PolicyValidationException">A policy has errors.</exception>
    public static PolicyVerdicts For(PolicySet policies, CiliumVersion? version = null, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return For(policies.Render(version ?? CiliumVersion.V1_19, PolicyMode.Enforce), endpoints, options);
    }

    /// <summary>The engine over typed records: <c>CiliumNetworkPolicy</c>, <c>CiliumClusterwideNetworkPolicy</c>, their
    /// list kinds, <see cref="RenderedPolicy"/> or <see cref="PolicyBuildResult"/> (as <see cref="Manifests.ReadAny(string, ManifestKinds?)"/>
    /// returns them), and the <c>CiliumCIDRGroup</c>s that <c>cidrGroupRef</c> / <c>cidrGroupSelector</c> name.</summary>
    /// <param name="records">The records.</param>
    /// <param name="endpoints">Endpoints to look up by name and to compile up front (optional).</param>
    /// <param name="options">Options; Cilium's defaults when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ArgumentException">A record is of another kind.</exception>
    public static PolicyVerdicts ForRecords(IEnumerable<object> records, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var all = new List<object>();
        var groups = new CidrGroups();
        foreach (var record in records)
        {
            Flatten(all, groups, record);
        }

        options ??= VerdictOptions.Default;
        var compiled = new List<(CompiledSpec, string?)>();
        foreach (var record in all)
        {
            switch (record)
            {
                case Resources.V2.CiliumNetworkPolicy cnp:
                    var ns = cnp.Metadata?.NamespaceProperty ?? "default";
                    compiled.AddRange(PolicyCompiler.Compile($"CiliumNetworkPolicy {ns}/{cnp.Metadata?.Name}", ns, cnp.Spec, cnp.Specs, groups, options.ClusterName).Select(s => (s, (string?)ns)));
                    break;
                case Resources.V2.CiliumClusterwideNetworkPolicy ccnp:
                    compiled.AddRange(PolicyCompiler.Compile($"CiliumClusterwideNetworkPolicy {ccnp.Metadata?.Name}", null, ccnp.Spec, ccnp.Specs, groups, options.ClusterName).Select(s => (s, (string?)null)));
                    break;
            }
        }

        return new PolicyVerdicts(compiled, endpoints, options);
    }

    /// <summary>The engine over policy YAML (one or more documents; CiliumCIDRGroups are used, other kinds are skipped).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="endpoints">Endpoints to look up by name and to compile up front (optional).</param>
    /// <param name="options">Options; Cilium's defaults when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ManifestException">A policy document cannot be read: the message names the line and column
    /// in <paramref name="yaml"/>, the document index and the field (<see cref="ManifestException.Line"/>,
    /// <see cref="ManifestException.DocumentIndex"/>, <see cref="ManifestException.FieldPath"/>).</exception>
    public static PolicyVerdicts FromYaml(string yaml, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return ForRecords(ReadPolicyRecords(yaml, null), endpoints, options);
    }

    /// <summary>The engine over policy YAML read from <paramref name="file"/> (named in errors; not read).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="file">The file the text came from, for error messages.</param>
    /// <param name="endpoints">Endpoints to look up by name and to compile up front (optional).</param>
    /// <param name="options">Options; Cilium's defaults when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ManifestException">A policy document cannot be read: the message starts with
    /// <c>file:line:column: document N</c> (<see cref="ManifestException.File"/>, <see cref="ManifestException.Line"/>, ...).</exception>
    public static PolicyVerdicts FromYaml(string yaml, string file, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return ForRecords(ReadPolicyRecords(yaml, file), endpoints, options);
    }

    /// <summary>The engine over policy files (every document of each; other kinds are skipped).</summary>
    /// <param name="paths">The files.</param>
    /// <param name="endpoints">Endpoints to look up by name and to compile up front (optional).</param>
    /// <param name="options">Options; Cilium's defaults when null.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ManifestException">A policy document cannot be read (the message starts with <c>file:line:column</c>).</exception>
    /// <exception cref="System.IO.IOException">A file cannot be read.</exception>
    public static PolicyVerdicts FromFiles(IEnumerable<string> paths, IEnumerable<Endpoint>? endpoints = null, VerdictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var records = new List<object>();
        foreach (var path in paths)
        {
            records.AddRange(ReadPolicyRecords(System.IO.File.ReadAllText(path), path));
        }

        return ForRecords(records, endpoints, options);
    }

    /// <summary>The policy records (and CIDR groups) of a YAML stream, read once by <see cref="Manifests.ReadAll"/>, so an
    /// error carries the original file, line, column and document index; other kinds are skipped.</summary>
    internal static List<object> ReadPolicyRecords(string yaml, string? file)
    {
        var read = Manifests.ReadAll(yaml, file);
        var records = new List<object>();
        foreach (var document in read)
        {
            if (!IsPolicyKind(document.Kind))
            {
                continue;
            }

            var (line, column) = document.Error?.FieldPath is { } path ? document.PositionOf(path) : (document.Line, document.Column);
            if (document.Error is { } error)
            {
                throw ManifestException.InDocument(error, file, document.Index, document.Title, line, column);
            }

            if (document.Resource is null)
            {
                throw ManifestException.InDocument(new ManifestException($"apiVersion '{document.ApiVersion}' is not one policies of kind {document.Kind} are read as; use cilium.io/v2"), file, document.Index, document.Title, document.Line, document.Column);
            }

            records.Add(document.Resource);
        }

        if (read.Error is { } syntax)
        {
            // The stream stopped here: the documents after it were not read, and one of them may be a policy.
            throw ManifestException.InDocument(syntax, file, read.Count == 0 ? 0 : read[read.Count - 1].Index + 1, null);
        }

        return records;
    }

    /// <summary>Whether the engine reads documents of <paramref name="kind"/>.</summary>
    internal static bool IsPolicyKind(string? kind) =>
        kind is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy" or "CiliumNetworkPolicyList" or "CiliumClusterwideNetworkPolicyList" or "CiliumCIDRGroup" or "CiliumCIDRGroupList";

    /// <summary>The endpoint registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="KeyNotFoundException">No such endpoint; the message lists the known names.</exception>
    public Endpoint Endpoint(string name) =>
        endpoints.TryGetValue(name, out var e)
            ? e
            : throw new KeyNotFoundException($"no endpoint named '{name}'; known: {string.Join(", ", endpoints.Keys.OrderBy(k => k, StringComparer.Ordinal))}");

    /// <summary>The verdict for <paramref name="flow"/>: one map-state lookup for the source's egress, one for the
    /// destination's ingress, then the L7 rules of the entry when the flow carries a request.</summary>
    /// <param name="flow">The flow.</param>
    /// <returns>The verdict; its reasons are put into words when first read.</returns>
    public Verdict Evaluate(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var source = identities.Get(flow.Source);
        var destination = identities.Get(flow.Destination);
        var egress = Side(source.Policy(Direction.Egress, compile), destination, flow);
        var ingress = Side(destination.Policy(Direction.Ingress, compile), source, flow);
        Decision decision;
        if (egress.Result == Tri.No || ingress.Result == Tri.No)
        {
            decision = Options.Mode == PolicyMode.Audit ? Decision.Audit : Decision.Denied;
        }
        else if (egress.Result == Tri.Unknown || ingress.Result == Tri.Unknown)
        {
            decision = Decision.Undecidable;
        }
        else
        {
            decision = Decision.Allowed;
        }

        return new Verdict(flow, decision, egress, ingress);
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

    /// <summary>The specs that can select <paramref name="subject"/>: its namespace's and the cluster-wide ones.</summary>
    internal IEnumerable<CompiledSpec> SpecsFor(Endpoint subject)
    {
        if (subject.IsPod && byNamespace.TryGetValue(subject.Namespace!, out var mine))
        {
            return mine.Concat(clusterWide);
        }

        return clusterWide;
    }

    /// <summary>The selector cache: the given identities a rule's peer part selects (or may select), computed once per rule.</summary>
    internal int[] Selected(PeerSpec peer) => selectorCache.GetOrAdd(peer, p =>
    {
        IEnumerable<int> candidates = reservedIdentities;
        if (p.MayMatchPods)
        {
            candidates = p.PodNamespaces is { } namespaces
                ? candidates.Concat(namespaces.SelectMany(ns => podsByNamespace.TryGetValue(ns, out var ids) ? ids : []))
                : candidates.Concat(podsByNamespace.Values.SelectMany(ids => ids));
        }

        return candidates.Where(id => p.Match(RegisteredIdentities[id].Endpoint, Options, out _) != Tri.No).Order().ToArray();
    });

    private static void Flatten(List<object> all, CidrGroups groups, object? record)
    {
        switch (record)
        {
            case Resources.V2.CiliumNetworkPolicy or Resources.V2.CiliumClusterwideNetworkPolicy:
                all.Add(record);
                break;
            case Resources.V2.CiliumNetworkPolicyList list:
                foreach (var item in list.Items ?? [])
                {
                    Flatten(all, groups, item);
                }

                break;
            case Resources.V2.CiliumClusterwideNetworkPolicyList list:
                foreach (var item in list.Items ?? [])
                {
                    Flatten(all, groups, item);
                }

                break;
            case Resources.V2.CiliumCIDRGroup group:
                groups.Add(group);
                break;
            case Resources.V2.CiliumCIDRGroupList list:
                foreach (var item in list.Items ?? [])
                {
                    groups.Add(item);
                }

                break;
            case RenderedPolicy rendered:
                Flatten(all, groups, rendered.Resource);
                break;
            case PolicyBuildResult built:
                Flatten(all, groups, built.Resource);
                break;
            case null:
                throw new ArgumentException("a record is null", nameof(record));
            default:
                throw new ArgumentException($"{record.GetType().FullName} is not a CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy or CiliumCIDRGroup (cilium.io/v2)", nameof(record));
        }
    }

    private static VerdictSide Side(SubjectPolicy policy, Identity peer, Flow flow)
    {
        if (policy.Open)
        {
            return new VerdictSide(policy, peer, null, Tri.Yes, null, null);
        }

        var outcome = policy.Lookup(peer, flow.Protocol, flow.Port);
        switch (outcome.Kind)
        {
            case OutcomeKind.Deny or OutcomeKind.DefaultDeny or OutcomeKind.AuthDenied:
                return new VerdictSide(policy, peer, outcome, Tri.No, null, null);
            case OutcomeKind.Unknown:
                return new VerdictSide(policy, peer, outcome, Tri.Unknown, outcome.Why, null);
        }

        if (outcome.L7 is null && outcome.Worlds is null)
        {
            return new VerdictSide(policy, peer, outcome, Tri.Yes, null, null);
        }

        // The proxy's part: the request against the L7 rules of the entry (of every combination of unknowns, if any).
        var worlds = outcome.Worlds ?? [outcome];
        Tri? agreed = null;
        string? why = null;
        string? note = null;
        foreach (var world in worlds)
        {
            var r = Tri.Yes;
            if (world.L7 is not null)
            {
                r = CompiledL7.Evaluate(world.L7, flow, out var w, out var n);
                why ??= w;
                note ??= n;
            }

            agreed = agreed is null || agreed == r ? r : Tri.Unknown;
        }

        if (agreed == Tri.Unknown && why is null)
        {
            why = "whether the proxy lets the request through depends on a rule the engine cannot decide";
        }

        return new VerdictSide(policy, peer, outcome, agreed ?? Tri.Yes, why, note);
    }
}
