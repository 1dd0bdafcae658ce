using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Cluster;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation;

/// <summary>
/// The one validation entry point with a typed release: <c>record.Validate(CiliumVersion.V1_20)</c> on any generated
/// record (the SDK's, or your own CRDs'), <see cref="Serialization.ManifestDocument.Validate(CiliumVersion)"/> on a document and
/// <see cref="ManifestSet.Validate(CiliumVersion)"/> on a set of them; each returns the same <see cref="ValidationError"/>s with path,
/// value, message, fix, layer and severity.
/// </summary>
/// <remarks>
/// A <see cref="CiliumVersion"/> can only be a release the SDK has schemas for (<see cref="CiliumVersion.Supported"/>):
/// "v1.20", "1.21" and "banana" fail in <see cref="CiliumVersion.Parse"/>, never silently validate for another release.
/// The generated <c>Validate(string)</c> takes the same text and refuses what is not a release number.
/// </remarks>
public static class CiliumValidation
{
    /// <summary>Every schema, CEL and agent-layer violation of <paramref name="record"/> for <paramref name="version"/>.</summary>
    /// <param name="record">A generated record (e.g. <c>Cilium.Sdk.Resources.V2.CiliumNetworkPolicy</c>).</param>
    /// <param name="version">The Cilium release to validate for: fields and values the release lacks are errors.</param>
    /// <returns>Every violation, each with a path, the value and a fix; empty when valid.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not a supported release (e.g. <c>default</c>).</exception>
    public static IReadOnlyList<ValidationError> Validate(this IValidatable record, CiliumVersion version)
    {
        ArgumentNullException.ThrowIfNull(record);
        Require(version);
        var context = new ValidationContext(version.ToString());
        context.Validate(record, string.Empty);
        return context.Errors;
    }

    /// <summary>Refuses a version that is not one of <see cref="CiliumVersion.Supported"/> (<c>default(CiliumVersion)</c> is 0.0).</summary>
    internal static void Require(CiliumVersion version)
    {
        if (!CiliumVersion.Supported.Contains(version))
        {
            throw new ArgumentException($"Cilium version {version} is not supported; use one of {string.Join(", ", CiliumVersion.Supported)}", nameof(version));
        }
    }
}
