using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Models;
using Flux = Cilium.Sdk.Flux;
using R = Cilium.Sdk.Resources;

namespace Cilium.Sdk.Serialization;

/// <summary>One kind a <see cref="ManifestKinds"/> registry can read: its <c>apiVersion</c>, <c>kind</c> and record type.</summary>
public sealed class ManifestKind
{
    private readonly Func<object, IEnumerable<object>>? items;

    internal ManifestKind(string group, string version, string kind, Type type, JsonSerializerOptions options, Func<object, IEnumerable<object>>? items)
    {
        Group = group;
        Version = version;
        Kind = kind;
        Type = type;
        Options = options;
        this.items = items;
    }

    /// <summary>The API group (<c>cilium.io</c>); empty for the core group.</summary>
    public string Group { get; }

    /// <summary>The version without the group (<c>v2</c>).</summary>
    public string Version { get; }

    /// <summary>The kind (<c>CiliumNetworkPolicy</c>, or a list kind such as <c>CiliumNetworkPolicyList</c>).</summary>
    public string Kind { get; }

    /// <summary>The <c>apiVersion</c> field's value (<c>cilium.io/v2</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The record type documents of this kind are read into.</summary>
    public Type Type { get; }

    /// <summary>Whether this is a list kind (its items are validated one by one).</summary>
    public bool IsList => items is not null;

    /// <summary>The serializer options that read <see cref="Type"/>.</summary>
    internal JsonSerializerOptions Options { get; }

    /// <summary>The items of a record of this list kind.</summary>
    internal IEnumerable<object> ItemsOf(object list) => items is null ? [] : items(list);

    /// <inheritdoc />
    public override string ToString() => ApiVersion + " " + Kind;
}

/// <summary>
/// Which record type reads which <c>apiVersion</c> and <c>kind</c>: what <see cref="Manifests.ReadAny(string, ManifestKinds?)"/>,
/// <see cref="Manifests.ReadAll"/> and <c>cilium-sdk lint</c> use to type a document. Immutable: every <c>With</c>
/// returns a new registry.
/// </summary>
/// <remarks>
/// <see cref="Default"/> holds every Cilium and Flux kind the SDK generates (and their list kinds). Add the kinds your
/// own generated CRDs define with <see cref="With{T}"/> and <see cref="WithList{TList, TItem}"/>, using the
/// serializer options of the context generated for them; a later registration of the same apiVersion and kind
/// replaces the earlier one (your own, newer CiliumNetworkPolicy type, for example). No reflection beyond reading a
/// type's <c>[KubernetesEntity]</c> attribute: trimming- and AOT-safe.
/// </remarks>
/// <example>
/// <code>
/// var kinds = ManifestKinds.Default
///     .With&lt;Widget&gt;(WidgetsJsonContext.Default.Options)
///     .WithList&lt;WidgetList, Widget&gt;(WidgetsJsonContext.Default.Options);
/// var documents = Manifests.ReadAll(yaml, "widgets.yaml", kinds);
/// </code>
/// </example>
public sealed class ManifestKinds : IReadOnlyCollection<ManifestKind>
{
    private static readonly Lazy<ManifestKinds> SdkKinds = new(BuildDefault);

    private readonly Dictionary<(string ApiVersion, string Kind), ManifestKind> table;

    private ManifestKinds(Dictionary<(string ApiVersion, string Kind), ManifestKind> table) => this.table = table;

    /// <summary>The Cilium and Flux kinds the SDK generates, and their list kinds.</summary>
    public static ManifestKinds Default => SdkKinds.Value;

    /// <summary>No kinds.</summary>
    public static ManifestKinds Empty { get; } = new(new Dictionary<(string, string), ManifestKind>());

    /// <inheritdoc />
    public int Count => table.Count;

    /// <summary>Adds a root kind: its apiVersion and kind come from <typeparamref name="T"/>'s <c>[KubernetesEntity]</c>
    /// attribute (every generated root record has one).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="options">Options that read <typeparamref name="T"/>, e.g. <c>MyJsonContext.Default.Options</c>.</param>
    /// <returns>A new registry.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no <c>[KubernetesEntity]</c>, or the options do
    /// not resolve it.</exception>
    public ManifestKinds With<T>(JsonSerializerOptions options)
        where T : class, IKubernetesObject => With(Entry(typeof(T), options, null));

    /// <summary>Adds a list kind (<c>WidgetList</c>) whose items are <typeparamref name="TItem"/>.</summary>
    /// <typeparam name="TList">The list record type.</typeparam>
    /// <typeparam name="TItem">The item type.</typeparam>
    /// <param name="options">Options that read <typeparamref name="TList"/>.</param>
    /// <returns>A new registry.</returns>
    /// <exception cref="ArgumentException">As <see cref="With{T}"/>.</exception>
    public ManifestKinds WithList<TList, TItem>(JsonSerializerOptions options)
        where TList : class, IKubernetesObject, IItems<TItem>
        where TItem : class => With(Entry(typeof(TList), options, list => ((TList)list).Items ?? []));

    /// <summary>Adds every kind of <paramref name="other"/> (its entries replace this registry's for the same apiVersion and kind).</summary>
    /// <param name="other">Another registry.</param>
    /// <returns>A new registry.</returns>
    public ManifestKinds With(ManifestKinds other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var copy = new Dictionary<(string, string), ManifestKind>(table);
        foreach (var (key, entry) in other.table)
        {
            copy[key] = entry;
        }

        return new ManifestKinds(copy);
    }

    /// <summary>Finds the kind for an apiVersion and kind.</summary>
    /// <param name="apiVersion">E.g. <c>cilium.io/v2</c>.</param>
    /// <param name="kind">E.g. <c>CiliumNetworkPolicy</c>.</param>
    /// <param name="entry">The kind, when registered.</param>
    /// <returns>Whether it is registered.</returns>
    public bool TryGet(string apiVersion, string kind, [NotNullWhen(true)] out ManifestKind? entry) =>
        table.TryGetValue((apiVersion, kind), out entry);

    /// <summary>The apiVersions a kind is registered for, sorted (for messages such as "exists as cilium.io/v2").</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The apiVersions.</returns>
    public IReadOnlyList<string> ApiVersionsOf(string kind) =>
        table.Keys.Where(k => k.Kind == kind).Select(k => k.ApiVersion).Order(StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    public IEnumerator<ManifestKind> GetEnumerator() =>
        table.Values.OrderBy(k => k.ApiVersion, StringComparer.Ordinal).ThenBy(k => k.Kind, StringComparer.Ordinal).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ManifestKinds With(ManifestKind entry)
    {
        var copy = new Dictionary<(string, string), ManifestKind>(table) { [(entry.ApiVersion, entry.Kind)] = entry };
        return new ManifestKinds(copy);
    }

    private static ManifestKind Entry(Type type, JsonSerializerOptions options, Func<object, IEnumerable<object>>? items)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{type.FullName} has no [KubernetesEntity] attribute naming its group, version and kind; register a generated root record", nameof(type));
        try
        {
            options.GetTypeInfo(type);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"the options do not resolve {type.FullName}; pass the options of the context generated for it (e.g. MyJsonContext.Default.Options)", nameof(options), e);
        }

        return new ManifestKind(entity.Group ?? string.Empty, entity.ApiVersion, entity.Kind, type, options, items);
    }

    private static ManifestKinds BuildDefault()
    {
        // Written out rather than discovered by reflection over the assembly (trimming- and AOT-safe); a test holds
        // this list to every generated root and list record of the SDK, so a new schema cannot be missed.
        var o = Manifests.SerializerOptions;
        return Empty
            .With<R.V2.CiliumNetworkPolicy>(o).WithList<R.V2.CiliumNetworkPolicyList, R.V2.CiliumNetworkPolicy>(o)
            .With<R.V2.CiliumClusterwideNetworkPolicy>(o).WithList<R.V2.CiliumClusterwideNetworkPolicyList, R.V2.CiliumClusterwideNetworkPolicy>(o)
            .With<R.V2.CiliumLoadBalancerIPPool>(o).WithList<R.V2.CiliumLoadBalancerIPPoolList, R.V2.CiliumLoadBalancerIPPool>(o)
            .With<R.V2alpha1.CiliumLoadBalancerIPPool>(o).WithList<R.V2alpha1.CiliumLoadBalancerIPPoolList, R.V2alpha1.CiliumLoadBalancerIPPool>(o)
            .With<R.V2alpha1.CiliumL2AnnouncementPolicy>(o).WithList<R.V2alpha1.CiliumL2AnnouncementPolicyList, R.V2alpha1.CiliumL2AnnouncementPolicy>(o)
            .With<R.V2.CiliumBGPClusterConfig>(o).WithList<R.V2.CiliumBGPClusterConfigList, R.V2.CiliumBGPClusterConfig>(o)
            .With<R.V2alpha1.CiliumBGPClusterConfig>(o).WithList<R.V2alpha1.CiliumBGPClusterConfigList, R.V2alpha1.CiliumBGPClusterConfig>(o)
            .With<R.V2.CiliumBGPPeerConfig>(o).WithList<R.V2.CiliumBGPPeerConfigList, R.V2.CiliumBGPPeerConfig>(o)
            .With<R.V2alpha1.CiliumBGPPeerConfig>(o).WithList<R.V2alpha1.CiliumBGPPeerConfigList, R.V2alpha1.CiliumBGPPeerConfig>(o)
            .With<R.V2.CiliumBGPAdvertisement>(o).WithList<R.V2.CiliumBGPAdvertisementList, R.V2.CiliumBGPAdvertisement>(o)
            .With<R.V2alpha1.CiliumBGPAdvertisement>(o).WithList<R.V2alpha1.CiliumBGPAdvertisementList, R.V2alpha1.CiliumBGPAdvertisement>(o)
            .With<R.V2.CiliumBGPNodeConfigOverride>(o).WithList<R.V2.CiliumBGPNodeConfigOverrideList, R.V2.CiliumBGPNodeConfigOverride>(o)
            .With<R.V2alpha1.CiliumBGPNodeConfigOverride>(o).WithList<R.V2alpha1.CiliumBGPNodeConfigOverrideList, R.V2alpha1.CiliumBGPNodeConfigOverride>(o)
            .With<R.V2.CiliumCIDRGroup>(o).WithList<R.V2.CiliumCIDRGroupList, R.V2.CiliumCIDRGroup>(o)
            .With<R.V2alpha1.CiliumCIDRGroup>(o).WithList<R.V2alpha1.CiliumCIDRGroupList, R.V2alpha1.CiliumCIDRGroup>(o)
            .With<Flux.V2.HelmRelease>(o).WithList<Flux.V2.HelmReleaseList, Flux.V2.HelmRelease>(o)
            .With<Flux.V1.Kustomization>(o).WithList<Flux.V1.KustomizationList, Flux.V1.Kustomization>(o)
            .With<Flux.V1.OCIRepository>(o).WithList<Flux.V1.OCIRepositoryList, Flux.V1.OCIRepository>(o);
    }
}
