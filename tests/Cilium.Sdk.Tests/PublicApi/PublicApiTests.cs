using PublicApiGenerator;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.PublicApi;

/// <summary>
/// The shipped libraries' public API, approved: any change to it shows up as a diff of
/// <c>Cilium.Sdk.approved.txt</c> or <c>CrdKit.approved.txt</c> (a <c>.received.txt</c> is written beside it on
/// mismatch; copy it over to approve).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_of_Cilium_Sdk_is_approved() => Approve(typeof(Cilium.Sdk.Cluster.CiliumCluster).Assembly, "Cilium.Sdk");

    [Fact]
    public void Public_api_of_CrdKit_is_approved() => Approve(typeof(CrdKit.Serialization.CrdYaml).Assembly, "CrdKit");

    private static void Approve(System.Reflection.Assembly assembly, string name)
    {
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
        }).ReplaceLineEndings("\n");
        var folder = Path.Combine(TestData.RepositoryRoot, "tests", "Cilium.Sdk.Tests", "PublicApi");
        var approvedPath = Path.Combine(folder, name + ".approved.txt");
        var receivedPath = Path.Combine(folder, name + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : string.Empty;

        if (api != approved)
        {
            File.WriteAllText(receivedPath, api);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.True(api == approved, $"The public API changed. Review {receivedPath} and copy it over {approvedPath} to approve.");
    }
}
