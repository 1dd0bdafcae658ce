using Cilium.Sdk.Validation;
using CrdKit.Validation;
using Cilium.Sdk.Validation.Agent;

namespace Cilium.Sdk.Resources.V2;

// The generated Validate() of both policy kinds ends with ValidateCustom: the agent-layer checks hook in here.

/// <content>Adds the agent's policy checks to <c>Validate()</c>.</content>
public sealed partial record CiliumNetworkPolicy
{
    partial void ValidateCustom(ValidationContext context, string path) =>
        PolicyAgentRules.Check(context, path, Spec, Specs, clusterwide: false);
}

/// <content>Adds the agent's policy checks to <c>Validate()</c>.</content>
public sealed partial record CiliumClusterwideNetworkPolicy
{
    partial void ValidateCustom(ValidationContext context, string path) =>
        PolicyAgentRules.Check(context, path, Spec, Specs, clusterwide: true);
}
