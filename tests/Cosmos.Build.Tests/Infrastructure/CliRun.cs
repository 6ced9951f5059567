using System.IO;
using Cosmos.Build.Cli;

namespace Cosmos.Build.Tests.Infrastructure;

/// <summary>One in-process run of the <c>cosmos</c> tool.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = CommandDispatcher.CreateDefault().Run(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
