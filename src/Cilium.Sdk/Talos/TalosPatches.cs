using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Talos;

/// <summary>
/// The Talos machine-config patch Cilium needs: no built-in CNI (Cilium is installed by Flux), no kube-proxy when
/// Cilium replaces it, and KubePrism on when Cilium reaches the API through it.
/// </summary>
public static class TalosPatches
{
    /// <summary>Where the patch is written, relative to the output root (applied to every node).</summary>
    public const string CiliumPatchPath = "talos/patches/global/cilium.yaml";

    /// <summary>The patch as YAML.</summary>
    public static string Cilium(ClusterSpec spec)
    {
        var cluster = new JsonObject
        {
            ["network"] = new JsonObject { ["cni"] = new JsonObject { ["name"] = "none" } },
        };
        if (spec.KubeProxyReplacement.Enabled)
        {
            cluster["proxy"] = new JsonObject { ["disabled"] = true };
        }

        var patch = new JsonObject { ["cluster"] = cluster };
        if (spec.KubeProxyReplacement.UsesKubePrism)
        {
            patch["machine"] = new JsonObject
            {
                ["features"] = new JsonObject
                {
                    ["kubePrism"] = new JsonObject { ["enabled"] = true, ["port"] = Routing.KubeProxyReplacement.KubePrismPort },
                },
            };
        }

        return "# Talos patch written by Cilium.Sdk: Cilium is the CNI (installed by Flux), and replaces kube-proxy.\n" + Manifests.ToYaml(patch);
    }
}
