using System;
using System.Collections.Generic;
using System.IO;

namespace Cosmos.System.Shell
{
    /// <summary>
    /// A line-oriented shell: reads a line, splits it into words, runs the command it names.
    /// A bad line or an unknown command gets a message naming it; an exception in a command is
    /// reported with its type and message and the shell carries on.
    /// </summary>
    public sealed class CommandShell
    {
        private readonly Dictionary<string, IShellCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>The prompt printed before each line.</summary>
        public string Prompt { get; set; } = "cosmos> ";

        /// <summary>The commands, by name.</summary>
        public IReadOnlyDictionary<string, IShellCommand> Commands => _commands;

        /// <summary>Adds a command; its name must be new.</summary>
        public void Register(IShellCommand command)
        {
            ArgumentNullException.ThrowIfNull(command);
            if (!_commands.TryAdd(command.Name, command))
            {
                throw new ArgumentException($"a command named '{command.Name}' is already registered", nameof(command));
            }
        }

        /// <summary>Runs one command line; returns its exit status (127 for an unknown command).</summary>
        public int Execute(string line, TextWriter output)
        {
            ArgumentNullException.ThrowIfNull(line);
            ArgumentNullException.ThrowIfNull(output);
            IReadOnlyList<string> words;
            try
            {
                words = CommandLine.Split(line);
            }
            catch (FormatException error)
            {
                output.WriteLine($"syntax error: {error.Message}");
                return 2;
            }

            if (words.Count == 0)
            {
                return 0;
            }

            if (!_commands.TryGetValue(words[0], out IShellCommand? command))
            {
                output.WriteLine($"{words[0]}: command not found (type 'help' for the list)");
                return 127;
            }

            var arguments = new string[words.Count - 1];
            for (int i = 1; i < words.Count; i++)
            {
                arguments[i - 1] = words[i];
            }

            try
            {
                return command.Execute(arguments, output);
            }
            catch (Exception error)
            {
                output.WriteLine($"{command.Name}: {error.GetType().Name}: {error.Message}");
                return 1;
            }
        }

        /// <summary>Prompts, reads and runs lines from <paramref name="input"/> until it ends.</summary>
        public void Run(TextReader input, TextWriter output)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(output);
            while (true)
            {
                output.Write(Prompt);
                string? line = input.ReadLine();
                if (line == null)
                {
                    return;
                }

                Execute(line, output);
            }
        }
    }
}
