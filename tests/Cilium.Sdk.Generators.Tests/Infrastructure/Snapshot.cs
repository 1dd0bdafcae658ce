namespace Cilium.Sdk.Generators.Tests.Infrastructure;

/// <summary>
/// Approval testing: compares text with a checked-in <c>.verified</c> file and writes a <c>.received</c> file
/// beside it on mismatch (accept a change by renaming received to verified).
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual, string extension = "cs")
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Cilium.Sdk.Generators.Tests", "Snapshots");
        var verified = Path.Combine(folder, $"{name}.verified.{extension}");
        var received = Path.Combine(folder, $"{name}.received.{extension}");
        var expected = File.Exists(verified) ? File.ReadAllText(verified) : null;
        if (expected == actual)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet; review {received} and rename it to accept."
            : $"Snapshot {verified} differs; review {received} (diff them) and rename it to accept.");
    }
}
