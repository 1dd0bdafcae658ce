using PublicApiGenerator;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.PublicApi;

/// <summary>
/// The shipped library's public API, approved: any change to it shows up as a diff of
/// <c>Cilium.Sdk.approved.txt</c> (a <c>.received.txt</c> is written beside it on mismatch; copy it over to approve).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_of_Cilium_Sdk_is_approved()
    {
        var api = typeof(Cilium.Sdk.Cluster.CiliumCluster).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
        }).ReplaceLineEndings("\n");
        var folder = Path.Combine(TestData.RepositoryRoot, "tests", "Cilium.Sdk.Tests", "PublicApi");
        var approvedPath = Path.Combine(folder, "Cilium.Sdk.approved.txt");
        var receivedPath = Path.Combine(folder, "Cilium.Sdk.received.txt");
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
