using Cilium.Sdk.Cluster;

namespace Cilium.Sdk.Helm;

/// <summary>Where Flux pulls the Cilium chart from: an OCI repository URL and tag.</summary>
/// <param name="Url">The OCI URL, e.g. <c>oci://quay.io/cilium/charts/cilium</c>.</param>
/// <param name="Tag">The chart version tag.</param>
public sealed record ChartSource(string Url, string Tag)
{
    /// <summary>Cilium's official OCI chart repository.</summary>
    public const string OfficialUrl = "oci://quay.io/cilium/charts/cilium";

    /// <summary>The official chart for a Cilium version (its <c>.0</c> release unless <paramref name="patch"/> says otherwise).</summary>
    public static ChartSource Official(CiliumVersion version, int patch = 0) =>
        new(OfficialUrl, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{version}.{patch}"));
}
