using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cluster;

/// <summary>A cluster description has errors. <see cref="Errors"/> holds every one (with warnings), each with its path and fix.</summary>
public sealed class ClusterValidationException : Exception
{
    /// <summary>Creates the exception from every problem found.</summary>
    public ClusterValidationException(IReadOnlyList<ValidationError> problems)
        : base(Describe(problems)) => Errors = problems;

    /// <summary>Every error and warning found, in path order.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static string Describe(IReadOnlyList<ValidationError> problems)
    {
        var errors = problems.Count(p => p.IsError);
        var lines = problems.Select(p => "  " + p);
        return $"the cluster has {errors} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
