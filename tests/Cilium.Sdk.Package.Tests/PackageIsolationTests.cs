using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>
/// The consumers restore from this run's feed and the offline global packages folder only (issue 17): the machine's
/// own sources are cleared, so a package from a cache or a registry can never stand in for the one just packed, and a
/// dependency the packages fail to bring along fails the restore.
/// </summary>
public sealed class PackageIsolationTests(PackagedSdk packages)
{
    [Fact]
    public async Task A_consumer_restore_searches_only_the_test_feed_and_the_offline_folder()
    {
        await packages.EnsurePacked();
        var dir = packages.NewConsumerFolder("isolation");
        DotNet.WriteFile(Path.Combine(dir, "Isolation.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <!-- A version the feed does not hold: every source searched is listed in the error. -->
                <PackageReference Include="Cilium.Sdk" Version="[0.0.1]" />
              </ItemGroup>
            </Project>

            """);

        var restore = await DotNet.Run(dir, TimeSpan.FromMinutes(2), "restore");

        Assert.True(restore.ExitCode != 0, restore.Describe());
        var output = restore.StdOut + restore.StdErr;
        Assert.Contains("NU1102", output, StringComparison.Ordinal);
        Assert.Contains("cilium-sdk-test-feed", output, StringComparison.Ordinal);
        Assert.Contains("offline-global-packages", output, StringComparison.Ordinal);
        Assert.DoesNotContain("nuget.org", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", output, StringComparison.OrdinalIgnoreCase);
    }
}
