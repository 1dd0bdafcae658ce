namespace Cilium.Sdk.Rendering;

/// <summary>
/// Where the GitOps files go, following the Talos/Flux template's layout so a migrated repository keeps its shape.
/// Every file the SDK writes is reachable from <see cref="EntryPoint"/>: the root Flux Kustomization points at
/// <see cref="AppsRoot"/>, whose <c>kustomization.yaml</c> lists the namespaces, each listing its apps' <c>ks.yaml</c>.
/// </summary>
public sealed record GitOpsLayout
{
    /// <summary>The root Flux Kustomization (applied by the Flux instance).</summary>
    public string EntryPoint { get; init; } = "kubernetes/flux/cluster/ks.yaml";

    /// <summary>The folder with one sub-folder per namespace.</summary>
    public string AppsRoot { get; init; } = "kubernetes/apps";

    /// <summary>Write the entry point and the apps/namespace <c>kustomization.yaml</c> files that link the tree.
    /// Turn off when an existing repository owns them; then list <c>kube-system/cilium/ks.yaml</c> there yourself.</summary>
    public bool WriteEntryPoints { get; init; } = true;

    /// <summary>The Flux GitRepository every Kustomization reads from.</summary>
    public string GitRepositoryName { get; init; } = "flux-system";

    /// <summary>The namespace of Flux and its GitRepository.</summary>
    public string FluxNamespace { get; init; } = "flux-system";

    /// <summary>The template's layout.</summary>
    public static GitOpsLayout Default { get; } = new();

    /// <summary>The folder of an app: <c>{AppsRoot}/{namespace}/{app}</c>.</summary>
    public string AppFolder(string @namespace, string app) => $"{AppsRoot}/{@namespace}/{app}";
}
