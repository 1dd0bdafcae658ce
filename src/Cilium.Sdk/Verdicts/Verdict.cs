using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>What the policies do with a flow.</summary>
public enum Decision
{
    /// <summary>Both the source's egress and the destination's ingress allow it.</summary>
    Allowed,

    /// <summary>A deny rule or default deny drops it.</summary>
    Denied,

    /// <summary>Policy audit mode: enforce would drop it, audit lets it pass (Hubble verdict <c>AUDIT</c>).</summary>
    Audit,

    /// <summary>The engine cannot decide without guessing (a construct it does not model, or a fact the flow lacks);
    /// <see cref="Verdict.Reasons"/> says which.</summary>
    Undecidable,
}

/// <summary>One step of a verdict's explanation.</summary>
/// <param name="Direction">The direction it was decided in (egress of the source, ingress of the destination), or null for the flow as a whole.</param>
/// <param name="Policy">The policy ("CiliumNetworkPolicy ns/name"), or null when no policy is involved.</param>
/// <param name="Rule">The rule's path in the policy (<c>spec.egress[2]</c>), or null.</param>
/// <param name="Message">What happened and why.</param>
public sealed record VerdictReason(Direction? Direction, string? Policy, string? Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = Direction is null ? string.Empty : (Direction == Policies.Direction.Egress ? "egress: " : "ingress: ");
        var by = Policy is null ? string.Empty : Rule is null ? $" [{Policy}]" : $" [{Policy} {Rule}]";
        return where + Message + by;
    }
}

/// <summary>The answer for one <see cref="Flow"/>: the decision and the rules that made it.</summary>
public sealed record Verdict
{
    private readonly VerdictSide egressSide;
    private readonly VerdictSide ingressSide;
    private IReadOnlyList<VerdictReason>? reasons;

    internal Verdict(Flow flow, Decision decision, VerdictSide egress, VerdictSide ingress)
    {
        Flow = flow;
        Decision = decision;
        egressSide = egress;
        ingressSide = ingress;
        EgressDecision = ToDecision(egress.Result);
        IngressDecision = ToDecision(ingress.Result);
    }

    /// <summary>The source's egress side alone: <see cref="Decision.Allowed"/>, <see cref="Decision.Denied"/> or
    /// <see cref="Decision.Undecidable"/> (enforce-mode terms, also in audit mode).</summary>
    public Decision EgressDecision { get; }

    /// <summary>The destination's ingress side alone (see <see cref="EgressDecision"/>).</summary>
    public Decision IngressDecision { get; }

    /// <summary>The flow.</summary>
    public Flow Flow { get; }

    /// <summary>The decision.</summary>
    public Decision Decision { get; }

    /// <summary>Why: the egress side first, then the ingress side (put into words when first read).</summary>
    public IReadOnlyList<VerdictReason> Reasons => reasons ??= [.. egressSide.Explain(Flow, Direction.Egress), .. ingressSide.Explain(Flow, Direction.Ingress)];

    /// <summary>The reasons of the side(s) that gave the decision, in the order of <see cref="Reasons"/>: both sides'
    /// when the flow is allowed; otherwise the side(s) that drop it (<see cref="Decision.Denied"/>, and
    /// <see cref="Decision.Audit"/>, whose sides are in enforce-mode terms) or that cannot decide it
    /// (<see cref="Decision.Undecidable"/>). What the CLI and the policy diff name as "decided by".</summary>
    public IReadOnlyList<VerdictReason> DecidingReasons
    {
        get
        {
            if (Decision == Decision.Allowed)
            {
                return [.. Reasons.Where(r => r.Direction is not null)];
            }

            var wanted = Decision == Decision.Undecidable ? Decision.Undecidable : Decision.Denied;
            return [.. Reasons.Where(r => r.Direction is { } d && (d == Direction.Egress ? EgressDecision : IngressDecision) == wanted)];
        }
    }

    /// <summary>Whether the flow passes in enforce mode.</summary>
    public bool IsAllowed => Decision == Decision.Allowed;

    /// <summary>Whether enforce mode would drop the flow (denied, or audited in audit mode).</summary>
    public bool WouldDrop => Decision is Decision.Denied or Decision.Audit;

    /// <summary>A readable explanation: the flow, the decision, one line per reason.</summary>
    public string Explanation
    {
        get
        {
            var text = new StringBuilder();
            text.Append(Flow).Append(": ").Append(Decision.ToString().ToUpperInvariant()).Append('\n');
            foreach (var reason in Reasons)
            {
                text.Append("  - ").Append(reason).Append('\n');
            }

            return text.ToString();
        }
    }

    /// <summary>Throws <see cref="VerdictAssertionException"/> with the explanation unless the flow is allowed.</summary>
    /// <returns>This verdict.</returns>
    public Verdict ShouldBeAllowed() => Decision == Decision.Allowed ? this : throw new VerdictAssertionException("expected the flow to be ALLOWED", this);

    /// <summary>Throws <see cref="VerdictAssertionException"/> with the explanation unless enforce mode would drop the
    /// flow (denied, or audit in audit mode).</summary>
    /// <returns>This verdict.</returns>
    public Verdict ShouldBeDenied() => WouldDrop ? this : throw new VerdictAssertionException("expected the flow to be DENIED", this);

    /// <inheritdoc />
    public override string ToString() => Explanation.TrimEnd('\n');

    private static Decision ToDecision(Tri t) => t switch
    {
        Tri.Yes => Decision.Allowed,
        Tri.No => Decision.Denied,
        _ => Decision.Undecidable,
    };
}

/// <summary>One direction of a verdict: the subject's map state, the peer, the entry the flow hit and the proxy's part.</summary>
internal readonly record struct VerdictSide(SubjectPolicy Policy, Identity Peer, Outcome? Outcome, Tri Result, string? Why, string? Note)
{
    public IEnumerable<VerdictReason> Explain(Flow flow, Direction direction)
    {
        var word = direction == Direction.Ingress ? "ingress" : "egress";
        var subject = Policy.Subject.Endpoint;
        var peer = Peer.Endpoint;
        VerdictReason Say(string message, Contribution? by = null) =>
            new(direction, by?.Rule?.Spec.Policy, by?.Rule?.Path, message);

        if (Policy.NotSubject is not null)
        {
            yield return Say(Policy.NotSubject);
            yield break;
        }

        if (Outcome is null)
        {
            yield return Say(NotEnforced(word, subject));
            yield break;
        }

        var o = Outcome;
        switch (o.Kind)
        {
            case OutcomeKind.Deny:
                yield return Say($"denied by a deny rule (deny wins over allow) for {peer}", o.Decider);
                break;
            case OutcomeKind.DefaultDeny:
                yield return Say(Policy.ForcedEnforcement is not null && Policy.Enforcing.Count == 0
                    ? $"{Policy.ForcedEnforcement}, and no rule allowed it"
                    : $"no rule allowed it under default deny (selected for {word} by {string.Join(", ", Policy.Enforcing.DefaultIfEmpty(Policy.ForcedEnforcement ?? string.Empty))})");
                break;
            case OutcomeKind.AuthDenied:
                yield return Say(o.Decider?.Rule?.Auth == AuthMode.AlwaysFail
                    ? "allowed only after mutual authentication in test-always-fail mode, which always fails: dropped"
                    : "allowed only after mutual authentication (authentication.mode: required), which cannot succeed without SPIRE (VerdictOptions.MutualAuthentication is off): the agent drops it", o.Decider);
                break;
            case OutcomeKind.Unknown:
                yield return Say(Why ?? "the answer depends on something the engine does not know");
                break;
            default:
                var allowed = o.Decider is null
                    ? NotEnforced(word, subject)
                    : o.Decider.Rule is null
                        ? "the local host always reaches the pods on its node (Cilium's allow-localhost default)"
                        : $"allowed for {peer}";
                if (Result == Tri.No)
                {
                    var request = flow.Http is not null ? "HTTP " + flow.Http : "DNS query " + flow.DnsQuery;
                    yield return Say($"the connection is allowed at L4, but the proxy denies {request}: no L7 rule on this port matches it", o.Decider);
                }
                else if (Result == Tri.Unknown)
                {
                    yield return Say($"{allowed}; {Why}", o.Decider);
                }
                else
                {
                    yield return Say(Note is null ? allowed : allowed + "; " + Note, o.Decider);
                }

                break;
        }
    }

    private string NotEnforced(string word, Endpoint subject)
    {
        if (Policy.EnforcementOff)
        {
            return "policy enforcement is off (enable-policy=never)";
        }

        return Policy.Selecting.Count == 0
            ? $"no policy with {word} rules selects {subject}: not in default deny"
            : $"selected by {string.Join(", ", Policy.Selecting)}, which set enableDefaultDeny.{word}: false: not in default deny";
    }
}

/// <summary>Thrown by the assertion helpers (<see cref="Verdict.ShouldBeAllowed"/>, <see cref="PolicyVerdicts.AssertAllowed(Endpoint, Endpoint, Port)"/>);
/// the message is the verdict's explanation. Test frameworks report it as a failure.</summary>
public sealed class VerdictAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="expectation">What was expected.</param>
    /// <param name="verdict">What the engine decided.</param>
    public VerdictAssertionException(string expectation, Verdict verdict)
        : base(expectation + ", but it is " + (verdict ?? throw new ArgumentNullException(nameof(verdict))).Decision.ToString().ToUpperInvariant() + ":\n" + verdict.Explanation) =>
        Verdict = verdict;

    /// <summary>The verdict.</summary>
    public Verdict Verdict { get; }
}
