using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Cli;

/// <summary>
/// Which policy documents <c>verdict</c> and <c>policy-diff</c> evaluate: only those the API server and the Cilium
/// agent would accept, so that no answer rests on a policy the cluster would refuse. Each one left out is named.
/// </summary>
internal static class PolicyDocuments
{
    /// <summary>The document's typed record, or null after a warning that says why it is left out: an apiVersion this
    /// tool does not read policies of, or an error the API server or the agent would refuse it for.</summary>
    public static object? Accepted(ManifestDocument document, CiliumVersion version, TextWriter stderr)
    {
        if (document.Resource is null)
        {
            stderr.WriteLine($"warning: {document}: {document.ApiVersion} is not an apiVersion this tool reads policies of; left out");
            return null;
        }

        var errors = document.Validate(version).Where(f => f.IsError).ToList();
        if (errors.Count > 0)
        {
            stderr.WriteLine($"warning: {document}: left out, because the API server or the Cilium agent would refuse it ({errors.Count} error(s), first: {errors[0].Describe()}); run cilium-sdk lint for all");
            return null;
        }

        return document.Resource;
    }
}
