using Cilium.Sdk.Generators.Tests.Infrastructure;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>The generated code for small hand-written CRDs, approved once and compared on every run.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Widget_crd_generates_the_approved_code()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.FromFile(Path.Combine(AppContext.BaseDirectory, "Crds", "widgets.yaml")));
        Snapshot.Match("Widget", outcome.Source("example.io.Widget.g.cs"));
    }

    [Fact]
    public void Serializer_context_is_the_approved_code()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.FromFile(Path.Combine(AppContext.BaseDirectory, "Crds", "widgets.yaml")));
        Snapshot.Match("CrdsJsonContext", outcome.Source("Consumer.Crds.CrdsJsonContext.g.cs"));
    }
}
