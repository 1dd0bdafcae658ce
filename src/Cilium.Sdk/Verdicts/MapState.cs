using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>Something the engine does not know that an answer may depend on: whether a policy selects the subject,
/// whether a rule selects the peer, which port a named port is. The map state is computed over every combination.</summary>
internal sealed record Factor(string Reason, CompiledRule? Rule, CompiledSpec? Spec);

/// <summary>One rule as it applies to one subject: the rule (null for allow-localhost), and the factor (or -1) that
/// says whether its policy selects the subject.</summary>
internal sealed class Contribution
{
    public required CompiledRule? Rule { get; init; }

    public required int SpecFactor { get; init; }

    public bool IsDeny => Rule?.IsDeny == true;

    public PeerSpec Peer => Rule?.Peer ?? PeerSpec.Any;

    public override string ToString() => Rule?.ToString() ?? "allow-localhost";
}

/// <summary>What the map state says for a key (peer identity, protocol, port) of one subject and direction.</summary>
internal enum OutcomeKind
{
    /// <summary>Allowed at L4; <see cref="Outcome.L7"/> (when set) then filters requests.</summary>
    Allow,

    /// <summary>A deny rule matches.</summary>
    Deny,

    /// <summary>Default deny, and no allow rule matches.</summary>
    DefaultDeny,

    /// <summary>An allow rule matches but requires mutual authentication, which cannot succeed.</summary>
    AuthDenied,

    /// <summary>The answer depends on something the engine does not know.</summary>
    Unknown,
}

/// <summary>A map-state entry: the verdict for one key and the rule that decided it.</summary>
internal sealed class Outcome
{
    public required OutcomeKind Kind { get; init; }

    /// <summary>The deciding contribution (the matching deny, the winning allow), or null.</summary>
    public Contribution? Decider { get; init; }

    /// <summary>The L7 rules of the most specific port entry (their union); null when requests are not filtered.</summary>
    public IReadOnlyList<CompiledL7>? L7 { get; init; }

    /// <summary>Why the answer is unknown, or a note on an uncertain part that does not change it.</summary>
    public string? Why { get; init; }

    /// <summary>When every combination of unknown facts allows the connection at L4 but with different L7 rules: each combination's entry.</summary>
    public Outcome[]? Worlds { get; init; }

    public bool IsDenied => Kind is OutcomeKind.Deny or OutcomeKind.DefaultDeny or OutcomeKind.AuthDenied;
}

/// <summary>The map state of one subject for one peer: per protocol, port intervals and their entries.</summary>
internal sealed class PortMap
{
    private readonly int[][] starts;
    private readonly Outcome[][] outcomes;

    public PortMap(int[][] starts, Outcome[][] outcomes)
    {
        this.starts = starts;
        this.outcomes = outcomes;
    }

    public Outcome Lookup(FlowProtocol protocol, int port)
    {
        var s = starts[(int)protocol];
        var o = outcomes[(int)protocol];
        if (s.Length == 1)
        {
            return o[0];
        }

        // The last interval that starts at or below the port (a handful of intervals per protocol).
        var lo = 0;
        var hi = s.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (s[mid] <= port)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return o[lo];
    }
}

/// <summary>
/// The compiled policy of one identity as the subject of one direction, like the agent's per-endpoint map state:
/// the rules of the policies that select it, and per peer identity a <see cref="PortMap"/> from (protocol, port) to
/// the verdict and deciding rule. Peers that no peer-specific rule selects share one default map.
/// </summary>
internal sealed class SubjectPolicy
{
    private const int MaxFactors = 12;

    private readonly PolicyVerdicts engine;
    private readonly Dictionary<int, PortMap> peers = [];
    private readonly ConcurrentDictionary<int, PortMap> latePeers = new();
    private readonly Dictionary<string, PortMap> interned = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private int coveredUpTo;
    private PortMap? defaultMap;

    private SubjectPolicy(PolicyVerdicts engine, Identity subject, Direction direction)
    {
        this.engine = engine;
        Subject = subject;
        Direction = direction;
    }

    public Identity Subject { get; }

    public Direction Direction { get; }

    /// <summary>Why no endpoint policy applies (a reserved identity), or null.</summary>
    public string? NotSubject { get; private init; }

    /// <summary>Whether every flow passes without a lookup: not in default deny, no deny rule, no L7 or authentication.</summary>
    public bool Open { get; private set; }

    /// <summary>The specs known to select the subject, and those of them that put it into default deny.</summary>
    public List<string> Selecting { get; } = [];

    public List<string> Enforcing { get; } = [];

    /// <summary>Why default deny is on regardless of policies (enable-policy=always, reserved:init), or null.</summary>
    public string? ForcedEnforcement { get; private set; }

    public bool EnforcementOff { get; private set; }

    public bool EnforcedCertain { get; private set; }

    public List<Factor> Factors { get; } = [];

    public List<int> EnforcingFactors { get; } = [];

    public Contribution[] Contributions { get; private set; } = [];

    public static SubjectPolicy Compile(PolicyVerdicts engine, Identity subject, Direction direction)
    {
        var e = subject.Endpoint;
        var options = engine.Options;
        var node = e.Is(Entity.Host) || e.Is(Entity.RemoteNode);
        var init = e.Is(Entity.Init);
        if (!e.IsPod && !init && !(node && options.HostFirewall))
        {
            var why = node
                ? $"{e} is a node and the host firewall is off (VerdictOptions.HostFirewall): no policy applies to its {Word(direction)}"
                : $"{e} is a reserved identity: no endpoint policy applies to its {Word(direction)}";
            return new SubjectPolicy(engine, subject, direction) { NotSubject = why, Open = true };
        }

        var policy = new SubjectPolicy(engine, subject, direction);
        policy.Build(node);
        return policy;
    }

    /// <summary>The entry for a flow from or to <paramref name="peer"/>.</summary>
    public Outcome Lookup(Identity peer, FlowProtocol protocol, int port) => MapFor(peer).Lookup(protocol, port);

    private PortMap MapFor(Identity peer)
    {
        if (peers.TryGetValue(peer.Id, out var map))
        {
            return map;
        }

        if (peer.Id < coveredUpTo)
        {
            return defaultMap!;
        }

        // An identity the engine was not given: compiled when a flow first names it, as the agent does for a new identity.
        return latePeers.GetOrAdd(peer.Id, _ => BuildMap(peer.Endpoint, registered: false));
    }

    private void Build(bool node)
    {
        var options = engine.Options;
        var e = Subject.Endpoint;
        if (options.Enforcement == PolicyEnforcement.Never)
        {
            EnforcementOff = true;
            Open = true;
            return;
        }

        var contributions = new List<Contribution>();
        foreach (var spec in engine.SpecsFor(e))
        {
            if (!spec.Has(Direction))
            {
                continue;
            }

            var selector = node ? spec.NodeSubject : spec.Subject;
            if (selector is null)
            {
                continue;
            }

            var m = selector.Matches(e, options, out var why);
            if (m == Tri.No)
            {
                continue;
            }

            var factor = -1;
            if (m == Tri.Unknown)
            {
                factor = Factors.Count;
                Factors.Add(new Factor($"cannot tell whether {spec.Name} selects {e}: {why} ({(node ? "nodeSelector" : "endpointSelector")} {selector.Text})", null, spec));
                if (spec.DefaultDeny(Direction))
                {
                    EnforcingFactors.Add(factor);
                }
            }
            else
            {
                Selecting.Add(spec.Name);
                if (spec.DefaultDeny(Direction))
                {
                    Enforcing.Add(spec.Name);
                    EnforcedCertain = true;
                }
            }

            foreach (var rule in spec.Rules)
            {
                if (rule.Direction == Direction)
                {
                    contributions.Add(new Contribution { Rule = rule, SpecFactor = factor });
                }
            }
        }

        if (options.Enforcement == PolicyEnforcement.Always)
        {
            ForcedEnforcement = "policy enforcement is always on (enable-policy=always)";
            EnforcedCertain = true;
        }
        else if (e.Is(Entity.Init))
        {
            ForcedEnforcement = "initializing endpoints (reserved:init) are always in default deny";
            EnforcedCertain = true;
        }

        if (Direction == Direction.Ingress && options.AllowLocalhost && !node)
        {
            // allow-localhost: an allow entry for the local host's identity; a deny rule still wins over it.
            contributions.Add(new Contribution { Rule = null, SpecFactor = -1 });
        }

        Contributions = contributions.ToArray();
        var needsMap = EnforcedCertain || EnforcingFactors.Count > 0 || Contributions.Any(c => c.Rule is not null && (c.IsDeny || c.Rule.Auth != AuthMode.None || c.Rule.Items?.Any(i => i.L7 is not null) == true));
        if (!needsMap)
        {
            Open = true;
            return;
        }

        // Eager part: the peers the engine was given that a peer-specific rule selects (the selector cache's answer).
        var registered = engine.RegisteredIdentities;
        var candidates = new HashSet<int>();
        foreach (var c in Contributions)
        {
            if (c.Rule is null)
            {
                candidates.UnionWith(registered.Where(i => i.Endpoint.Is(Entity.Host)).Select(i => i.Id));
            }
            else if (!c.Peer.Wildcard)
            {
                candidates.UnionWith(engine.Selected(c.Peer));
            }
        }

        foreach (var id in candidates.Order())
        {
            peers[id] = BuildMap(registered[id].Endpoint, registered: true);
        }

        defaultMap = BuildMap(null, registered: true);
        coveredUpTo = registered.Length;
    }

    private PortMap BuildMap(Endpoint? peer, bool registered)
    {
        var options = engine.Options;
        var factors = new List<Factor>(Factors);
        var applicable = new List<(Contribution C, int PeerFactor)>();
        var key = new StringBuilder();
        foreach (var c in Contributions)
        {
            Tri m;
            string? why = null;
            if (c.Rule is null)
            {
                m = peer is not null && peer.Is(Entity.Host) ? Tri.Yes : Tri.No;
            }
            else if (c.Peer.Wildcard)
            {
                m = Tri.Yes;
            }
            else
            {
                m = peer is null ? Tri.No : c.Peer.Match(peer, options, out why);
            }

            if (m == Tri.No || c.Rule?.Items is { Length: 0 })
            {
                continue;
            }

            var pf = -1;
            if (m == Tri.Unknown)
            {
                pf = factors.Count;
                factors.Add(new Factor($"{why} [{c.Rule!.Spec.Policy} {c.Rule.Path}]", c.Rule, null));
            }

            applicable.Add((c, pf));
            key.Append(Array.IndexOf(Contributions, c)).Append(pf < 0 ? ";" : "?" + why + ";");
        }

        // Named ports resolve per endpoint: ingress on the subject's own ports, egress over the cluster's.
        var blocks = new List<Block>();
        foreach (var (c, pf) in applicable)
        {
            if (c.Rule?.Items is not { } items)
            {
                blocks.Add(new Block(null, 0, 65535, 0, c, null, c.SpecFactor, pf, -1));
                continue;
            }

            foreach (var item in items)
            {
                if (item.NamedPort is null)
                {
                    AddBlocks(blocks, item.Protocol, item.First, item.Last, item.AllPorts, c, item.L7, pf, -1);
                    continue;
                }

                var (numbers, unknown) = ResolveNamedPort(item.NamedPort, item.Protocol!.Value, peer);
                key.Append(item.NamedPort).Append('=').Append(string.Join(",", numbers)).Append(unknown is null ? ";" : "?;");
                foreach (var n in numbers)
                {
                    AddBlocks(blocks, item.Protocol, n, n, false, c, item.L7, pf, -1);
                }

                if (unknown is not null)
                {
                    var f = factors.Count;
                    factors.Add(new Factor($"{unknown} [{c.Rule.Spec.Policy} {c.Rule.Path}]", c.Rule, null));
                    blocks.Add(new Block(item.Protocol, 0, 65535, 24, c, item.L7, c.SpecFactor, pf, f));
                }
            }
        }

        var cacheKey = registered ? key.ToString() : null;
        if (cacheKey is not null)
        {
            lock (gate)
            {
                if (interned.TryGetValue(cacheKey, out var existing))
                {
                    return existing;
                }
            }
        }

        var starts = new int[5][];
        var outcomes = new Outcome[5][];
        for (var p = 0; p < 5; p++)
        {
            var protocol = (FlowProtocol)p;
            var mine = blocks.Where(b => b.Protocol is null || b.Protocol == protocol).ToList();
            var cuts = new SortedSet<int> { 0 };
            foreach (var b in mine)
            {
                cuts.Add(b.First);
                if (b.Last < 65535)
                {
                    cuts.Add(b.Last + 1);
                }
            }

            var s = new List<int>();
            var o = new List<Outcome>();
            foreach (var cut in cuts)
            {
                var covering = mine.Where(b => b.First <= cut && cut <= b.Last).ToList();
                var outcome = Decide(covering, factors);
                if (o.Count > 0 && Same(o[^1], outcome))
                {
                    continue;
                }

                s.Add(cut);
                o.Add(outcome);
            }

            starts[p] = s.ToArray();
            outcomes[p] = o.ToArray();
        }

        var map = new PortMap(starts, outcomes);
        if (cacheKey is not null)
        {
            lock (gate)
            {
                interned.TryAdd(cacheKey, map);
                return interned[cacheKey];
            }
        }

        return map;
    }

    private (List<int> Numbers, string? Unknown) ResolveNamedPort(string name, FlowProtocol protocol, Endpoint? peer)
    {
        var numbers = new SortedSet<int>();
        bool Add(Endpoint e)
        {
            if (e.NamedPorts.TryGetValue(name, out var p) && Matches(p.Protocol, protocol) && p.Number is { } n)
            {
                numbers.Add(n);
                return true;
            }

            return false;
        }

        if (Direction == Direction.Ingress)
        {
            var subject = Subject.Endpoint;
            Add(subject);
            return (numbers.ToList(), numbers.Count == 0 && subject.NamedPorts.Count == 0
                ? $"the named port '{name}' needs {subject}'s container ports (Endpoint.WithNamedPort)"
                : null);
        }

        foreach (var e in engine.NamedPortEndpoints)
        {
            Add(e);
        }

        if (peer is not null)
        {
            Add(peer);
        }

        var unknown = numbers.Count == 0 && (peer is null || (peer.IsPod && peer.NamedPorts.Count == 0))
            ? $"the named port '{name}' needs the container ports of {(peer is null ? "the destination" : peer.ToString())} (Endpoint.WithNamedPort)"
            : null;
        return (numbers.ToList(), unknown);
    }

    private static bool Matches(Protocol declared, FlowProtocol protocol) => declared switch
    {
        Protocol.Tcp => protocol == FlowProtocol.Tcp,
        Protocol.Udp => protocol == FlowProtocol.Udp,
        Protocol.Sctp => protocol == FlowProtocol.Sctp,
        _ => true,
    };

    // A port range becomes the aligned blocks the datapath's port-prefix entries cover; a longer prefix is more specific.
    private static void AddBlocks(List<Block> blocks, FlowProtocol? protocol, int first, int last, bool allPorts, Contribution c, CompiledL7? l7, int peerFactor, int itemFactor)
    {
        if (protocol is null)
        {
            blocks.Add(new Block(null, 0, 65535, 0, c, l7, c.SpecFactor, peerFactor, itemFactor));
            return;
        }

        if (allPorts)
        {
            blocks.Add(new Block(protocol, 0, 65535, 8, c, l7, c.SpecFactor, peerFactor, itemFactor));
            return;
        }

        var lo = first;
        while (lo <= last)
        {
            var size = lo == 0 ? 65536 : lo & -lo;
            while (lo + size - 1 > last)
            {
                size >>= 1;
            }

            blocks.Add(new Block(protocol, lo, lo + size - 1, 8 + 16 - BitOperations.Log2((uint)size), c, l7, c.SpecFactor, peerFactor, itemFactor));
            lo += size;
        }
    }

    private Outcome Decide(List<Block> covering, List<Factor> factors)
    {
        var involved = new SortedSet<int>(EnforcingFactors);
        foreach (var b in covering)
        {
            foreach (var f in b.Factors())
            {
                involved.Add(f);
            }
        }

        if (involved.Count == 0)
        {
            return Compute(covering, 0, []);
        }

        var order = involved.ToArray();
        if (order.Length > MaxFactors)
        {
            return new Outcome { Kind = OutcomeKind.Unknown, Why = $"{order.Length} undecidable parts apply to this flow: {factors[order[0]].Reason}" };
        }

        var worlds = new Outcome[1 << order.Length];
        for (var mask = 0; mask < worlds.Length; mask++)
        {
            worlds[mask] = Compute(covering, mask, order);
        }

        var baseWorld = worlds[0];
        if (worlds.All(w => w.IsDenied))
        {
            return baseWorld;
        }

        if (worlds.All(w => w.Kind == OutcomeKind.Allow))
        {
            if (worlds.All(w => SameL7(w.L7, baseWorld.L7)))
            {
                return baseWorld;
            }

            return new Outcome { Kind = OutcomeKind.Allow, Decider = baseWorld.Decider, L7 = baseWorld.L7, Worlds = worlds.Distinct(OutcomeL7Comparer.Instance).ToArray() };
        }

        // Name the unknown fact whose value alone changes the answer from the known one.
        var deciding = order.Select((f, i) => (f, i)).FirstOrDefault(x => worlds[1 << x.i].IsDenied != baseWorld.IsDenied || worlds[1 << x.i].Kind == OutcomeKind.Unknown);
        var reason = factors[deciding.f].Reason;
        var stuck = worlds.FirstOrDefault(w => w.Kind == OutcomeKind.Unknown);
        return new Outcome { Kind = OutcomeKind.Unknown, Why = stuck?.Why ?? reason };
    }

    private Outcome Compute(List<Block> covering, int mask, int[] order)
    {
        bool On(int factor) => factor < 0 || ((mask >> Array.IndexOf(order, factor)) & 1) == 1;
        var options = engine.Options;
        var enforced = EnforcedCertain || EnforcingFactors.Any(On);
        Block? deny = null;
        var allows = new List<Block>();
        foreach (var b in covering)
        {
            if (!On(b.SpecFactor) || !On(b.PeerFactor) || !On(b.ItemFactor))
            {
                continue;
            }

            if (b.Contribution.IsDeny)
            {
                deny ??= b;
            }
            else
            {
                allows.Add(b);
            }
        }

        // Deny wins over every allow, whether or not default deny is on (the agent pushes it onto narrower keys).
        if (deny is not null)
        {
            return new Outcome { Kind = OutcomeKind.Deny, Decider = deny.Contribution };
        }

        if (!enforced)
        {
            // Not in default deny: an allow-all entry of the least specific kind.
            allows.Add(new Block(null, 0, 65535, 0, null!, null, -1, -1, -1));
        }

        if (allows.Count == 0)
        {
            return new Outcome { Kind = OutcomeKind.DefaultDeny };
        }

        // The datapath takes the most specific port entry; the proxy then applies the L7 rules of every rule on that
        // entry, and one without L7 rules lets every request through.
        var top = allows.Max(b => b.Specificity);
        var winners = allows.Where(b => b.Specificity == top).ToList();
        var winner = winners.FirstOrDefault(b => b.L7 is null) ?? winners[0];
        IReadOnlyList<CompiledL7>? l7 = winners.Any(b => b.L7 is null) ? null : winners.Select(b => b.L7!).Distinct().ToArray();
        // A rule that asks for mutual authentication gates every flow it covers, at any specificity.
        var auth = allows.Where(b => b.Contribution?.Rule is { Auth: not AuthMode.None }).Select(b => b.Contribution).ToList();
        var failing = auth.FirstOrDefault(c => c.Rule!.Auth == AuthMode.AlwaysFail) ?? (options.MutualAuthentication ? null : auth.FirstOrDefault());
        if (failing is not null)
        {
            return new Outcome { Kind = OutcomeKind.AuthDenied, Decider = failing };
        }

        return new Outcome { Kind = OutcomeKind.Allow, Decider = winner.Contribution, L7 = l7 };
    }

    private static bool Same(Outcome a, Outcome b) =>
        a.Kind == b.Kind && ReferenceEquals(a.Decider, b.Decider) && SameL7(a.L7, b.L7) && a.Why == b.Why && a.Worlds is null && b.Worlds is null;

    private static bool SameL7(IReadOnlyList<CompiledL7>? a, IReadOnlyList<CompiledL7>? b) =>
        a is null ? b is null : b is not null && a.Count == b.Count && a.All(b.Contains);

    private static string Word(Direction d) => d == Direction.Ingress ? "ingress" : "egress";

    private sealed class OutcomeL7Comparer : IEqualityComparer<Outcome>
    {
        public static readonly OutcomeL7Comparer Instance = new();

        public bool Equals(Outcome? x, Outcome? y) => x is not null && y is not null && SameL7(x.L7, y.L7);

        public int GetHashCode(Outcome obj) => obj.L7?.Count ?? -1;
    }

    /// <summary>A rule's coverage of a port interval on one protocol (null: all), with the datapath's specificity
    /// (0 every protocol, 8 one protocol, 24 one port) and the factors it depends on.</summary>
    private sealed record Block(FlowProtocol? Protocol, int First, int Last, int Specificity, Contribution Contribution, CompiledL7? L7, int SpecFactor, int PeerFactor, int ItemFactor)
    {
        public IEnumerable<int> Factors()
        {
            if (SpecFactor >= 0)
            {
                yield return SpecFactor;
            }

            if (PeerFactor >= 0)
            {
                yield return PeerFactor;
            }

            if (ItemFactor >= 0)
            {
                yield return ItemFactor;
            }
        }
    }

    internal static string Describe(int first, int last) =>
        first == last ? first.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{first}-{last}");
}
