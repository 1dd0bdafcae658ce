// The README's default job: a three-node homelab cluster in L2 mode, described with the SDK's typed Cilium
// and Flux records, validated, and written as a Flux app folder under ./out (or the folder given as argument).
using System.Text.Json.Nodes;
using Cilium.Sdk.Flux;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;
using k8s;
using k8s.Models;

const string CiliumVersion = "1.20";
var outDir = Path.GetFullPath(args.Length > 0 ? args[0] : "out");
var appDir = Path.Combine(outDir, "kubernetes", "apps", "kube-system", "cilium", "app");

var pool = new Cilium.Sdk.Resources.V2.CiliumLoadBalancerIPPool
{
    Metadata = new V1ObjectMeta { Name = "pool" },
    Spec = new LoadBalancerIpPoolSpec
    {
        AllowFirstLastIPs = CiliumLoadBalancerIPPoolAllowFirstLastIPs.No,
        Blocks = [new IpPoolBlock { Start = "192.168.1.200", Stop = "192.168.1.239" }],
    },
};

var l2 = new Cilium.Sdk.Resources.V2alpha1.CiliumL2AnnouncementPolicy
{
    Metadata = new V1ObjectMeta { Name = "l2-policy" },
    Spec = new L2AnnouncementPolicySpec
    {
        LoadBalancerIPs = true,
        NodeSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" } },
    },
};

var source = new Cilium.Sdk.Flux.V1.OCIRepository
{
    Metadata = new V1ObjectMeta { Name = "cilium" },
    Spec = new OciRepositorySpec
    {
        Interval = "30m",
        Url = "oci://quay.io/cilium/charts/cilium",
        Ref = new OciRepositoryRef { Tag = "1.20.0" },
        LayerSelector = new OciLayerSelector { MediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip", Operation = OCIRepositoryOperation.Copy },
    },
};

var release = new Cilium.Sdk.Flux.V2.HelmRelease
{
    Metadata = new V1ObjectMeta { Name = "cilium" },
    Spec = new HelmReleaseSpec
    {
        Interval = "1h",
        ChartRef = new ChartReference { Kind = HelmReleaseChartRefKind.OCIRepository, Name = "cilium" },
        Values = new JsonObject
        {
            ["autoDirectNodeRoutes"] = true,
            ["ipv4NativeRoutingCIDR"] = "10.42.0.0/16",
            ["k8sServiceHost"] = "127.0.0.1",
            ["k8sServicePort"] = 7445,
            ["kubeProxyReplacement"] = true,
            ["l2announcements"] = new JsonObject { ["enabled"] = true },
            ["loadBalancer"] = new JsonObject { ["algorithm"] = "maglev", ["mode"] = "dsr" },
            ["routingMode"] = "native",
        },
    },
};

var documents = new (string File, IKubernetesObject Resource, Func<IReadOnlyList<ValidationError>> Validate)[]
{
    ("networks.yaml", pool, () => pool.Validate(CiliumVersion)),
    ("l2.yaml", l2, () => l2.Validate(CiliumVersion)),
    ("ocirepository.yaml", source, () => source.Validate()),
    ("helmrelease.yaml", release, () => release.Validate()),
};

var errors = documents.SelectMany(d => d.Validate().Select(e => $"{d.File}: {e}")).ToList();
if (errors.Count > 0)
{
    errors.ForEach(Console.Error.WriteLine);
    return 1;
}

var files = documents.ToDictionary(d => d.File, d => Manifests.Write(d.Resource));
files["kustomization.yaml"] = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
    + string.Concat(documents.Select(d => d.File).Order(StringComparer.Ordinal).Select(f => $"  - ./{f}\n"));

Directory.CreateDirectory(appDir);
foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
{
    // Write beside, then move: a crash never leaves a half-written manifest behind.
    var path = Path.Combine(appDir, name);
    File.WriteAllText(path + ".tmp", text);
    File.Move(path + ".tmp", path, overwrite: true);
    Console.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
}

return 0;
