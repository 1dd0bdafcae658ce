using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Resources.V2;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>
/// A policy written for a newer Cilium (a protocol this SDK's schemas do not list) reads, is written back unchanged and
/// is reported by Validate() for the target release; and a value the schema marks as added in 1.20 is reported for 1.19.
/// </summary>
public sealed class UnknownEnumValuesTests
{
    private const string Policy = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: newer
          namespace: shop
        spec:
          endpointSelector: {}
          egress:
            - toPorts:
                - ports:
                    - port: "443"
                      protocol: QUIC
                    - protocol: GRE
        """;

    [Fact]
    public void A_protocol_from_a_newer_release_is_kept_and_written_back()
    {
        var policy = Manifests.Read<CiliumNetworkPolicy>(Policy);
        var written = Manifests.Write(policy);
        Assert.Contains("protocol: QUIC", written, System.StringComparison.Ordinal);
        Assert.Equal(Manifests.Write(Manifests.Read<CiliumNetworkPolicy>(written)), written);
    }

    [Fact]
    public void Validate_reports_the_unknown_value_for_the_target_release_and_the_1_20_value_for_1_19()
    {
        var policy = Manifests.Read<CiliumNetworkPolicy>(Policy);
        var for120 = policy.Validate(CiliumVersion.Parse("1.20")).Where(e => e.IsError).ToList();
        var quic = Assert.Single(for120);
        Assert.Equal("spec.egress[0].toPorts[0].ports[0].protocol", quic.Path);
        Assert.Equal("QUIC", quic.Value);
        Assert.Equal("is not an allowed value in version 1.20", quic.Message);
        Assert.StartsWith("use one of TCP, UDP", quic.Fix, System.StringComparison.Ordinal);

        var for119 = policy.Validate(CiliumVersion.Parse("1.19")).Where(e => e.IsError).Select(e => e.Path + ": " + e.Message).ToList();
        Assert.Contains("spec.egress[0].toPorts[0].ports[0].protocol: is not an allowed value in version 1.19", for119);
        Assert.Contains(for119, e => e.StartsWith("spec.egress[0].toPorts[0].ports[1].protocol: is not available in version 1.19", System.StringComparison.Ordinal));
    }
}
