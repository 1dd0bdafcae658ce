using CrdKit.Validation;

namespace Cilium.Sdk.Resources;

// The API server's one-of over the kinds of L7 rules is not the same in every Cilium version, so the union schema
// leaves it out and this checks each version's own list (no version: the union of them).

/// <content>Checks the one-of of L7 rule kinds for the target Cilium version.</content>
public sealed partial record L7Rules
{
    private static readonly string[] Until120 = ["http", "kafka", "dns", "l7proto"];
    private static readonly string[] Since120 = ["http", "dns"];

    partial void ValidateCustom(ValidationContext context, string path)
    {
        if (context.TargetVersion is { } version && ValidationContext.CompareVersions(version, "1.20") >= 0)
        {
            // Kafka and l7proto are gone in 1.20; the field check reports them, so they count as absent here.
            context.OneOf(path, Since120, [Http is not null, Dns is not null]);
            return;
        }

        context.OneOf(path, Until120, [Http is not null, Kafka is not null, Dns is not null, L7proto is not null]);
    }
}
