using System;
using Cilium.Sdk.Cli;

return CliApp.Run(args, Console.Out, Console.Error, colour: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null);
