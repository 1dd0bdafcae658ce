using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cilium.Sdk.Output;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Talos;

/// <summary>What the Cilium Helm values need from every Talos machine config.</summary>
/// <param name="KubeProxyReplacement">Cilium replaces kube-proxy (<c>kubeProxyReplacement: true</c>): Talos must not
/// deploy kube-proxy; false: Talos must deploy it.</param>
/// <param name="KubePrismPort">The port Cilium reaches the API on when <c>k8sServiceHost</c> is the node itself
/// (KubePrism); null when Cilium talks to another endpoint.</param>
internal sealed record TalosNeeds(bool KubeProxyReplacement, int? KubePrismPort)
{
    /// <summary>Reads the needs from the Cilium chart values the render writes.</summary>
    public static TalosNeeds FromHelmValues(JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(values);
        bool kpr = values["kubeProxyReplacement"] is JsonValue v
            && ((v.TryGetValue(out bool b) && b) || (v.TryGetValue(out string? s) && s is "true" or "strict"));
        string? host = values["k8sServiceHost"] is JsonValue h && h.TryGetValue(out string? hs) ? hs : null;
        int? port = values["k8sServicePort"] switch
        {
            JsonValue p when p.TryGetValue(out int i) => i,
            JsonValue p when p.TryGetValue(out string? ps) && int.TryParse(ps, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) => parsed,
            _ => null,
        };

        // KubePrism listens on localhost of every node; Cilium pointed at the node itself is pointed at KubePrism.
        bool local = host is "127.0.0.1" or "localhost" or "::1";
        return new TalosNeeds(kpr, local ? port : null);
    }
}

/// <summary>How much a finding stops: an error fails <c>render</c>/<c>check</c>, a warning is shown.</summary>
internal enum TalosFindingSeverity
{
    /// <summary>A setting Cilium needs is missing or wrong.</summary>
    Error,

    /// <summary>Something could not be checked (a listed patch file is missing, a patch cannot be read).</summary>
    Warning,
}

/// <summary>One problem of a talconfig.yaml and the patches it applies, at a file and line.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Line">The 1-based line, or null when the problem is the file as a whole.</param>
/// <param name="Message">What is wrong: the setting, its value, the nodes.</param>
/// <param name="Fix">What to do, naming the file, the line to add, or <c>--adopt</c>.</param>
internal sealed record TalosFinding(TalosFindingSeverity Severity, string File, int? Line, string Message, string Fix)
{
    /// <summary><c>file:line</c>, or the file alone.</summary>
    public string Location => Line is { } line ? File + ":" + line.ToString(CultureInfo.InvariantCulture) : File;

    /// <inheritdoc/>
    public override string ToString() => $"{Location}: {Message}. Fix: {Fix}";
}

/// <summary>The outcome of <see cref="TalconfigCheck.Check"/>.</summary>
/// <param name="Talconfig">The talconfig.yaml checked (relative to the repository root), or null when there is none.</param>
/// <param name="SdkPatchListed">Whether talconfig.yaml's <c>patches:</c> already lists the SDK's patch.</param>
/// <param name="Findings">Errors first, then warnings; each group in file and line order.</param>
internal sealed record TalconfigReport(string? Talconfig, bool SdkPatchListed, IReadOnlyList<TalosFinding> Findings)
{
    /// <summary>The errors.</summary>
    public IEnumerable<TalosFinding> Errors => Findings.Where(f => f.Severity == TalosFindingSeverity.Error);

    /// <summary>The warnings.</summary>
    public IEnumerable<TalosFinding> Warnings => Findings.Where(f => f.Severity == TalosFindingSeverity.Warning);
}

/// <summary>
/// Checks a talhelper <c>talconfig.yaml</c> and the patches it applies for what Cilium needs from Talos: no built-in
/// CNI, kube-proxy off exactly when Cilium replaces it, and KubePrism on the port the Helm values point Cilium at.
/// Pure: files are read through a callback, so a render's own files (the SDK's patch before it is written) can be
/// laid over the repository.
/// </summary>
/// <remarks>
/// <para>How talhelper builds one node's machine config (budimanjojo/talhelper, pkg/generate/config.go and
/// pkg/config/nodeconfigs.go): Talos generates the config for the node's role and version, talhelper sets the CNI
/// from <c>cniConfig</c>, then applies the node's patches (its group's <c>controlPlane.patches</c> or
/// <c>worker.patches</c> followed by the node's own <c>patches</c>; only the node's when it sets
/// <c>overridePatches</c>), and the global <c>patches</c> last. So an entry appended to the global list decides over
/// every other patch. Each entry is a string: <c>@file</c> (relative to the folder talhelper runs in, the one holding
/// talconfig.yaml in the template's layout), or the patch itself; a patch whose YAML is a list is an RFC 6902 JSON
/// patch, anything else a strategic merge patch (Talos configpatcher.LoadPatch).</para>
/// <para>Talos's defaults, when nothing sets a value: the CNI is flannel; kube-proxy is deployed; KubePrism is
/// written into generated configs, enabled on port 7445, from Talos 1.6 on (VersionContract.KubePrismEnabled, and
/// Talos's KubePrism guide), and is off for older versions. A strategic merge only overrides what the patch sets:
/// <c>enabled: false</c> counts (a pointer in Talos's config types), an empty name or a port of 0 does not;
/// <c>$patch: delete</c> removes a section (talhelper patch files escape it as <c>$$patch</c>).</para>
/// <para>Which nodes matter: Talos's control-plane nodes deploy the bootstrap manifests (the CNI and kube-proxy), so
/// the CNI and kube-proxy settings are checked on control-plane nodes; every node runs a Cilium agent that reaches
/// the API through its own KubePrism, so KubePrism is checked on every node.</para>
/// </remarks>
internal static class TalconfigCheck
{
    /// <summary>Where the template keeps talconfig.yaml, relative to the repository root.</summary>
    public const string DefaultPath = "talos/talconfig.yaml";

    /// <summary>The global <c>patches:</c> entry that applies the SDK's patch (relative to talconfig.yaml's folder).</summary>
    public static readonly string SdkPatchEntry = "@./" + TalosPatches.CiliumPatchPath["talos/".Length..];

    private const int MaxFindings = 200;

    private const string CniConfigOrigin = "set by cniConfig.name here";

    private static readonly Regex EnvReference = new(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Setting[] Settings = [Setting.CniName, Setting.ProxyDisabled, Setting.KubePrismEnabled, Setting.KubePrismPort];

    /// <summary>
    /// Checks the talconfig.yaml at <paramref name="talconfigPath"/>; a repository without one gets an empty report.
    /// </summary>
    /// <param name="talconfigPath">talconfig.yaml relative to the repository root (<see cref="DefaultPath"/>).</param>
    /// <param name="read">Reads a file relative to the repository root ('/'-separated); null when it is absent.</param>
    /// <param name="needs">What the Cilium settings need.</param>
    /// <param name="withSdkPatch">Check the config as it is once the SDK's entry is in <c>patches:</c> (adoption
    /// adds it); false: as it is now.</param>
    /// <returns>The findings: nothing when every node gets what Cilium needs.</returns>
    public static TalconfigReport Check(string talconfigPath, Func<string, string?> read, TalosNeeds needs, bool withSdkPatch)
    {
        ArgumentNullException.ThrowIfNull(talconfigPath);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(needs);
        if (read(talconfigPath) is not { } text)
        {
            return new TalconfigReport(null, false, []);
        }

        var warnings = new Warnings();
        Talconfig? config = Talconfig.Parse(talconfigPath, text, read, warnings);
        if (config is null)
        {
            return new TalconfigReport(talconfigPath, false, warnings.Sorted());
        }

        var sources = new PatchSources(config, read, warnings);
        bool listed = config.Global.Entries.Any(e => config.ResolvesToSdkPatch(e));
        var asIs = Evaluate(config, sources, needs, appendSdk: withSdkPatch && !listed);
        var withSdk = withSdkPatch || listed ? asIs : Evaluate(config, sources, needs, appendSdk: true);
        var findings = Findings(config, needs, asIs, withSdk, listed || withSdkPatch).Take(MaxFindings).ToList();
        if (findings.Count == 0 && !listed && !withSdkPatch)
        {
            // Nothing is missing today, but only through the repository's own patches: say that the SDK's is not applied.
            warnings.Add(
                talconfigPath,
                config.PatchesLine ?? 0,
                $"patches: does not list \"{SdkPatchEntry}\", the Talos patch Cilium.Sdk writes (the repository's own settings give Cilium what it needs today)",
                $"add \"{SdkPatchEntry}\" as the last entry of patches:, or write with WriteOptions.Adopt, which adds it");
        }

        return new TalconfigReport(talconfigPath, listed, [.. findings, .. warnings.Sorted()]);
    }

    // One node's failures: the setting, its effective value and where that value came from.
    private sealed record Failure(Node Node, Setting Setting, Leaf Value);

    private static List<Failure> Evaluate(Talconfig config, PatchSources sources, TalosNeeds needs, bool appendSdk)
    {
        var failures = new List<Failure>();
        foreach (Node node in config.EffectiveNodes())
        {
            var state = Base(config);
            var patches = node.Patches.Concat(config.Global.Entries);
            if (appendSdk)
            {
                patches = patches.Append(PatchEntry.Sdk(config));
            }

            foreach (PatchEntry entry in patches)
            {
                foreach (Patch patch in sources.Load(entry))
                {
                    patch.ApplyTo(state);
                }
            }

            foreach (Setting setting in Settings)
            {
                if (!setting.Applies(node.ControlPlane) || Wanted(setting, needs) is not { } wanted)
                {
                    continue;
                }

                // One mistake, one finding: a port is only wrong when KubePrism is on at all.
                if (setting == Setting.KubePrismPort && !IsTrue(state[Setting.KubePrismEnabled].Value))
                {
                    continue;
                }

                if (!string.Equals(Effective(setting, state[setting].Value), wanted, StringComparison.Ordinal))
                {
                    failures.Add(new Failure(node, setting, state[setting]));
                }
            }
        }

        return failures;
    }

    // What Talos makes of a node before any patch.
    private static Dictionary<Setting, Leaf> Base(Talconfig config)
    {
        // Both roles get the same generated values for these settings.
        var state = new Dictionary<Setting, Leaf>
        {
            [Setting.CniName] = config.CniName is { } cni
                ? new Leaf(cni.Value, new Origin(config.Path, cni.Line, CniConfigOrigin))
                : new Leaf(null, new Origin(null, null, "no cniConfig and no patch sets it: Talos deploys flannel by default")),
            [Setting.ProxyDisabled] = new Leaf(null, new Origin(null, null, "no patch sets it: Talos deploys kube-proxy by default")),
        };
        if (config.KubePrismByDefault)
        {
            var origin = new Origin(null, null, $"no patch changes it: Talos {config.TalosVersionText} turns KubePrism on at port {Routing.KubeProxyReplacement.KubePrismPort} by default");
            state[Setting.KubePrismEnabled] = new Leaf("true", origin);
            state[Setting.KubePrismPort] = new Leaf(Routing.KubeProxyReplacement.KubePrismPort.ToString(CultureInfo.InvariantCulture), origin);
        }
        else
        {
            var origin = new Origin(null, null, $"no patch turns it on: Talos {config.TalosVersionText} leaves KubePrism off by default (on from 1.6)");
            state[Setting.KubePrismEnabled] = new Leaf(null, origin);
            state[Setting.KubePrismPort] = new Leaf(null, origin);
        }

        return state;
    }

    private static string? Wanted(Setting setting, TalosNeeds needs) => setting.Order switch
    {
        0 => "none",
        1 => needs.KubeProxyReplacement ? "true" : "false",
        2 => needs.KubePrismPort is null ? null : "true",
        _ => needs.KubePrismPort?.ToString(CultureInfo.InvariantCulture),
    };

    // The value Talos acts on, absent values read as Talos reads them.
    private static string Effective(Setting setting, string? value)
    {
        if (setting == Setting.CniName)
        {
            return value ?? "flannel";
        }

        if (setting == Setting.KubePrismPort)
        {
            return value ?? "(not set)";
        }

        return IsTrue(value) ? "true" : "false";
    }

    private static bool IsTrue(string? value) => value is not null && Bool(value) == true;

    private static bool? Bool(string value) => value switch
    {
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
        _ => null,
    };

    private static IEnumerable<TalosFinding> Findings(Talconfig config, TalosNeeds needs, List<Failure> asIs, List<Failure> withSdk, bool sdkApplied)
    {
        var fixedBySdk = withSdk.Select(f => (f.Node.Name, f.Setting)).ToHashSet();
        var groups = asIs
            .GroupBy(f => (f.Setting, f.Value.Value, f.Value.Origin, Fixed: !sdkApplied && !fixedBySdk.Contains((f.Node.Name, f.Setting))))
            .Select(g => (g.Key, Nodes: g.Select(f => f.Node).ToList()))
            .OrderBy(g => g.Key.Origin.File ?? config.Path, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Origin.Line ?? config.PatchesLine ?? 0)
            .ThenBy(g => g.Key.Setting.Order);
        foreach (var ((setting, value, origin, sdkFixes), nodes) in groups)
        {
            string wanted = Wanted(setting, needs)!;
            string effective = Effective(setting, value);
            string where = origin.Text;
            string message = $"{setting.Key} is {effective} on {Describe(nodes)} ({where}), but {setting.Why(needs)}";
            string add = $"add \"{SdkPatchEntry}\" as the last entry of patches: in {config.Path}{(config.PatchesLine is { } l ? " (line " + l.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty)}, or write with WriteOptions.Adopt, which adds it";
            string set = $"add a patch setting {setting.Key}: {wanted} to patches: in {config.Path}";
            if (origin.File is null)
            {
                yield return new TalosFinding(TalosFindingSeverity.Error, config.Path, config.PatchesLine, message, sdkFixes ? add : set);
            }
            else
            {
                string there = origin.Text == CniConfigOrigin ? "set cniConfig.name: none there" : $"set {setting.Key}: {wanted} there";
                yield return new TalosFinding(TalosFindingSeverity.Error, origin.File, origin.Line, message, sdkFixes ? there + ", or " + add + " (talhelper applies it after this)" : there);
            }
        }
    }

    private static string Describe(List<Node> nodes)
    {
        static string Role(bool cp, int count) => (cp ? "control-plane node" : "worker node") + (count == 1 ? string.Empty : "s");
        var parts = new List<string>();
        foreach (var role in nodes.GroupBy(n => n.ControlPlane).OrderByDescending(g => g.Key))
        {
            var named = role.Where(n => !n.Hypothetical).Select(n => n.Name).ToList();
            parts.Add(named.Count == 0
                ? (role.Key ? "control-plane nodes" : "worker nodes")
                : Role(role.Key, named.Count) + " " + string.Join(", ", named));
        }

        return string.Join(" and ", parts);
    }

    /// <summary>A value Cilium needs, by its machine-config key.</summary>
    private sealed class Setting
    {
        public static readonly Setting CniName = new(0, "cluster.network.cni.name", ["cluster", "network", "cni", "name"], SettingKind.Text, controlPlaneOnly: true);
        public static readonly Setting ProxyDisabled = new(1, "cluster.proxy.disabled", ["cluster", "proxy", "disabled"], SettingKind.Bool, controlPlaneOnly: true);
        public static readonly Setting KubePrismEnabled = new(2, "machine.features.kubePrism.enabled", ["machine", "features", "kubePrism", "enabled"], SettingKind.Bool, controlPlaneOnly: false);
        public static readonly Setting KubePrismPort = new(3, "machine.features.kubePrism.port", ["machine", "features", "kubePrism", "port"], SettingKind.Port, controlPlaneOnly: false);

        private readonly bool controlPlaneOnly;

        private Setting(int order, string key, string[] path, SettingKind kind, bool controlPlaneOnly)
        {
            Order = order;
            Key = key;
            Path = path;
            Kind = kind;
            this.controlPlaneOnly = controlPlaneOnly;
        }

        public int Order { get; }

        public string Key { get; }

        public string[] Path { get; }

        public SettingKind Kind { get; }

        public bool Applies(bool controlPlane) => controlPlane || !controlPlaneOnly;

        public string Why(TalosNeeds needs) => Order switch
        {
            0 => "Cilium is the CNI (Flux installs it), so Talos must deploy none",
            1 when needs.KubeProxyReplacement => "Cilium replaces kube-proxy (kubeProxyReplacement: true in the Cilium Helm values), so Talos must not deploy it",
            1 => "Cilium leaves services to kube-proxy (kubeProxyReplacement: false in the Cilium Helm values), so Talos must deploy it",
            2 => $"Cilium reaches the Kubernetes API through KubePrism on port {needs.KubePrismPort?.ToString(CultureInfo.InvariantCulture)} (k8sServiceHost and k8sServicePort in the Cilium Helm values), so it must be enabled",
            _ => $"Cilium reaches the Kubernetes API on port {needs.KubePrismPort?.ToString(CultureInfo.InvariantCulture)} (k8sServicePort in the Cilium Helm values), so KubePrism must listen there",
        };

        public override string ToString() => Key;
    }

    private enum SettingKind
    {
        Text,
        Bool,
        Port,
    }

    /// <summary>Where a value came from: a file and line, or (File null) a default described in words.</summary>
    private sealed record Origin(string? File, int? Line, string Text);

    /// <summary>A setting's value (null: absent) and its origin.</summary>
    private sealed record Leaf(string? Value, Origin Origin);

    /// <summary>One machine: a node of <c>nodes:</c>, or a stand-in per role when the list is empty.</summary>
    private sealed record Node(string Name, bool ControlPlane, IReadOnlyList<PatchEntry> Patches, bool Hypothetical);

    /// <summary>A list of patches (global, a group's or a node's), with the line of its key.</summary>
    private sealed record PatchList(IReadOnlyList<PatchEntry> Entries, int? Line)
    {
        public static readonly PatchList Empty = new([], null);
    }

    /// <summary>One entry of a <c>patches:</c> list: <c>@file</c>, an inline patch string, or a YAML node.</summary>
    private sealed record PatchEntry(string? File, string? Inline, YamlNode? Node, int Line, ScalarStyle Style)
    {
        public static PatchEntry Sdk(Talconfig config) => new(SdkPatchEntry[1..], null, null, config.PatchesLine ?? 1, ScalarStyle.Plain);
    }

    /// <summary>What talconfig.yaml says about the settings and the patches.</summary>
    private sealed class Talconfig
    {
        private Talconfig(string path) => Path = path;

        public string Path { get; }

        public string Folder => Path.Contains('/', StringComparison.Ordinal) ? Path[..Path.LastIndexOf('/')] : string.Empty;

        public (string Value, int Line)? CniName { get; private set; }

        public PatchList Global { get; private set; } = PatchList.Empty;

        public int? PatchesLine => Global.Line;

        public PatchList ControlPlane { get; private set; } = PatchList.Empty;

        public PatchList Worker { get; private set; } = PatchList.Empty;

        public List<(string Name, bool ControlPlane, PatchList Patches, bool Override)> Nodes { get; } = [];

        public bool KubePrismByDefault { get; private set; } = true;

        public string TalosVersionText { get; private set; } = "(version not set, so talhelper's current)";

        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

        public static Talconfig? Parse(string path, string text, Func<string, string?> read, Warnings warnings)
        {
            var config = new Talconfig(path);
            YamlMappingNode? root;
            try
            {
                var stream = new YamlStream();
                LoadGuarded(stream, text);
                root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
            }
            catch (YamlException e)
            {
                warnings.Add(path, (int)e.Start.Line, $"{path} is not valid YAML ({Short(e)}), so the Talos settings Cilium needs were not checked", "correct the file");
                return null;
            }

            if (root is null)
            {
                warnings.Add(path, 1, $"{path} holds no mapping, so the Talos settings Cilium needs were not checked", "write talhelper's configuration there");
                return null;
            }

            config.ReadEnvironment(read);
            if (Child(root, "talosVersion") is YamlScalarNode version)
            {
                config.ReadVersion(version.Value ?? string.Empty);
            }

            if (Child(root, "cniConfig") is YamlMappingNode cni && Child(cni, "name") is YamlScalarNode cniName && !string.IsNullOrEmpty(cniName.Value))
            {
                config.CniName = (config.Substitute(cniName.Value), (int)cniName.Start.Line);
            }

            config.Global = config.List(root, warnings);
            config.ControlPlane = Child(root, "controlPlane") is YamlMappingNode cp ? config.List(cp, warnings) : PatchList.Empty;
            config.Worker = Child(root, "worker") is YamlMappingNode worker ? config.List(worker, warnings) : PatchList.Empty;
            if (Child(root, "nodes") is YamlSequenceNode nodes)
            {
                int index = 0;
                foreach (YamlNode item in nodes)
                {
                    index++;
                    if (item is not YamlMappingNode node)
                    {
                        continue;
                    }

                    string name = Child(node, "hostname") is YamlScalarNode h && !string.IsNullOrEmpty(h.Value) ? config.Substitute(h.Value) : "#" + index.ToString(CultureInfo.InvariantCulture);
                    bool controlPlane = Child(node, "controlPlane") is YamlScalarNode c && c.Value is { } cv && Bool(cv) == true;
                    bool @override = Child(node, "overridePatches") is YamlScalarNode o && o.Value is { } ov && Bool(ov) == true;
                    config.Nodes.Add((name, controlPlane, config.List(node, warnings), @override));
                }
            }

            return config;
        }

        /// <summary>Each node with the patches talhelper applies to it before the global ones, in order.</summary>
        public IEnumerable<Node> EffectiveNodes()
        {
            if (Nodes.Count == 0)
            {
                yield return new Node("control plane", true, ControlPlane.Entries, Hypothetical: true);
                yield return new Node("worker", false, Worker.Entries, Hypothetical: true);
                yield break;
            }

            foreach (var (name, controlPlane, patches, @override) in Nodes)
            {
                var group = controlPlane ? ControlPlane : Worker;

                // talhelper's mergeNodeConfigs: the group's patches come first unless the node overrides them; a node
                // that overrides with no patches of its own keeps the group's.
                IReadOnlyList<PatchEntry> applied = @override && patches.Entries.Count > 0 ? patches.Entries : [.. group.Entries, .. patches.Entries];
                yield return new Node(name, controlPlane, applied, Hypothetical: false);
            }
        }

        /// <summary>The repository path an <c>@file</c> entry names, or null when it leaves the repository.</summary>
        public string? Resolve(string file)
        {
            if (file.StartsWith('/') || file.Contains('\\', StringComparison.Ordinal))
            {
                return null;
            }

            return OutputPaths.Combine(Folder, file);
        }

        public bool ResolvesToSdkPatch(PatchEntry entry) => entry.File is { } file && Resolve(Substitute(file)) == Resolve(SdkPatchEntry[1..]);

        /// <summary>Replaces <c>${NAME}</c> with talenv.yaml's value (talhelper's envsubst); unknown names stay.</summary>
        public string Substitute(string value) =>
            value.Contains("${", StringComparison.Ordinal)
                ? EnvReference.Replace(value, m => Environment.TryGetValue(m.Groups[1].Value, out string? v) ? v : m.Value)
                : value;

        private void ReadEnvironment(Func<string, string?> read)
        {
            // talhelper reads talenv.yaml beside talconfig.yaml for ${...} substitution (its --env-file default).
            string envPath = (Folder.Length == 0 ? string.Empty : Folder + "/") + "talenv.yaml";
            if (read(envPath) is not { } env)
            {
                return;
            }

            try
            {
                var stream = new YamlStream();
                LoadGuarded(stream, env);
                if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map)
                {
                    foreach (var (key, value) in map.Children)
                    {
                        if (key is YamlScalarNode k && value is YamlScalarNode v && k.Value is { } name && v.Value is { } text)
                        {
                            Environment[name] = text;
                        }
                    }
                }
            }
            catch (YamlException)
            {
                // An unreadable talenv.yaml only leaves ${...} unresolved; talhelper itself reports it.
            }
        }

        private void ReadVersion(string raw)
        {
            string version = Substitute(raw).Trim();
            var match = Regex.Match(version, @"^v?(\d+)\.(\d+)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (!match.Success)
            {
                return; // talhelper refuses it; its current Talos (KubePrism on) is the best guess
            }

            int major = int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            int minor = int.Parse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            TalosVersionText = version;
            KubePrismByDefault = major > 1 || (major == 1 && minor >= 6);
        }

        private PatchList List(YamlMappingNode owner, Warnings warnings)
        {
            var key = owner.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == "patches");
            if (key is null)
            {
                return PatchList.Empty;
            }

            var entries = new List<PatchEntry>();
            switch (owner.Children[key])
            {
                case YamlSequenceNode sequence:
                    foreach (YamlNode item in sequence)
                    {
                        int line = (int)item.Start.Line;
                        switch (item)
                        {
                            case YamlScalarNode { Value: { } value } scalar when value.StartsWith('@'):
                                entries.Add(new PatchEntry(value[1..], null, null, line, scalar.Style));
                                break;
                            case YamlScalarNode { Value: { } value } scalar:
                                entries.Add(new PatchEntry(null, value, null, line, scalar.Style));
                                break;
                            case YamlMappingNode or YamlSequenceNode:
                                warnings.Add(Path, line, "this patches entry is YAML, not a string; talhelper reads each entry as a string and refuses it", "write the patch as a block string ('- |-' and the patch indented below it), or put it in a file and list \"@./file.yaml\"");
                                entries.Add(new PatchEntry(null, null, item, line, ScalarStyle.Any));
                                break;
                        }
                    }

                    break;
                case YamlScalarNode { Value: null or "" or "~" or "null" }:
                    break;
                default:
                    warnings.Add(Path, (int)key.Start.Line, "patches: is not a list, so its patches were not checked", "write one '- ' entry a line");
                    break;
            }

            return new PatchList(entries, (int)key.Start.Line);
        }
    }

    // YamlDotNet builds nodes recursively: a hostile file nested thousands deep would overflow the stack (an uncatchable
    // crash), so the depth is checked on the parser's events first (talhelper's files nest a dozen levels at most).
    private const int MaxDepth = 64;

    private static void LoadGuarded(YamlStream stream, string text)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++depth > MaxDepth:
                    throw new YamlException(parser.Current.Start, parser.Current.End, $"nested more than {MaxDepth} levels deep");
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }

        stream.Load(new StringReader(text));
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == key).Value;

    private static string Short(YamlException e)
    {
        string message = e.Message;
        int paren = message.IndexOf("): ", StringComparison.Ordinal);
        return paren >= 0 ? message[(paren + 3)..] : message;
    }

    /// <summary>Loads each patch entry once (a file listed by many nodes is read and warned about once).</summary>
    private sealed class PatchSources(Talconfig config, Func<string, string?> read, Warnings warnings)
    {
        private readonly Dictionary<PatchEntry, IReadOnlyList<Patch>> loaded = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, IReadOnlyList<Patch>> files = new(StringComparer.Ordinal);

        public IReadOnlyList<Patch> Load(PatchEntry entry)
        {
            if (loaded.TryGetValue(entry, out var patches))
            {
                return patches;
            }

            patches = entry switch
            {
                { File: { } file } => File(entry, config.Substitute(file)),
                { Inline: { } inline } => Parse(inline, config.Path, entry.Style is ScalarStyle.Literal ? l => entry.Line + l : _ => entry.Line, entry.Line),
                { Node: { } node } => Patch.From([node], config.Path, l => l, config, warnings),
                _ => [],
            };
            loaded[entry] = patches;
            return patches;
        }

        private IReadOnlyList<Patch> File(PatchEntry entry, string file)
        {
            if (config.Resolve(file) is not { } path)
            {
                warnings.Add(config.Path, entry.Line, $"patches entry \"@{file}\" is outside the repository, so its settings were not checked", "keep the patch in the repository, next to talconfig.yaml");
                return [];
            }

            if (files.TryGetValue(path, out var known))
            {
                return known;
            }

            IReadOnlyList<Patch> patches;
            if (read(path) is not { } text)
            {
                warnings.Add(config.Path, entry.Line, $"patches entry \"@{file}\" names {path}, which is not in the repository, so its settings were not checked (talhelper genconfig fails on it)", $"add {path} or remove the entry");
                patches = [];
            }
            else
            {
                patches = Parse(text, path, l => l, 0);
            }

            files[path] = patches;
            return patches;
        }

        private IReadOnlyList<Patch> Parse(string text, string file, Func<int, int> line, int errorLine)
        {
            var stream = new YamlStream();
            try
            {
                LoadGuarded(stream, text);
            }
            catch (YamlException e)
            {
                int at = errorLine > 0 ? errorLine : (int)e.Start.Line;
                warnings.Add(file, at > 0 ? at : 1, $"this patch is not valid YAML ({Short(e)}), so its settings were not checked (talhelper's templating may make it valid)", "correct the patch");
                return [];
            }

            return Patch.From(stream.Documents.Select(d => d.RootNode), file, line, config, warnings);
        }
    }

    /// <summary>One patch document: a strategic merge (a mapping) or an RFC 6902 JSON patch (a list of operations).</summary>
    private sealed class Patch
    {
        private readonly YamlNode root;
        private readonly string file;
        private readonly Func<int, int> line;
        private readonly Talconfig config;
        private readonly Warnings warnings;

        private Patch(YamlNode root, string file, Func<int, int> line, Talconfig config, Warnings warnings)
        {
            this.root = root;
            this.file = file;
            this.line = line;
            this.config = config;
            this.warnings = warnings;
        }

        public static IReadOnlyList<Patch> From(IEnumerable<YamlNode> documents, string file, Func<int, int> line, Talconfig config, Warnings warnings) =>
            [.. documents.Where(d => d is YamlMappingNode or YamlSequenceNode).Select(d => new Patch(d, file, line, config, warnings))];

        public void ApplyTo(Dictionary<Setting, Leaf> state)
        {
            if (root is YamlSequenceNode operations)
            {
                foreach (YamlNode op in operations)
                {
                    ApplyOperation(op, state);
                }

                return;
            }

            var map = (YamlMappingNode)root;

            // Other config documents (apiVersion/kind) do not carry these v1alpha1 settings.
            if (Child(map, "kind") is not null)
            {
                return;
            }

            foreach (Setting setting in Settings)
            {
                MergeLeaf(map, setting, state);
            }
        }

        private int Line(YamlNode node) => line((int)node.Start.Line);

        private Origin Origin(YamlNode node, string text = "set here") => new(file, Line(node), text);

        // A strategic merge sets the leaf when the patch names it, or removes it when an enclosing section is deleted.
        private void MergeLeaf(YamlMappingNode map, Setting setting, Dictionary<Setting, Leaf> state)
        {
            YamlNode current = map;
            foreach (string key in setting.Path)
            {
                if (current is not YamlMappingNode section || Child(section, key) is not { } next)
                {
                    return;
                }

                if (next is YamlMappingNode deleted && IsDelete(deleted))
                {
                    state[setting] = new Leaf(null, Origin(deleted, "removed here by $patch: delete"));
                    return;
                }

                current = next;
            }

            if (current is YamlScalarNode scalar)
            {
                Set(setting, scalar, state);
            }
        }

        private static bool IsDelete(YamlMappingNode map) =>
            map.Children.Any(c => c.Key is YamlScalarNode { Value: "$patch" or "$$patch" } && c.Value is YamlScalarNode { Value: "delete" });

        private void Set(Setting setting, YamlScalarNode scalar, Dictionary<Setting, Leaf> state)
        {
            string? raw = scalar.Value;
            if (raw is null || (scalar.Style == ScalarStyle.Plain && raw is "" or "~" or "null" or "Null" or "NULL"))
            {
                return; // a null in a strategic merge sets nothing
            }

            raw = config.Substitute(raw);
            if (raw.Contains("${", StringComparison.Ordinal) || raw.Contains("{{", StringComparison.Ordinal))
            {
                warnings.Add(file, Line(scalar), $"{setting.Key} is set from '{raw}', which talhelper substitutes when it generates the config, so it was not checked", $"write {setting.Key} as a plain value");
                return;
            }

            switch (setting.Kind)
            {
                case SettingKind.Bool:
                    if (Bool(raw) is not { } b)
                    {
                        warnings.Add(file, Line(scalar), $"{setting.Key} is '{raw}', not a boolean (Talos refuses it)", $"write {setting.Key}: true or false");
                        return;
                    }

                    state[setting] = new Leaf(b ? "true" : "false", Origin(scalar));
                    return;
                case SettingKind.Port:
                    if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
                    {
                        warnings.Add(file, Line(scalar), $"{setting.Key} is '{raw}', not a port (Talos refuses it)", $"write {setting.Key} as a number");
                        return;
                    }

                    if (port != 0)
                    {
                        state[setting] = new Leaf(port.ToString(CultureInfo.InvariantCulture), Origin(scalar));
                    }

                    return;
                default:
                    if (raw.Length > 0)
                    {
                        state[setting] = new Leaf(raw, Origin(scalar));
                    }

                    return;
            }
        }

        // RFC 6902: add/replace put a value at a path (the leaf is inside it or not), remove drops the path; copy and move
        // from elsewhere are not followed (reported when they reach a setting), test changes nothing.
        private void ApplyOperation(YamlNode node, Dictionary<Setting, Leaf> state)
        {
            if (node is not YamlMappingNode op || Child(op, "op") is not YamlScalarNode { Value: { } verb } || Child(op, "path") is not YamlScalarNode { Value: { } pointer })
            {
                warnings.Add(file, Line(node), "this JSON patch operation has no op or path (Talos refuses it)", "give each operation op and path");
                return;
            }

            string[] path = [.. pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
            foreach (Setting setting in Settings)
            {
                // Only operations at the setting or one of its sections touch it.
                if (path.Length > setting.Path.Length || !setting.Path.Take(path.Length).SequenceEqual(path, StringComparer.Ordinal))
                {
                    continue;
                }

                switch (verb)
                {
                    case "add" or "replace":
                        YamlNode? value = Child(op, "value");
                        foreach (string key in setting.Path.Skip(path.Length))
                        {
                            value = value is YamlMappingNode m ? Child(m, key) : null;
                        }

                        if (value is YamlScalarNode { Value: not (null or "" or "~" or "null") } scalar)
                        {
                            Set(setting, scalar, state);
                        }
                        else
                        {
                            // A null, or a section without this setting, replaces what was there.
                            state[setting] = new Leaf(null, Origin(op, $"removed here by a JSON patch ({verb} {pointer})"));
                        }

                        break;
                    case "remove":
                        state[setting] = new Leaf(null, Origin(op, $"removed here by a JSON patch (remove {pointer})"));
                        break;
                    case "copy" or "move":
                        warnings.Add(file, Line(op), $"this JSON patch {verb}s a value onto {setting.Key}, which is not followed, so {setting.Key} was not checked here", $"set {setting.Key} with add or replace and a value");
                        break;
                }
            }
        }
    }

    /// <summary>Warnings, each once, sorted by file and line.</summary>
    private sealed class Warnings
    {
        private readonly List<(string File, int Line, string Message, string Fix)> items = [];

        public void Add(string file, int line, string message, string fix)
        {
            if (!items.Contains((file, line, message, fix)))
            {
                items.Add((file, line, message, fix));
            }
        }

        public List<TalosFinding> Sorted() =>
            [.. items.OrderBy(w => w.File, StringComparer.Ordinal).ThenBy(w => w.Line).ThenBy(w => w.Message, StringComparer.Ordinal)
                .Select(w => new TalosFinding(TalosFindingSeverity.Warning, w.File, w.Line > 0 ? w.Line : null, w.Message, w.Fix))];
    }
}
