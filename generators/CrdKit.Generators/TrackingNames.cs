namespace CrdKit.Generators;

/// <summary>Names of the pipeline steps, so tests can assert what was cached.</summary>
internal static class TrackingNames
{
    public const string CrdInputs = nameof(CrdInputs);
    public const string Parsed = nameof(Parsed);
    public const string ParseDiagnostics = nameof(ParseDiagnostics);
    public const string Plan = nameof(Plan);
    public const string Units = nameof(Units);
    public const string PlanDiagnostics = nameof(PlanDiagnostics);
}
