using Cilium.Sdk.Serialization;
using CrdKit.Validation;
using CrdKit.Serialization;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts.Conformance;

/// <summary>
/// The engine against the facts of Cilium's own policy unit tests (pkg/policy repository, repository_deny,
/// distillery, rule, selector cache; pkg/policy/api entity, rule_validation, fqdn; pkg/fqdn/matchpattern;
/// pkg/k8s/apis/cilium.io/utils), each written as our own case under Flows/ and Sanitize/ citing the upstream test.
/// Every flow must get the agent's verdict; every sanitize case the agent's (and API server's) acceptance per version.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly string[] Topics =
    [
        "deny-precedence", "default-deny", "enable-default-deny", "entities", "cidr-except", "port-ranges", "named-ports",
        "l7", "wildcards", "several-policies", "ingress-and-egress", "namespaces", "agent-options", "undecidable",
    ];

    public static TheoryData<string> FlowCaseNames() => new(ConformanceCases.FlowCases().Select(c => c.ToString()));

    public static TheoryData<string> SanitizeCaseNames() => new(ConformanceCases.SanitizeCases().Select(c => c.ToString()));

    [Theory]
    [MemberData(nameof(FlowCaseNames))]
    public void Every_flow_gets_the_agents_verdict(string name)
    {
        var c = ConformanceCases.FlowCases().Single(x => x.ToString() == name);
        var verdicts = PolicyVerdicts.FromYaml(c.Policies, c.Endpoints, c.Options);

        var wrong = c.Flows
            .Select(f => (f, v: verdicts.Evaluate(f.Flow)))
            .Where(x => x.v.Decision != x.f.Expected)
            .Select(x => $"{x.f.Text} got {x.v.Decision}:\n{x.v.Explanation}")
            .ToList();

        Assert.True(wrong.Count == 0, $"{c.Upstream}: {string.Join("\n", wrong)}");
    }

    [Theory]
    [MemberData(nameof(SanitizeCaseNames))]
    public void Every_policy_is_accepted_or_refused_as_the_agent_does(string name)
    {
        var c = ConformanceCases.SanitizeCases().Single(x => x.ToString() == name);
        foreach (var (version, valid) in c.Valid)
        {
            IReadOnlyList<ValidationError> errors;
            try
            {
                errors = Manifests.ReadAny(c.Policy) switch
                {
                    Resources.V2.CiliumNetworkPolicy cnp => cnp.Validate(version),
                    Resources.V2.CiliumClusterwideNetworkPolicy ccnp => ccnp.Validate(version),
                    var other => throw new InvalidOperationException($"{c}: {other.GetType().Name} is not a policy"),
                };
            }
            catch (ManifestException e)
            {
                // The API server refuses a document that does not even fit the schema's types.
                Assert.False(valid, $"{c.Upstream} at {version}: expected valid, but it does not read: {e.Message}");
                continue;
            }

            var real = errors.Where(e => e.IsError).ToList();
            if (valid)
            {
                Assert.True(real.Count == 0, $"{c.Upstream} at {version}: expected valid, got:\n{string.Join("\n", real)}");
            }
            else
            {
                Assert.True(real.Count > 0, $"{c.Upstream} at {version}: expected the policy to be refused, it validates");
                if (c.At is not null)
                {
                    Assert.True(real.Any(e => e.Path.EndsWith(c.At, StringComparison.Ordinal)), $"{c.Upstream} at {version}: expected an error at {c.At}, got:\n{string.Join("\n", real)}");
                }
            }
        }
    }

    [Fact]
    public void The_suite_is_as_large_as_the_issue_asks_and_every_case_cites_an_upstream_test()
    {
        var flows = ConformanceCases.FlowCases();
        var sanitize = ConformanceCases.SanitizeCases();

        Assert.True(flows.Sum(c => c.Flows.Count) >= 150, $"{flows.Sum(c => c.Flows.Count)} flows");
        Assert.True(sanitize.Count * 2 >= 120, $"{sanitize.Count} sanitize cases");
        Assert.All(flows.Select(c => c.Upstream).Concat(sanitize.Select(c => c.Upstream)), u => Assert.Matches(@"^pkg/[a-z0-9_./-]+_test\.go Test\w+", u));
        Assert.Equal(flows.Count, flows.Select(c => c.ToString()).Distinct().Count());
        Assert.Equal(sanitize.Count, sanitize.Select(c => c.ToString()).Distinct().Count());
    }

    [Fact]
    public void Every_topic_the_issue_names_has_flows()
    {
        var byTopic = ConformanceCases.FlowCases()
            .SelectMany(c => c.Topics.Select(t => (t, c.Flows.Count)))
            .GroupBy(x => x.t)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Count));

        Assert.All(Topics, t => Assert.True(byTopic.GetValueOrDefault(t) >= 5, $"topic {t}: {byTopic.GetValueOrDefault(t)} flows"));
        Assert.All(byTopic.Keys, t => Assert.Contains(t, Topics));
    }
}
