using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Validation.Sets;

/// <summary>
/// A Kubernetes label selector read from a manifest's JSON (<c>matchLabels</c> and <c>matchExpressions</c>), for the
/// set rules: does it match a label map, and can it match anything another selector matches.
/// </summary>
/// <remarks>
/// Written here rather than taken from the verdict engine: that one evaluates Cilium identities (label sources,
/// reserved entities, three-valued answers) for flows; these rules only compare plain label maps and selectors.
/// Keys may carry Cilium's <c>k8s:</c> or <c>any:</c> source prefix, which is dropped; a selector naming another source
/// (<c>reserved:</c>) is <see cref="IsJudgeable"/> false.
/// </remarks>
internal sealed class LabelQuery
{
    private readonly Requirement[] requirements;

    private LabelQuery(Requirement[] requirements, bool judgeable)
    {
        this.requirements = requirements;
        IsJudgeable = judgeable;
    }

    /// <summary>Whether the selector is empty (matches everything).</summary>
    public bool IsEmpty => requirements.Length == 0;

    /// <summary>Whether the selector only asks for plain labels (not reserved identities or unknown operators).</summary>
    public bool IsJudgeable { get; }

    /// <summary>Reads a selector; null when <paramref name="node"/> is not an object.</summary>
    public static LabelQuery? From(JsonNode? node)
    {
        if (node is not JsonObject selector)
        {
            return null;
        }

        var list = new List<Requirement>();
        var judgeable = true;
        if (selector["matchLabels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                var (name, plain) = Key(key);
                judgeable &= plain;
                list.Add(new Requirement(name, "In", [Text(value) ?? string.Empty]));
            }
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var (name, plain) = Key(Text(expression["key"]) ?? string.Empty);
                var op = Text(expression["operator"]) ?? string.Empty;
                judgeable &= plain && op is "In" or "NotIn" or "Exists" or "DoesNotExist";
                var values = expression["values"] is JsonArray array ? array.Select(Text).OfType<string>().ToArray() : [];
                list.Add(new Requirement(name, op, values));
            }
        }

        return new LabelQuery(list.ToArray(), judgeable);
    }

    /// <summary>Whether a label map satisfies every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.All(r => r.Matches(labels));

    /// <summary>Whether some label map satisfies both selectors (their requirements do not contradict each other).</summary>
    public bool CanOverlap(LabelQuery other)
    {
        foreach (var key in requirements.Concat(other.requirements).Select(r => r.Key).Distinct(StringComparer.Ordinal))
        {
            if (!Satisfiable(requirements.Concat(other.requirements).Where(r => r.Key == key)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The label a requirement on <paramref name="key"/> pins to one value (matchLabels or In with one value), or null.</summary>
    public string? Pinned(string key) =>
        requirements.FirstOrDefault(r => r.Key == key && r.Operator == "In" && r.Values.Length == 1)?.Values[0];

    /// <summary>The selector without the requirements on <paramref name="key"/>.</summary>
    public LabelQuery Without(string key) => new(requirements.Where(r => r.Key != key).ToArray(), IsJudgeable);

    /// <inheritdoc />
    public override string ToString() => requirements.Length == 0 ? "{}" : "{" + string.Join(", ", requirements.Select(r => r.ToString())) + "}";

    private static bool Satisfiable(IEnumerable<Requirement> onOneKey)
    {
        var mustExist = false;
        var mustNotExist = false;
        HashSet<string>? allowed = null;
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in onOneKey)
        {
            switch (r.Operator)
            {
                case "In":
                    mustExist = true;
                    if (allowed is null)
                    {
                        allowed = new HashSet<string>(r.Values, StringComparer.Ordinal);
                    }
                    else
                    {
                        allowed.IntersectWith(r.Values);
                    }

                    break;
                case "NotIn":
                    excluded.UnionWith(r.Values);
                    break;
                case "Exists":
                    mustExist = true;
                    break;
                case "DoesNotExist":
                    mustNotExist = true;
                    break;
                default:
                    return true; // not judged
            }
        }

        if (mustExist && mustNotExist)
        {
            return false;
        }

        return allowed is null || allowed.Except(excluded, StringComparer.Ordinal).Any();
    }

    private static (string Name, bool Plain) Key(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (key, true);
        }

        var source = key[..colon];
        return (key[(colon + 1)..], source is "k8s" or "any");
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    private sealed record Requirement(string Key, string Operator, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Operator switch
            {
                "In" => has && Values.Contains(value, StringComparer.Ordinal),
                "NotIn" => !has || !Values.Contains(value, StringComparer.Ordinal),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => true,
            };
        }

        public override string ToString() => Operator switch
        {
            "In" when Values.Length == 1 => Key + "=" + Values[0],
            "Exists" => Key,
            "DoesNotExist" => "!" + Key,
            _ => $"{Key} {Operator} ({string.Join(",", Values)})",
        };
    }
}
