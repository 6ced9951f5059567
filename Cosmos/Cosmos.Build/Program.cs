using System;
using Cosmos.Build.Cli;

namespace Cosmos.Build;

internal static class Program
{
    private static int Main(string[] args) => CommandDispatcher.CreateDefault().Run(args, Console.Out, Console.Error);
}
