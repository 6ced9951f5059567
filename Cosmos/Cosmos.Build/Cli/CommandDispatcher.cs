using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Cosmos.Build.Cli;

/// <summary>Selects a subcommand by its first argument and runs it.</summary>
public sealed class CommandDispatcher
{
    private readonly IReadOnlyList<ICommand> _commands;

    public CommandDispatcher(IReadOnlyList<ICommand> commands)
    {
        _commands = commands;
    }

    /// <summary>The commands the shipped tool offers. Later: run, test, debug.</summary>
    public static CommandDispatcher CreateDefault() => new([new PatchCommand()]);

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        IReadOnlyList<string> expanded;
        try
        {
            expanded = ResponseFiles.Expand(args);
        }
        catch (IOException e)
        {
            Diagnostic.Usage(e.Message).WriteTo(error);
            return ExitCodes.Usage;
        }

        if (expanded.Count == 0 || expanded[0] is "help" or "--help" or "-h")
        {
            return Help(expanded.Skip(1).FirstOrDefault(), output, error);
        }

        ICommand? command = Find(expanded[0]);
        if (command is null)
        {
            Diagnostic.Usage($"unknown command '{expanded[0]}'; try 'cosmos help'").WriteTo(error);
            return ExitCodes.Usage;
        }

        return command.Run(expanded.Skip(1).ToArray(), output, error);
    }

    private ICommand? Find(string name) =>
        _commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    private int Help(string? commandName, TextWriter output, TextWriter error)
    {
        if (commandName is not null)
        {
            ICommand? command = Find(commandName);
            if (command is null)
            {
                Diagnostic.Usage($"unknown command '{commandName}'").WriteTo(error);
                return ExitCodes.Usage;
            }

            output.WriteLine(command.Usage);
            return ExitCodes.Success;
        }

        output.WriteLine("usage: cosmos <command> [options]   (arguments may come from @file, one per line)");
        output.WriteLine();
        foreach (ICommand command in _commands)
        {
            output.WriteLine($"  {command.Name,-10} {command.Summary}");
        }

        output.WriteLine();
        output.WriteLine("'cosmos help <command>' shows a command's options.");
        return ExitCodes.Success;
    }
}
