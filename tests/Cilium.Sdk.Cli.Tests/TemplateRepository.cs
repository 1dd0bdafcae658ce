using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// A template user's repository: a template case (read in place from ../shared) copied into a temp folder, made whole
/// (the cases are partial renders: each resource a kustomization lists that is missing gets a stub, a ConfigMap or an
/// empty kustomization), and committed with git, so a test sees what the user sees with <c>git status</c>.
/// </summary>
internal sealed class TemplateRepository : IDisposable
{
    private TemplateRepository(string root) => Root = root;

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static TemplateRepository Create(string @case)
    {
        var source = Path.GetDirectoryName(Cli.Case(@case))!;
        var root = Directory.CreateTempSubdirectory("cilium-sdk-adopt-" + @case + "-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var repository = new TemplateRepository(root);
        repository.AddStubs();
        repository.Git("init", "-q");
        repository.Commit("the template's render");
        return repository;
    }

    /// <summary>The kustomization folders (relative), sorted.</summary>
    public IReadOnlyList<string> KustomizationFolders() =>
        Directory.EnumerateFiles(Root, "kustomization.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + ".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, Path.GetDirectoryName(f)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every file outside .git and .cilium-sdk: relative path to its bytes.</summary>
    public SortedDictionary<string, byte[]> Files()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith(".git/", StringComparison.Ordinal) && !relative.StartsWith(".cilium-sdk/", StringComparison.Ordinal))
            {
                files[relative] = File.ReadAllBytes(file);
            }
        }

        return files;
    }

    /// <summary>The entries of a kustomization's <c>resources</c> and <c>components</c> lists.</summary>
    public static List<string> Entries(string kustomizationText)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(kustomizationText));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return [];
        }

        var entries = new List<string>();
        foreach (var key in new[] { "resources", "components" })
        {
            if (root.Children.TryGetValue(new YamlScalarNode(key), out var list) && list is YamlSequenceNode sequence)
            {
                entries.AddRange(sequence.Children.OfType<YamlScalarNode>().Select(s => key + ": " + s.Value));
            }
        }

        return entries;
    }

    /// <summary>Runs <c>kubectl kustomize</c> on a folder: null when it builds, else its error.</summary>
    public string? Kustomize(string folder)
    {
        var (code, _, error) = Cli.Exec("kubectl", "kustomize", this[folder]);
        return code == 0 ? null : error;
    }

    public string Git(params string[] args) => Cli.Git(Root, args);

    /// <summary>The files <c>git status</c> shows as changed or new, sorted.</summary>
    public List<string> Changed() =>
        Git("status", "--porcelain", "--untracked-files=all").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[3..]).Order(StringComparer.Ordinal).ToList();

    /// <summary>Replaces <paramref name="from"/> in a file, failing when the file does not hold it (so an edit that
    /// silently misses is not a passing row).</summary>
    public void Edit(string path, string from, string to)
    {
        var text = File.ReadAllText(this[path]);
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"{path} does not hold the text to change: {from}");
        File.WriteAllText(this[path], text.Replace(from, to, StringComparison.Ordinal));
    }

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
    }

    /// <summary>The variable that lets a machine without kubectl skip the adoption tests; CI unsets it.</summary>
    public const string SkipVariable = "CILIUM_SDK_SKIP_KUSTOMIZE";

    /// <summary>
    /// Fails unless kubectl is on PATH ('kubectl kustomize' builds every kustomization before and after adoption), as
    /// the FRR and live BGP checks do: a missing tool is a failure, a skip only when the machine's owner asked for it.
    /// </summary>
    public static void RequireKubectl()
    {
        if (Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator).Any(p => File.Exists(Path.Combine(p, "kubectl"))) == true)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            Assert.Skip($"Skipped on request ({SkipVariable}=1 is set): kubectl is not on PATH here, so the template repository's kustomizations cannot be built before and after adoption.");
        }

        Assert.Fail($"kubectl is not on PATH: these tests build every kustomization with 'kubectl kustomize'. Install it (apt-get install kubernetes-client, as .ci/run does), or set {SkipVariable}=1 to skip them.");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    // Each resource or component a kustomization lists that the partial render lacks: a file gets a ConfigMap, a folder an
    // empty kustomization (a Component under components:).
    private void AddStubs()
    {
        foreach (var folder in KustomizationFolders())
        {
            var text = File.ReadAllText(this[folder + "/kustomization.yaml"]);
            foreach (var entry in Entries(text))
            {
                var (key, value) = (entry[..entry.IndexOf(':')], entry[(entry.IndexOf(':') + 2)..]);
                var target = Path.GetFullPath(Path.Combine(this[folder], value));
                if (File.Exists(target) || Directory.Exists(target))
                {
                    continue;
                }

                if (target.EndsWith(".yaml", StringComparison.Ordinal))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    var name = "stub-" + Path.GetFileNameWithoutExtension(target).Replace('.', '-');
                    File.WriteAllText(target, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
                }
                else
                {
                    Directory.CreateDirectory(target);
                    File.WriteAllText(Path.Combine(target, "kustomization.yaml"), key == "components"
                        ? "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                        : "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n");
                }
            }
        }
    }
}
