using System;
using System.Buffers.Binary;
using System.Numerics;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>Up to three raw values of one line that together make a cache key, with their hash.</summary>
internal readonly record struct ByteKey(RawValue A, RawValue B, RawValue C, ulong Hash)
{
    /// <summary>The key of <paramref name="a"/>, <paramref name="b"/> and <paramref name="c"/> in <paramref name="buffer"/>
    /// (absent and empty differ).</summary>
    public static ByteKey Of(ReadOnlySpan<byte> buffer, RawValue a, RawValue b = default, RawValue c = default)
    {
        var h = Hash64.Seed;
        h = Hash64.Add(h, a.Of(buffer), a.Length);
        h = Hash64.Add(h, b.Of(buffer), b.Length);
        h = Hash64.Add(h, c.Of(buffer), c.Length);
        return new ByteKey(a, b, c, Hash64.Finish(h));
    }
}

/// <summary>
/// A bounded map from raw JSON bytes to what was computed from them: a capture repeats the same endpoints, labels and L7
/// requests millions of times, so each distinct one is parsed and mapped once. Lookups compare bytes, never allocate.
/// When <c>capacity</c> entries are held the map starts over, so memory stays bounded whatever the capture holds.
/// Single-threaded.
/// </summary>
internal sealed class ByteKeyCache<T>
    where T : class
{
    private readonly int capacity;
    private int[] buckets;
    private Entry[] entries;
    private int count;

    public ByteKeyCache(int capacity)
    {
        this.capacity = capacity;
        buckets = new int[16];
        entries = new Entry[16];
    }

    public int Count => count;

    public bool TryGet(ReadOnlySpan<byte> buffer, in ByteKey key, out T value)
    {
        for (var i = buckets[(int)(key.Hash & (ulong)(buckets.Length - 1))] - 1; i >= 0; i = entries[i].Next)
        {
            ref var e = ref entries[i];
            if (e.Hash == key.Hash && e.Matches(buffer, key))
            {
                value = e.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }

    public void Add(ReadOnlySpan<byte> buffer, in ByteKey key, T value)
    {
        if (count >= capacity)
        {
            Array.Clear(buckets);
            Array.Clear(entries);
            count = 0;
        }

        if (count == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
            buckets = new int[entries.Length];
            for (var i = 0; i < count; i++)
            {
                ref var b = ref buckets[(int)(entries[i].Hash & (ulong)(buckets.Length - 1))];
                entries[i].Next = b - 1;
                b = i + 1;
            }
        }

        var a = key.A.Of(buffer);
        var bb = key.B.Of(buffer);
        var c = key.C.Of(buffer);
        var bytes = new byte[a.Length + bb.Length + c.Length];
        a.CopyTo(bytes);
        bb.CopyTo(bytes.AsSpan(a.Length));
        c.CopyTo(bytes.AsSpan(a.Length + bb.Length));
        ref var bucket = ref buckets[(int)(key.Hash & (ulong)(buckets.Length - 1))];
        entries[count] = new Entry { Hash = key.Hash, Bytes = bytes, LengthA = key.A.Length, LengthB = key.B.Length, LengthC = key.C.Length, Value = value, Next = bucket - 1 };
        count++;
        bucket = count;
    }

    private struct Entry
    {
        public ulong Hash;
        public byte[] Bytes;
        public int LengthA;
        public int LengthB;
        public int LengthC;
        public T Value;
        public int Next;

        public readonly bool Matches(ReadOnlySpan<byte> buffer, in ByteKey key)
        {
            if (LengthA != key.A.Length || LengthB != key.B.Length || LengthC != key.C.Length)
            {
                return false;
            }

            var a = Math.Max(LengthA, 0);
            var b = Math.Max(LengthB, 0);
            ReadOnlySpan<byte> bytes = Bytes;
            return bytes[..a].SequenceEqual(key.A.Of(buffer)) && bytes.Slice(a, b).SequenceEqual(key.B.Of(buffer)) && bytes[(a + b)..].SequenceEqual(key.C.Of(buffer));
        }
    }
}

/// <summary>A fast 64-bit hash of byte runs (multiply-rotate over 8-byte words), seeded per process.</summary>
internal static class Hash64
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;

    public static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    public static ulong Add(ulong h, ReadOnlySpan<byte> data, int length)
    {
        h = Mix(h, (ulong)(uint)length);
        while (data.Length >= 8)
        {
            h = Mix(h, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length > 0)
        {
            ulong tail = 0;
            for (var i = 0; i < data.Length; i++)
            {
                tail |= (ulong)data[i] << (8 * i);
            }

            h = Mix(h, tail);
        }

        return h;
    }

    public static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        h *= Prime1;
        return h ^ (h >> 32);
    }

    private static ulong Mix(ulong h, ulong v) => BitOperations.RotateLeft(h ^ (v * Prime2), 31) * Prime1;
}
