using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>An endpoint's identity in one engine: a number, a representative endpoint, and its compiled map state per direction.</summary>
internal sealed class Identity
{
    private SubjectPolicy? ingress;
    private SubjectPolicy? egress;

    public Identity(int id, Endpoint endpoint)
    {
        Id = id;
        Endpoint = endpoint;
    }

    public int Id { get; }

    public Endpoint Endpoint { get; }

    /// <summary>The map state of this identity as the subject of <paramref name="direction"/>, compiled on first use.</summary>
    public SubjectPolicy Policy(Direction direction, Func<Identity, Direction, SubjectPolicy> compile)
    {
        ref var slot = ref direction == Direction.Ingress ? ref ingress : ref egress;
        var policy = Volatile.Read(ref slot);
        if (policy is not null)
        {
            return policy;
        }

        policy = compile(this, direction);
        return Interlocked.CompareExchange(ref slot, policy, null) ?? policy;
    }
}

/// <summary>The cached identity of an endpoint for the engine (<see cref="Owner"/>) that made it.</summary>
internal sealed class IdentitySlot(IdentityTable owner, Identity identity)
{
    public IdentityTable Owner { get; } = owner;

    public Identity Identity { get; } = identity;
}

/// <summary>The identities an engine has seen, numbered in order; an endpoint keeps its identity for the last engine
/// that looked it up, so a flow costs no hashing of label strings.</summary>
internal sealed class IdentityTable
{
    private readonly ConcurrentDictionary<string, Identity> byKey = new(StringComparer.Ordinal);
    private readonly List<Identity> all = [];
    private readonly object gate = new();

    /// <summary>The number of identities registered.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return all.Count;
            }
        }
    }

    /// <summary>The identities registered so far, in order.</summary>
    public Identity[] Snapshot()
    {
        lock (gate)
        {
            return all.ToArray();
        }
    }

    public Identity Get(Endpoint endpoint)
    {
        var slot = endpoint.IdentitySlot;
        if (slot is not null && ReferenceEquals(slot.Owner, this))
        {
            return slot.Identity;
        }

        var key = endpoint.IdentityKey;
        if (!byKey.TryGetValue(key, out var identity))
        {
            lock (gate)
            {
                if (!byKey.TryGetValue(key, out identity))
                {
                    identity = new Identity(all.Count, endpoint);
                    all.Add(identity);
                    byKey[key] = identity;
                }
            }
        }

        endpoint.IdentitySlot = new IdentitySlot(this, identity);
        return identity;
    }
}
