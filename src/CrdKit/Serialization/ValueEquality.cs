using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrdKit.Serialization;

/// <summary>
/// Value equality for generated records: lists element by element, maps entry by entry (order does not matter, as in
/// JSON), JSON payloads by deep equality, KubernetesClient models by their JSON. Generated <c>Equals</c> and
/// <c>GetHashCode</c> call these, composed by type (<see cref="ListOf{T, TItems}"/> of <see cref="MapOf{T, TValues}"/>
/// ...), so nesting costs no allocation and no reflection.
/// </summary>
/// <remarks>Records are mutable: a record's hash changes when a field does, as for any mutable value.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValueEquality
{
    /// <summary>Compares and hashes values of one type.</summary>
    /// <typeparam name="T">The type.</typeparam>
    public interface IComparer<in T>
    {
        /// <summary>Whether two values are equal.</summary>
        /// <param name="a">One value.</param>
        /// <param name="b">The other.</param>
        /// <returns>True when equal.</returns>
        bool Same(T? a, T? b);

        /// <summary>A hash consistent with <see cref="Same"/>.</summary>
        /// <param name="value">The value.</param>
        /// <returns>The hash.</returns>
        int Hash(T? value);
    }

    /// <summary>Whether two values are equal by <typeparamref name="TComparer"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TComparer">The comparer.</typeparam>
    /// <param name="a">One value.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when equal.</returns>
    public static bool Equal<T, TComparer>(T? a, T? b)
        where TComparer : struct, IComparer<T> => default(TComparer).Same(a, b);

    /// <summary>The hash of a value by <typeparamref name="TComparer"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TComparer">The comparer.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The hash.</returns>
    public static int Hash<T, TComparer>(T? value)
        where TComparer : struct, IComparer<T> => default(TComparer).Hash(value);

    /// <summary>Whether two values are equal by their own <c>Equals</c> (scalars, enums, records).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="a">One value.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when equal.</returns>
    public static bool Same<T>(T a, T b) => EqualityComparer<T>.Default.Equals(a, b);

    /// <summary>Deep equality of JSON (object members in any order).</summary>
    /// <param name="a">One node.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when equal.</returns>
    public static bool Json(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    /// <summary>A hash consistent with <see cref="Json"/>: numbers by value, object members in any order.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The hash.</returns>
    public static int JsonHash(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return 0;
            case JsonObject obj:
                var sum = 17;
                foreach (var (key, value) in obj)
                {
                    // A sum does not depend on member order, as equality does not.
                    sum += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), JsonHash(value));
                }

                return sum;
            case JsonArray array:
                var hash = new HashCode();
                foreach (var item in array)
                {
                    hash.Add(JsonHash(item));
                }

                return hash.ToHashCode();
            default:
                var element = node.AsValue();
                return element.GetValueKind() switch
                {
                    JsonValueKind.String => StringComparer.Ordinal.GetHashCode(element.GetValue<string>()),
                    JsonValueKind.Number => element.TryGetValue<double>(out var d) ? d.GetHashCode() : 1,
                    var kind => (int)kind,
                };
        }
    }

    /// <summary>Equality of KubernetesClient models (object meta, label selectors, conditions) by their JSON: the models
    /// themselves compare by reference.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="a">One model.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when equal.</returns>
    public static bool Kubernetes<T>(T? a, T? b)
        where T : class =>
        ReferenceEquals(a, b) || (a is not null && b is not null && JsonNode.DeepEquals(ToNode(a), ToNode(b)));

    /// <summary>A cheap hash consistent with <see cref="Kubernetes{T}"/>: the name and namespace of object metadata,
    /// a constant for other models.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="value">The model.</param>
    /// <returns>The hash.</returns>
    public static int KubernetesHash<T>(T? value)
        where T : class => value switch
        {
            null => 0,
            k8s.Models.V1ObjectMeta meta => HashCode.Combine(meta.Name, meta.NamespaceProperty, meta.GenerateName),
            _ => 1,
        };

    private static JsonNode? ToNode<T>(T value)
        where T : class => JsonSerializer.SerializeToNode(value, CrdJson.Model<T>());

    /// <summary>Values by their own <c>Equals</c>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    public readonly struct DefaultOf<T> : IComparer<T>
    {
        /// <inheritdoc />
        public bool Same(T? a, T? b) => EqualityComparer<T?>.Default.Equals(a, b);

        /// <inheritdoc />
        public int Hash(T? value) => value is null ? 0 : EqualityComparer<T?>.Default.GetHashCode(value);
    }

    /// <summary>JSON nodes by deep equality.</summary>
    public readonly struct JsonOf : IComparer<JsonNode>
    {
        /// <inheritdoc />
        public bool Same(JsonNode? a, JsonNode? b) => Json(a, b);

        /// <inheritdoc />
        public int Hash(JsonNode? value) => JsonHash(value);
    }

    /// <summary>KubernetesClient models by their JSON.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    public readonly struct KubernetesOf<T> : IComparer<T>
        where T : class
    {
        /// <inheritdoc />
        public bool Same(T? a, T? b) => Kubernetes(a, b);

        /// <inheritdoc />
        public int Hash(T? value) => KubernetesHash(value);
    }

    /// <summary>Lists element by element.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TItems">The items' comparer.</typeparam>
    public readonly struct ListOf<T, TItems> : IComparer<IList<T>>
        where TItems : struct, IComparer<T>
    {
        /// <inheritdoc />
        public bool Same(IList<T>? a, IList<T>? b)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (a is null || b is null || a.Count != b.Count)
            {
                return false;
            }

            for (var i = 0; i < a.Count; i++)
            {
                if (!default(TItems).Same(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <inheritdoc />
        public int Hash(IList<T>? value)
        {
            if (value is null)
            {
                return 0;
            }

            var hash = new HashCode();
            hash.Add(value.Count);
            for (var i = 0; i < value.Count; i++)
            {
                hash.Add(default(TItems).Hash(value[i]));
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>Maps entry by entry, in any order (as JSON objects).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TValues">The values' comparer.</typeparam>
    public readonly struct MapOf<T, TValues> : IComparer<IDictionary<string, T>>
        where TValues : struct, IComparer<T>
    {
        /// <inheritdoc />
        public bool Same(IDictionary<string, T>? a, IDictionary<string, T>? b)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (a is null || b is null || a.Count != b.Count)
            {
                return false;
            }

            foreach (var (key, value) in a)
            {
                if (!b.TryGetValue(key, out var other) || !default(TValues).Same(value, other))
                {
                    return false;
                }
            }

            return true;
        }

        /// <inheritdoc />
        public int Hash(IDictionary<string, T>? value)
        {
            if (value is null)
            {
                return 0;
            }

            var sum = value.Count;
            foreach (var (key, item) in value)
            {
                sum += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), default(TValues).Hash(item));
            }

            return sum;
        }
    }
}
