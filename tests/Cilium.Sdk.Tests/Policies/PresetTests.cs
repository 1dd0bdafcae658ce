using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Policies;

public sealed class PresetTests
{
    public static TheoryData<string, string> EveryPresetAndVersion()
    {
        var data = new TheoryData<string, string>();
        foreach (var policy in Presets.All().Policies)
        {
            foreach (var version in CiliumVersion.Supported)
            {
                data.Add(policy.Key, version.ToString());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPresetAndVersion))]
    public void Every_preset_renders_and_passes_generated_validation(string key, string version)
    {
        var policy = Presets.All().Policies.Single(p => p.Key == key);
        foreach (var mode in new[] { PolicyMode.Audit, PolicyMode.Enforce })
        {
            var result = policy.Build(CiliumVersion.Parse(version), mode);
            Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));

            // The generated validation on the record read back from YAML agrees (nothing lost on the way out).
            var yaml = Manifests.Write(result.Resource);
            var errors = result.NetworkPolicy is not null
                ? Manifests.Read<Cilium.Sdk.Resources.V2.CiliumNetworkPolicy>(yaml).Validate(version)
                : Manifests.Read<Cilium.Sdk.Resources.V2.CiliumClusterwideNetworkPolicy>(yaml).Validate(version);
            Assert.Empty(errors);
        }
    }

    [Fact]
    public void Every_catalogue_component_with_a_listening_role_has_a_preset_or_is_covered_by_its_clients()
    {
        var withoutPreset = Components.All.Where(c => Presets.Of(c).Count == 0).Select(c => c.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["clickhouse", "keycloak-postgres", "langfuse-postgresql", "litellm-postgresql"], withoutPreset);
    }

    [Fact]
    public void The_whole_catalogue_validates_without_errors_or_warnings()
    {
        foreach (var version in CiliumVersion.Supported)
        {
            Assert.Empty(Presets.All().Validate(version, PolicyMode.Enforce));
        }
    }

    [Theory]
    [InlineData(PolicyMode.Audit, "presets.audit")]
    [InlineData(PolicyMode.Enforce, "presets.enforce")]
    public void Rendered_presets_match_the_snapshot(PolicyMode mode, string snapshot)
    {
        PolicyTestData.MatchSnapshot(snapshot, RenderAll(mode));
    }

    [Fact]
    public void For_enables_only_the_named_components_plus_cluster_dns()
    {
        var keys = Presets.For(Components.CoreDns, Components.Prometheus).Policies.Select(p => p.Key);
        Assert.Equal(["allow-dns", "kube-system/coredns", "monitoring/prometheus"], keys);
    }

    /// <summary>Every preset rendered in one text (compared across processes and cultures in CrossProcessRenderTests).</summary>
    internal static string RenderAll(PolicyMode mode)
    {
        var text = new StringBuilder();
        foreach (var doc in Presets.All().Render(CiliumVersion.V1_20, mode))
        {
            text.Append("# ").Append(doc.RelativePath).Append('\n').Append(doc.ToYaml()).Append("---\n");
        }

        return text.ToString();
    }
}
