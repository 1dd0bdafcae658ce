using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace CrdKit.Validation;

/// <summary>
/// Collects every violation of one validation run. Generated <c>Validate()</c> methods call the check helpers;
/// hand-written rules call <see cref="Add"/>.
/// </summary>
public sealed partial class ValidationContext
{
    // Patterns run through Re2 on .NET's non-backtracking engine: linear time like Go's RE2, which upstream's patterns are
    // written for (the FQDN pattern takes seconds in a backtracking engine on hostile input).
    // Created on the first violation: most contexts (one or two per record validated) never need one.
    private List<ValidationError>? errors;

    // A probe (see Validate(IValidatable, string)) builds no path and keeps no violation: it only notes that there was one.
    private readonly bool probe;
    private bool probeFound;

    /// <summary>Creates a context.</summary>
    /// <param name="targetVersion">The release of the API to validate for ("1.19", "1.20"), or null to skip the checks of fields
    /// and values that the schema marks as added or removed in some release.</param>
    /// <exception cref="ArgumentException"><paramref name="targetVersion"/> is not written as numbers <c>major.minor</c> or
    /// <c>major.minor.patch</c> ("v1.20" and "banana" would silently compare as another release).</exception>
    public ValidationContext(string? targetVersion = null)
    {
        if (targetVersion is not null && !IsReleaseText(targetVersion))
        {
            throw new ArgumentException($"'{targetVersion}' is not a release version; write it as numbers major.minor, e.g. 1.20 (no 'v' prefix, no words)", nameof(targetVersion));
        }

        TargetVersion = targetVersion;
    }

    private ValidationContext(string? targetVersion, bool probe)
    {
        TargetVersion = targetVersion;
        this.probe = probe;
    }

    /// <summary>The release validated for, or null.</summary>
    public string? TargetVersion { get; }

    /// <summary>Every violation so far, in the order found.</summary>
    public IReadOnlyList<ValidationError> Errors => (IReadOnlyList<ValidationError>?)errors ?? [];

    /// <summary>Whether no violation was found.</summary>
    public bool IsValid => errors is null || errors.Count == 0;

    /// <summary>Adds a violation.</summary>
    /// <param name="path">Where.</param>
    /// <param name="value">The value found, or null.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="fix">How to fix it.</param>
    /// <param name="layer">Who would reject it.</param>
    public void Add(string path, string? value, string message, string fix, string layer = ValidationLayers.Schema)
    {
        if (probe)
        {
            probeFound = true;
            return;
        }

        (errors ??= []).Add(new ValidationError(path, value, message, fix, layer));
    }

    /// <summary>Adds a warning: something to look at that the API server does not necessarily refuse.</summary>
    /// <param name="path">Where.</param>
    /// <param name="value">The value found, or null.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="fix">How to fix it.</param>
    /// <param name="layer">Who would reject it.</param>
    public void Warn(string path, string? value, string message, string fix, string layer = ValidationLayers.Schema)
    {
        if (probe)
        {
            probeFound = true;
            return;
        }

        (errors ??= []).Add(new ValidationError(path, value, message, fix, layer, ValidationSeverity.Warning));
    }

    /// <summary>
    /// Adds every violation of <paramref name="record"/> under <paramref name="path"/>, in two passes: a quick one that
    /// builds no path (a valid record, the common case, costs no path strings), then, only when that one finds
    /// something, the full one that reports each violation with its path. The result is the same as
    /// <c>record.Validate(this, path)</c>.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="path">The record's JSON path.</param>
    public void Validate(IValidatable record, string path)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(path);
        if (!probe)
        {
            var quick = new ValidationContext(TargetVersion, probe: true);
            record.Validate(quick, path);
            if (!quick.probeFound)
            {
                return;
            }
        }

        record.Validate(this, path);
    }

    /// <summary>The path of a property of the object at <paramref name="path"/> (see <see cref="ValidationPath.Property"/>);
    /// generated and hand-written checks build child paths through this, so a quick first pass builds none.</summary>
    /// <param name="path">The parent path ("" for the root).</param>
    /// <param name="name">The wire name.</param>
    /// <returns>The child path (the parent path itself during the quick pass).</returns>
    public string Property(string path, string name) => probe ? path : ValidationPath.Property(path, name);

    /// <summary>The path of item <paramref name="index"/> of the list at <paramref name="path"/> (see
    /// <see cref="ValidationPath.Index"/>); the parent path itself during the quick pass.</summary>
    /// <param name="path">The list's path.</param>
    /// <param name="index">The index.</param>
    /// <returns>The item path.</returns>
    public string Index(string path, int index) => probe ? path : ValidationPath.Index(path, index);

    /// <summary>Whether a rule limited to some releases applies to the target version (always, when none is set).</summary>
    /// <param name="addedIn">First version with the rule, or null.</param>
    /// <param name="removedIn">First version without it, or null.</param>
    /// <returns>Whether to check the rule.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool AppliesTo(string? addedIn, string? removedIn) =>
        TargetVersion is null
        || ((addedIn is null || CompareVersions(TargetVersion, addedIn) >= 0) && (removedIn is null || CompareVersions(TargetVersion, removedIn) < 0));

    /// <summary>A CEL rule (<c>x-kubernetes-validations</c>) does not hold.</summary>
    /// <param name="path">The field that carries the rule.</param>
    /// <param name="value">The field's value as text, or null for an object.</param>
    /// <param name="message">The rule's message.</param>
    /// <param name="rule">The rule's CEL text.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Rule(string path, string? value, string message, string rule) =>
        Add(path, value is null ? null : Show(value), message, $"change the object so that the API server's rule '{rule}' holds");

    /// <summary>
    /// Reports fields the schema does not declare. <c>kubectl apply</c> validates strictly by default and rejects them;
    /// without strict validation the API server drops them.
    /// </summary>
    /// <param name="path">The object's path.</param>
    /// <param name="unknown">The object's undeclared fields, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void UnknownFields(string path, System.Text.Json.Nodes.JsonObject? unknown)
    {
        if (unknown is null)
        {
            return;
        }

        foreach (var name in unknown.Select(p => p.Key).Order(StringComparer.Ordinal))
        {
            Add(Property(path, name), null, "is not a field of this schema: strict field validation (kubectl's default) rejects it, and the API server drops it otherwise", $"remove '{name}', or check its spelling, its place and the apiVersion");
        }
    }

    /// <summary>A required field is missing.</summary>
    /// <param name="path">The parent object's path.</param>
    /// <param name="wireName">The field.</param>
    public void Required(string path, string wireName) =>
        Add(Property(path, wireName), null, "is required", $"set '{wireName}'");

    /// <summary>Checks pattern, format and length of a string.</summary>
    /// <param name="path">Where.</param>
    /// <param name="value">The value.</param>
    /// <param name="pattern">An RE2 pattern, or null.</param>
    /// <param name="format">An OpenAPI format, or null.</param>
    /// <param name="minLength">Minimum length, or null.</param>
    /// <param name="maxLength">Maximum length, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void String(string path, string value, string? pattern, string? format, long? minLength, long? maxLength)
    {
        if (minLength is { } min && value.Length < min)
        {
            Add(path, Show(value), $"is shorter than {min} characters", $"use at least {min} characters");
        }

        if (maxLength is { } max && value.Length > max)
        {
            Add(path, Show(value), $"is longer than {max} characters", $"shorten it to at most {max} characters");
        }

        if (format is not null && !Formats.IsValid(format, value, out var fix))
        {
            Add(path, Show(value), $"is not a valid {format}", fix);
        }

        if (pattern is not null)
        {
            var regex = Re2.Compile(pattern);
            if (regex is null)
            {
                // A warning, not an error: the API server may well accept the value.
                Warn(path, Show(value), $"cannot be checked: pattern '{pattern}' has no exact equivalent offline", "check the value by hand");
            }
            else if (!regex.IsMatch(value))
            {
                Add(path, Show(value), $"does not match the pattern {pattern}", "change the value to match the pattern");
            }
        }
    }

    /// <summary>Checks numeric bounds.</summary>
    /// <param name="path">Where.</param>
    /// <param name="value">The value.</param>
    /// <param name="minimum">Lower bound, or null.</param>
    /// <param name="maximum">Upper bound, or null.</param>
    /// <param name="exclusiveMinimum">Whether the lower bound is exclusive.</param>
    /// <param name="exclusiveMaximum">Whether the upper bound is exclusive.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Number(string path, double value, double? minimum, double? maximum, bool exclusiveMinimum, bool exclusiveMaximum)
    {
        if (minimum is { } min && (exclusiveMinimum ? value <= min : value < min))
        {
            Add(path, value.ToString(CultureInfo.InvariantCulture), $"must be {(exclusiveMinimum ? "greater than" : "at least")} {min.ToString(CultureInfo.InvariantCulture)}", Range(minimum, maximum, exclusiveMinimum, exclusiveMaximum));
        }

        if (maximum is { } max && (exclusiveMaximum ? value >= max : value > max))
        {
            Add(path, value.ToString(CultureInfo.InvariantCulture), $"must be {(exclusiveMaximum ? "less than" : "at most")} {max.ToString(CultureInfo.InvariantCulture)}", Range(minimum, maximum, exclusiveMinimum, exclusiveMaximum));
        }
    }

    /// <summary>Checks how many items or properties there are.</summary>
    /// <param name="path">Where.</param>
    /// <param name="count">The count.</param>
    /// <param name="minimum">Lower bound, or null.</param>
    /// <param name="maximum">Upper bound, or null.</param>
    /// <param name="noun">"items", "properties" or "entries".</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Count(string path, int count, long? minimum, long? maximum, string noun)
    {
        if (minimum is { } min && count < min)
        {
            Add(path, $"{count} {noun}", $"needs at least {min} {noun}", $"add {noun} until there are {min}");
        }

        if (maximum is { } max && count > max)
        {
            var fix = max == 0 ? "remove it: this field is deprecated and must stay empty" : $"remove {noun} until there are at most {max} (split into several rules if you need more)";
            Add(path, $"{count} {noun}", $"has more than {max} {noun}", fix);
        }
    }

    /// <summary>Checks a non-string enum (integer values listed by the schema).</summary>
    /// <param name="path">Where.</param>
    /// <param name="value">The value as text.</param>
    /// <param name="allowed">The allowed values.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void OneOfValues(string path, string value, string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            Add(path, value, "is not an allowed value", "use one of " + string.Join(", ", allowed));
        }
    }

    /// <summary>Reports a field the target release does not have.</summary>
    /// <param name="path">Where.</param>
    /// <param name="addedIn">First version with the field, or null.</param>
    /// <param name="removedIn">First version without it, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Available(string path, string? addedIn, string? removedIn)
    {
        if (TargetVersion is null)
        {
            return;
        }

        if (addedIn is not null && CompareVersions(TargetVersion, addedIn) < 0)
        {
            Add(path, null, $"is not available in version {TargetVersion}: it was added in {addedIn}", $"remove it, or target version {addedIn} or later");
        }

        if (removedIn is not null && CompareVersions(TargetVersion, removedIn) >= 0)
        {
            Add(path, null, $"is not available in version {TargetVersion}: it was removed in {removedIn}", $"remove it, or target a version before {removedIn}");
        }
    }

    /// <summary>Reports an enum value the target release does not have.</summary>
    /// <param name="path">Where.</param>
    /// <param name="availability">The value's first and last versions.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Available(string path, (string? AddedIn, string? RemovedIn) availability) =>
        Available(path, availability.AddedIn, availability.RemovedIn);

    /// <summary>Reports an enum value the schema does not list: read from a newer release (kept and written back as
    /// it was) or made by a cast. The API server of the target version would refuse it.</summary>
    /// <param name="path">Where.</param>
    /// <param name="code">The enum value as an integer.</param>
    /// <param name="values">The enum's wire values.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void EnumValue(string path, int code, CrdKit.Serialization.EnumWireValues values)
    {
        if (values.IsKnown(code))
        {
            return;
        }

        var text = values.TryText(code);
        var near = text is null ? null : values.Near(text);
        var release = TargetVersion is null ? string.Empty : $" in version {TargetVersion}";
        var fix = near is not null ? $"did you mean '{near}'? (values are case-sensitive)" : "use one of " + string.Join(", ", values.Known);
        Add(path, text ?? code.ToString(CultureInfo.InvariantCulture), $"is not an allowed value{release}", fix);
    }

    /// <summary>Checks a <c>x-kubernetes-list-type: set</c> list for duplicates.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="path">Where.</param>
    /// <param name="items">The items.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void UniqueItems<T>(string path, IList<T> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var key = Convert.ToString(items[i], CultureInfo.InvariantCulture) ?? string.Empty;
            if (!seen.Add(key))
            {
                Add(Index(path, i), key, "duplicates an earlier item of this set", "remove the duplicate");
            }
        }
    }

    /// <summary>Checks a <c>x-kubernetes-list-type: map</c> list for duplicate keys.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="path">Where.</param>
    /// <param name="items">The items.</param>
    /// <param name="keyNames">The key fields, for the message.</param>
    /// <param name="key">Extracts an item's key.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void UniqueKeys<T>(string path, IList<T> items, string keyNames, Func<T, string?> key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                continue;
            }

            var value = key(items[i]) ?? string.Empty;
            if (!seen.Add(value))
            {
                Add(Index(path, i), value.Replace('\0', ','), $"has the same {keyNames} as an earlier item", $"give each item a distinct {keyNames}");
            }
        }
    }

    /// <summary>Exactly one of the alternatives (each a set of fields) must be present.</summary>
    /// <param name="path">Where.</param>
    /// <param name="sets">Field sets, comma-joined.</param>
    /// <param name="present">Whether each set is fully present.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void OneOf(string path, string[] sets, bool[] present) => OneOf(path, string.Join("\n", sets), present);

    /// <summary>Exactly one of the alternatives (each a set of fields) must be present; what generated code calls.</summary>
    /// <param name="path">Where.</param>
    /// <param name="alternatives">The field sets, each comma-joined, joined by line feeds.</param>
    /// <param name="present">Whether each set is fully present.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void OneOf(string path, string alternatives, ReadOnlySpan<bool> present)
    {
        var count = 0;
        foreach (var p in present)
        {
            count += p ? 1 : 0;
        }

        if (count == 1)
        {
            return;
        }

        var sets = alternatives.Split('\n');
        var flags = present.ToArray();
        OneOfFailed(path, sets, flags, count);
    }

    private void OneOfFailed(string path, string[] sets, bool[] present, int count)
    {
        var names = string.Join(", ", sets.Select(s => "'" + s + "'"));
        var found = string.Join(", ", sets.Where((_, i) => present[i]).Select(s => "'" + s + "'"));
        Add(path, count == 0 ? null : found, count == 0 ? $"needs exactly one of {names}, found none" : $"needs exactly one of {names}, found {count}", count == 0 ? "set one of them" : "keep one of them and remove the others");
    }

    /// <summary>At least one of the alternatives (each a set of fields) must be present.</summary>
    /// <param name="path">Where.</param>
    /// <param name="sets">Field sets, comma-joined.</param>
    /// <param name="present">Whether each set is fully present.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AnyOf(string path, string[] sets, bool[] present) => AnyOf(path, string.Join("\n", sets), present);

    /// <summary>At least one of the alternatives (each a set of fields) must be present; what generated code calls.</summary>
    /// <param name="path">Where.</param>
    /// <param name="alternatives">The field sets, each comma-joined, joined by line feeds.</param>
    /// <param name="present">Whether each set is fully present.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AnyOf(string path, string alternatives, ReadOnlySpan<bool> present)
    {
        if (present.IndexOf(true) < 0)
        {
            Add(path, null, "needs at least one of " + string.Join(", ", alternatives.Split('\n').Select(s => "'" + s + "'")), "set at least one of them");
        }
    }

    /// <summary>Compares "1.19" and "1.20" as versions, not as text.</summary>
    /// <param name="a">One version.</param>
    /// <param name="b">The other.</param>
    /// <returns>Negative, zero or positive.</returns>
    public static int CompareVersions(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        // Part by part over spans (no Split: version-gated fields are checked for every record validated); a part that
        // is missing or not a number counts as 0.
        ReadOnlySpan<char> x = a;
        ReadOnlySpan<char> y = b;
        while (!x.IsEmpty || !y.IsEmpty)
        {
            var p = NextPart(ref x);
            var q = NextPart(ref y);
            if (p != q)
            {
                return p.CompareTo(q);
            }
        }

        return 0;
    }

    // major.minor or major.minor.patch, decimal digits only.
    private static bool IsReleaseText(string text)
    {
        var parts = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (c == '.' && digits > 0)
            {
                parts++;
                digits = 0;
            }
            else if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        return digits > 0 && parts is 1 or 2;
    }

    private static int NextPart(ref ReadOnlySpan<char> rest)
    {
        var dot = rest.IndexOf('.');
        var part = dot < 0 ? rest : rest[..dot];
        rest = dot < 0 ? ReadOnlySpan<char>.Empty : rest[(dot + 1)..];
        return int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static string Show(string value) => value.Length <= 120 ? value : value[..117] + "...";

    private static string Range(double? min, double? max, bool exMin, bool exMax) =>
        $"use a value in {(exMin ? "(" : "[")}{min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}{(exMax ? ")" : "]")}";
}
