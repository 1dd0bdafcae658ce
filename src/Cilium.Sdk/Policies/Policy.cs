using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Cilium.Sdk.Cluster;
using CrdKit.Validation;

namespace Cilium.Sdk.Policies;

/// <summary>
/// An immutable network-policy builder: <see cref="Namespaced"/> makes a <c>CiliumNetworkPolicy</c>,
/// <see cref="ClusterWide"/> a <c>CiliumClusterwideNetworkPolicy</c>. Every <c>With*</c>, <c>Selecting*</c>,
/// <c>Allow*</c> and <c>Deny*</c> returns a new policy (scalars override, rules append); <see cref="Build"/>
/// renders the typed record and validates it, returning every error.
/// </summary>
/// <remarks>
/// Rendering rules: peers of different kinds in one intent rule become one rendered rule per kind (endpoints,
/// entities, CIDRs, FQDNs, services, in that order) because the agent refuses a rule that mixes them; more than 40
/// ports are split across rules (the schema's limit); FQDN peers add the DNS-proxy rule (see
/// <see cref="Peer.Fqdn"/>); <see cref="PolicyMode"/> decides <c>enableDefaultDeny</c> unless
/// <see cref="WithDefaultDeny(bool?, bool?)"/> overrides it.
/// </remarks>
public sealed record Policy
{
    private static readonly Regex Subdomain = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static readonly Regex DnsLabel = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private Policy(string name, string? @namespace)
    {
        Name = name;
        Namespace = @namespace;
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>The namespace of a namespaced policy; null for a cluster-wide one.</summary>
    public string? Namespace { get; }

    /// <summary>Whether this is a <c>CiliumClusterwideNetworkPolicy</c>.</summary>
    public bool IsClusterWide => Namespace is null;

    /// <summary>"namespace/name" for a namespaced policy, "name" for a cluster-wide one; used in error paths.</summary>
    public string Key => Namespace is null ? Name : Namespace + "/" + Name;

    /// <summary>The description written to <c>spec.description</c>, or null.</summary>
    public string? Description { get; private init; }

    /// <summary>The selected endpoints, or null while unset (an error at <see cref="Build"/>).</summary>
    public EndpointSelection? Selection { get; private init; }

    /// <summary>An explicit ingress default-deny override, or null to follow the <see cref="PolicyMode"/>.</summary>
    public bool? DefaultDenyIngress { get; private init; }

    /// <summary>An explicit egress default-deny override, or null to follow the <see cref="PolicyMode"/>.</summary>
    public bool? DefaultDenyEgress { get; private init; }

    /// <summary>The intent rules, in the order added.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; private init; } = [];

    /// <summary>Starts a <c>CiliumNetworkPolicy</c>.</summary>
    /// <param name="name">The name (a DNS subdomain).</param>
    /// <param name="namespace">The namespace (a DNS label).</param>
    /// <returns>The policy, selecting nothing yet.</returns>
    public static Policy Namespaced(string name, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(@namespace);
        return new Policy(name, @namespace);
    }

    /// <summary>Starts a <c>CiliumClusterwideNetworkPolicy</c>.</summary>
    /// <param name="name">The name (a DNS subdomain).</param>
    /// <returns>The policy, selecting nothing yet.</returns>
    public static Policy ClusterWide(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new Policy(name, null);
    }

    /// <summary>Sets the description.</summary>
    /// <param name="description">The text.</param>
    /// <returns>A new policy.</returns>
    public Policy WithDescription(string description) => this with { Description = description };

    /// <summary>Selects pods by labels.</summary>
    /// <param name="labels">The labels (all must match).</param>
    /// <returns>A new policy.</returns>
    public Policy Selecting(IReadOnlyDictionary<string, string> labels) => this with { Selection = EndpointSelection.ByLabels(labels) };

    /// <summary>Selects a catalogue component's pods.</summary>
    /// <param name="component">The component.</param>
    /// <returns>A new policy.</returns>
    public Policy Selecting(Component component) => this with { Selection = EndpointSelection.ByComponent(component) };

    /// <summary>Selects endpoints as described.</summary>
    /// <param name="selection">The selection.</param>
    /// <returns>A new policy.</returns>
    public Policy Selecting(EndpointSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return this with { Selection = selection };
    }

    /// <summary>Selects every pod of a namespace (a namespaced policy can only name its own).</summary>
    /// <param name="namespace">The namespace.</param>
    /// <returns>A new policy.</returns>
    public Policy SelectingNamespace(string @namespace) => this with { Selection = EndpointSelection.ByNamespace(@namespace) };

    /// <summary>Selects every pod in scope: the namespace, or the whole cluster for a cluster-wide policy.</summary>
    /// <returns>A new policy.</returns>
    public Policy SelectingAll() => this with { Selection = EndpointSelection.All };

    /// <summary>
    /// Overrides <c>enableDefaultDeny</c> for this policy, in every <see cref="PolicyMode"/>; the override is written
    /// to the output. A null direction keeps following the mode. <c>false</c> makes the policy purely additive: it
    /// allows its flows without putting the selected pods into default deny.
    /// </summary>
    /// <param name="ingress">The ingress value, or null.</param>
    /// <param name="egress">The egress value, or null.</param>
    /// <returns>A new policy.</returns>
    public Policy WithDefaultDeny(bool? ingress, bool? egress) => this with { DefaultDenyIngress = ingress, DefaultDenyEgress = egress };

    /// <summary>Overrides <c>enableDefaultDeny</c> for both directions, in every <see cref="PolicyMode"/> (see
    /// <see cref="WithDefaultDeny(bool?, bool?)"/>).</summary>
    /// <param name="enabled">The value for ingress and egress.</param>
    /// <returns>A new policy.</returns>
    public Policy WithDefaultDeny(bool enabled) => WithDefaultDeny(ingress: enabled, egress: enabled);

    /// <summary>Allows ingress from <paramref name="from"/> on <paramref name="ports"/> (every port when none).</summary>
    /// <param name="from">The peer.</param>
    /// <param name="ports">The ports.</param>
    /// <returns>A new policy.</returns>
    public Policy AllowIngress(Peer from, params Port[] ports) => AllowIngress([from], ports);

    /// <summary>Allows ingress from any of <paramref name="from"/> on <paramref name="ports"/>, optionally only the
    /// HTTP requests <paramref name="http"/> describes.</summary>
    /// <param name="from">The peers.</param>
    /// <param name="ports">The ports (every port when empty).</param>
    /// <param name="http">HTTP rules, or null.</param>
    /// <returns>A new policy.</returns>
    public Policy AllowIngress(IEnumerable<Peer> from, IEnumerable<Port> ports, IEnumerable<HttpMatch>? http = null) =>
        Add(Direction.Ingress, false, from, ports, http, null, null);

    /// <summary>Allows egress to <paramref name="to"/> on <paramref name="ports"/> (every port when none).</summary>
    /// <param name="to">The peer.</param>
    /// <param name="ports">The ports.</param>
    /// <returns>A new policy.</returns>
    public Policy AllowEgress(Peer to, params Port[] ports) => AllowEgress([to], ports);

    /// <summary>Allows egress to any of <paramref name="to"/> on <paramref name="ports"/>, optionally restricted by
    /// HTTP or DNS rules.</summary>
    /// <param name="to">The peers.</param>
    /// <param name="ports">The ports (every port when empty).</param>
    /// <param name="http">HTTP rules, or null.</param>
    /// <param name="dns">DNS rules (egress to a DNS server on 53), or null.</param>
    /// <returns>A new policy.</returns>
    public Policy AllowEgress(IEnumerable<Peer> to, IEnumerable<Port> ports, IEnumerable<HttpMatch>? http = null, IEnumerable<DnsMatch>? dns = null) =>
        Add(Direction.Egress, false, to, ports, http, dns, null);

    /// <summary>Allows DNS lookups: egress to CoreDNS (<see cref="Components.CoreDns"/>) on 53/UDP and 53/TCP.</summary>
    /// <returns>A new policy.</returns>
    public Policy AllowDns() => AllowEgress(Peer.Component(Components.CoreDns), Port.Udp(53), Port.Tcp(53));

    /// <summary>Denies ingress from <paramref name="from"/> on <paramref name="ports"/> (every port when none); deny
    /// wins over any allow.</summary>
    /// <param name="from">The peer.</param>
    /// <param name="ports">The ports.</param>
    /// <returns>A new policy.</returns>
    public Policy DenyIngress(Peer from, params Port[] ports) => Add(Direction.Ingress, true, [from], ports, null, null, null);

    /// <summary>Denies egress to <paramref name="to"/> on <paramref name="ports"/> (every port when none); deny wins
    /// over any allow.</summary>
    /// <param name="to">The peer.</param>
    /// <param name="ports">The ports.</param>
    /// <returns>A new policy.</returns>
    public Policy DenyEgress(Peer to, params Port[] ports) => Add(Direction.Egress, true, [to], ports, null, null, null);

    /// <summary>Allows ICMP messages of <paramref name="types"/> from <paramref name="from"/>.</summary>
    /// <param name="from">The peer.</param>
    /// <param name="types">The ICMP types.</param>
    /// <returns>A new policy.</returns>
    public Policy AllowIcmpIngress(Peer from, params IcmpType[] types) => Add(Direction.Ingress, false, [from], [], null, null, types);

    /// <summary>Allows ICMP messages of <paramref name="types"/> to <paramref name="to"/>.</summary>
    /// <param name="to">The peer.</param>
    /// <param name="types">The ICMP types.</param>
    /// <returns>A new policy.</returns>
    public Policy AllowIcmpEgress(Peer to, params IcmpType[] types) => Add(Direction.Egress, false, [to], [], null, null, types);

    /// <summary>
    /// Renders the typed record for <paramref name="version"/> in <paramref name="mode"/> and validates it: the
    /// SDK's intent checks, then the generated schema validation. Never throws for bad input: every problem is in
    /// <see cref="PolicyBuildResult.Errors"/>, with paths such as <c>policies[kube-system/coredns].spec.egress[0]</c>.
    /// </summary>
    /// <param name="version">The target Cilium version.</param>
    /// <param name="mode">Audit or enforce.</param>
    /// <returns>The record and its errors.</returns>
    public PolicyBuildResult Build(CiliumVersion version, PolicyMode mode = PolicyMode.Enforce) => BuildFor(version.ToString(), mode);

    /// <summary><see cref="Build(CiliumVersion, PolicyMode)"/> for a version already written as text (a set builds
    /// thousands of policies for one version).</summary>
    internal PolicyBuildResult BuildFor(string version, PolicyMode mode)
    {
        // First with paths relative to the policy: a valid policy (the common case) reports nothing, so its path
        // strings ("policies[ns/name].spec...") are never needed. Only a policy with findings is built again with them.
        var quick = BuildAt(version, mode, string.Empty);
        return quick.Errors.Count == 0 ? quick : BuildAt(version, mode, "policies[" + Key + "]");
    }

    private PolicyBuildResult BuildAt(string version, PolicyMode mode, string prefix)
    {
        var context = new ValidationContext(version);
        CheckNames(context, prefix);
        var resource = PolicyRenderer.Render(this, mode, context, prefix);
        if (resource is IValidatable record)
        {
            context.Validate(record, prefix);
        }

        return new PolicyBuildResult(this, resource, context.Errors.Count == 0 ? [] : context.Errors.ToList());
    }

    /// <inheritdoc />
    public override string ToString() => (IsClusterWide ? "CiliumClusterwideNetworkPolicy " : "CiliumNetworkPolicy ") + Key;

    private Policy Add(Direction direction, bool deny, IEnumerable<Peer> peers, IEnumerable<Port> ports, IEnumerable<HttpMatch>? http, IEnumerable<DnsMatch>? dns, IEnumerable<IcmpType>? icmps)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(ports);
        var peerList = peers.Select(p => p ?? throw new ArgumentException("a peer is null", nameof(peers))).ToArray();
        if (peerList.Length == 0)
        {
            throw new ArgumentException("a rule needs at least one peer; use Peer.Any to match on ports alone", nameof(peers));
        }

        var rule = new PolicyRule(
            direction,
            deny,
            peerList,
            ports.Select(p => p ?? throw new ArgumentException("a port is null", nameof(ports))).ToArray(),
            http?.ToArray() ?? [],
            dns?.ToArray() ?? [],
            icmps?.ToArray() ?? []);
        return this with { Rules = [.. Rules, rule] };
    }

    private void CheckNames(ValidationContext context, string prefix)
    {
        if (Name.Length is 0 or > 253 || !Subdomain.IsMatch(Name))
        {
            context.Add(prefix + ".metadata.name", Name, "is not a valid Kubernetes name", "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters)");
        }

        if (Namespace is not null && (Namespace.Length is 0 or > 63 || !DnsLabel.IsMatch(Namespace)))
        {
            context.Add(prefix + ".metadata.namespace", Namespace, "is not a valid namespace name", "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
    }
}

/// <summary>What <see cref="Policy.Build"/> returns: the typed record and every problem found.</summary>
/// <param name="Policy">The intent it was built from.</param>
/// <param name="Resource">The <c>CiliumNetworkPolicy</c> or <c>CiliumClusterwideNetworkPolicy</c>.</param>
/// <param name="Errors">Every error and warning, each with a path, value and fix.</param>
public sealed record PolicyBuildResult(Policy Policy, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> Resource, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>Whether no error (warnings aside) was found.</summary>
    public bool IsValid => Errors.All(e => !e.IsError);

    /// <summary>The namespaced record, or null for a cluster-wide policy.</summary>
    public Resources.V2.CiliumNetworkPolicy? NetworkPolicy => Resource as Resources.V2.CiliumNetworkPolicy;

    /// <summary>The cluster-wide record, or null for a namespaced policy.</summary>
    public Resources.V2.CiliumClusterwideNetworkPolicy? ClusterwideNetworkPolicy => Resource as Resources.V2.CiliumClusterwideNetworkPolicy;

    /// <summary>The record's <c>spec</c>.</summary>
    public Resources.Rule Spec => NetworkPolicy?.Spec ?? ClusterwideNetworkPolicy?.Spec ?? throw new InvalidOperationException("the rendered policy has no spec");
}
