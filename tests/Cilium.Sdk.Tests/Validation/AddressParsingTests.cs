using System.Net;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Tests.Migration;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>
/// Issue 17, defect 2: every place the SDK reads an address, CIDR or range reads it as Go's net/netip does (so as the
/// Cilium agent and operator and the Kubernetes CEL library do): decimal only, no leading zeros, no octal or hex, no
/// shorthand. <see cref="IPAddress.TryParse(string, out IPAddress)"/> reads "192.168.001.010" as 192.168.1.8 and
/// "0x0a.0.0.1" as 10.0.0.1; these forms must be refused everywhere, with a fix that names the decimal form.
/// </summary>
public sealed class AddressParsingTests
{
    // The forms Go refuses and inet_aton-style parsers accept (each with a different meaning).
    public static TheoryData<string> NonDecimalIPv4 => new()
    {
        "192.168.001.010", // octal 1 and 8 for IPAddress.TryParse
        "010.0.0.1",
        "0x0a.0.0.1", // hex
        "0300.0250.0214.0377",
        "192.168.00.1",
    };

    [Theory]
    [MemberData(nameof(NonDecimalIPv4))]
    public void The_builders_address_parser_refuses_non_decimal_forms(string text)
    {
        Assert.False(Ipv4.TryParseAddress(text, out var parsed, out _), $"read as {parsed}");
        Assert.False(Ipv4.TryParseCidr(text + "/32", out var network, out _), $"read as {network}");
    }

    [Fact]
    public void A_leading_zero_gets_a_fix_with_the_decimal_address()
    {
        Assert.False(Ipv4.TryParseAddress("192.168.001.010", out _, out var fix));
        Assert.Contains("192.168.1.10", fix, StringComparison.Ordinal);
        Assert.False(Ipv4.TryParseCidr("010.042.0.0/16", out _, out fix));
        Assert.Contains("10.42.0.0/16", fix, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NonDecimalIPv4))]
    public void The_schema_formats_refuse_non_decimal_forms(string text)
    {
        Assert.False(Formats.IsValid("ipv4", text, out var fix));
        Assert.False(string.IsNullOrEmpty(fix));
        Assert.False(Formats.IsValid("ip", text, out _));
        Assert.False(Formats.IsValid("cidr", text + "/32", out _));
        Assert.False(Formats.IsValid("ipv6", "::ffff:" + text, out _));
    }

    [Theory]
    [MemberData(nameof(NonDecimalIPv4))]
    public void The_CEL_functions_refuse_non_decimal_forms(string text)
    {
        Assert.False(CelFunctions.IsIP(text));
        Assert.Equal(0, CelFunctions.IPFamily(text));
        Assert.False(CelFunctions.IsCidr(text + "/32"));
        Assert.False(CelFunctions.ContainsIP("0.0.0.0/0", text));
    }

    [Theory]
    [InlineData("10.0.0.0/08")] // a leading zero in the length
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fe80::1%eth0/64")] // zones are refused in prefixes
    public void Prefix_lengths_are_read_as_Go_reads_them(string text)
    {
        Assert.False(CelFunctions.IsCidr(text));
        Assert.False(Formats.IsValid("cidr", text, out _));
        Assert.False(Ipv4.TryParseCidr(text, out _, out _));
    }

    [Fact]
    public void Kubernetes_CEL_refuses_IPv4_mapped_IPv6_and_zones()
    {
        Assert.True(CelFunctions.IsIP("10.0.0.1"));
        Assert.True(CelFunctions.IsIP("fd00::1"));
        Assert.False(CelFunctions.IsIP("::ffff:10.0.0.1"));
        Assert.False(CelFunctions.IsIP("fe80::1%eth0"));
        Assert.False(CelFunctions.IsCidr("::ffff:10.0.0.0/104"));
        Assert.True(CelFunctions.IsCidr("10.0.0.1/8")); // cidr() keeps host bits, as netip.ParsePrefix does
        Assert.True(CelFunctions.ContainsIP("10.0.0.1/8", "10.200.0.1"));
    }

    [Fact]
    public void The_cluster_builder_reports_a_leading_zero_at_its_field_with_the_decimal_fix()
    {
        var problems = CiliumCluster.Create("home").WithNodeCidr("192.168.1.0/24")
            .WithNode(ClusterNode.Controller("k8s-0", "192.168.001.010"))
            .Validate();

        var problem = Assert.Single(problems, p => p.Path == "nodes[0].address");
        Assert.True(problem.IsError);
        Assert.Equal("192.168.001.010", problem.Value);
        Assert.Contains("192.168.1.10", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_importer_refuses_a_hex_router_address()
    {
        var yaml = TemplateImportTests.WithExtra("cilium_bgp_router_addr: \"0xc0.168.1.1\"\ncilium_bgp_router_asn: \"64513\"\ncilium_bgp_node_asn: \"64514\"");

        var import = TemplateImporter.Import(yaml, TemplateImportTests.Nodes);

        var problem = Assert.Single(import.Problems, p => p.Path == "cilium_bgp_router_addr");
        Assert.True(problem.IsError);
        Assert.Contains("decimal", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_importer_refuses_a_node_address_with_leading_zeros()
    {
        var nodes = TemplateImportTests.Nodes.Replace("192.168.1.10", "192.168.1.010", StringComparison.Ordinal);

        var import = TemplateImporter.Import(TemplateImportTests.Base, nodes);

        var problems = import.Cluster is null ? import.Problems : [.. import.Problems, .. import.Cluster.Validate()];
        var problem = Assert.Single(problems, p => p.Path == "nodes[0].address" && p.IsError);
        Assert.Contains("192.168.1.10", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_CIDR_peer_refuses_leading_zeros()
    {
        var error = Assert.Throws<ArgumentException>(() => Peer.Cidr("010.0.0.0/8"));
        Assert.Contains("10.0.0.0/8", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Peer.Cidr("10.0.0.0/8", "010.1.0.0/16"));
        Assert.NotNull(Peer.Cidr("10.0.0.0/8", "10.1.0.0/16"));
    }
}
