using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Cosmos.System.Shell;

namespace Cosmos.Fuzz.Harnesses
{
    /// <summary>
    /// The shell's command-line parser. <see cref="CommandLine.Split"/> documents <see cref="FormatException"/> for an
    /// unclosed quote or a trailing backslash; <see cref="CommandShell.Execute"/> documents nothing (it reports every
    /// error as a message and an exit status).
    /// </summary>
    internal static class ShellHarnesses
    {
        public static IEnumerable<Harness> All()
        {
            yield return new Harness("shell", "CommandLine.Split on the input as UTF-8, then CommandShell.Execute of the same line (words passed on unchanged)",
                Shell, typeof(FormatException));
        }

        private static void Shell(byte[] input)
        {
            string line = Encoding.UTF8.GetString(input);
            var shell = new CommandShell();
            var recorder = new RecordingCommand();
            shell.Register(recorder);
            int status = shell.Execute("record " + line, TextWriter.Null);
            IReadOnlyList<string> words = CommandLine.Split(line);   // throws FormatException when Execute said "syntax error"
            if (status != 0 || recorder.Arguments == null || recorder.Arguments.Count != words.Count)
            {
                throw new FuzzFindingException($"the shell ran 'record' with status {status} and {recorder.Arguments?.Count} words; Split gave {words.Count}");
            }

            for (int i = 0; i < words.Count; i++)
            {
                if (!string.Equals(words[i], recorder.Arguments[i], StringComparison.Ordinal))
                {
                    throw new FuzzFindingException($"word {i}: Split gave '{words[i]}', the command got '{recorder.Arguments[i]}'");
                }
            }
        }

        private sealed class RecordingCommand : IShellCommand
        {
            public IReadOnlyList<string>? Arguments { get; private set; }

            public string Name => "record";

            public string Summary => "record ARGS...: remembers its arguments";

            public int Execute(IReadOnlyList<string> arguments, TextWriter output)
            {
                Arguments = arguments;
                return 0;
            }
        }
    }
}
