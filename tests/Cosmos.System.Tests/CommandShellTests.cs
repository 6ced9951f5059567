using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.System.Shell;
using Xunit;

namespace Cosmos.System.Tests
{
    public class CommandShellTests
    {
        private sealed class RecordingCommand : IShellCommand
        {
            public List<IReadOnlyList<string>> Calls { get; } = new();

            public string Name => "rec";

            public string Summary => "rec";

            public int Execute(IReadOnlyList<string> arguments, TextWriter output)
            {
                Calls.Add(arguments);
                return 42;
            }
        }

        private sealed class ThrowingCommand : IShellCommand
        {
            public string Name => "boom";

            public string Summary => "boom";

            public int Execute(IReadOnlyList<string> arguments, TextWriter output) => throw new InvalidOperationException("it broke");
        }

        [Fact]
        public void RunsTheNamedCommandWithItsArguments()
        {
            var shell = new CommandShell();
            var command = new RecordingCommand();
            shell.Register(command);
            var output = new StringWriter();
            Assert.Equal(42, shell.Execute("rec a \"b c\"", output));
            Assert.Single(command.Calls);
            Assert.Equal(new[] { "a", "b c" }, command.Calls[0]);
        }

        [Fact]
        public void UnknownCommandIsNamedInTheMessage()
        {
            var shell = new CommandShell();
            var output = new StringWriter();
            Assert.Equal(127, shell.Execute("frobnicate now", output));
            Assert.Contains("frobnicate: command not found", output.ToString());
        }

        [Fact]
        public void CommandExceptionIsReportedAndTheShellGoesOn()
        {
            var shell = new CommandShell();
            shell.Register(new ThrowingCommand());
            var command = new RecordingCommand();
            shell.Register(command);
            var output = new StringWriter();
            Assert.Equal(1, shell.Execute("boom", output));
            Assert.Contains("boom: InvalidOperationException: it broke", output.ToString());
            Assert.Equal(42, shell.Execute("rec", output));
        }

        [Fact]
        public void SyntaxErrorIsReported()
        {
            var shell = new CommandShell();
            var output = new StringWriter();
            Assert.Equal(2, shell.Execute("echo \"unclosed", output));
            Assert.StartsWith("syntax error:", output.ToString());
        }

        [Fact]
        public void EmptyLineDoesNothing()
        {
            var shell = new CommandShell();
            var output = new StringWriter();
            Assert.Equal(0, shell.Execute("   ", output));
            Assert.Equal("", output.ToString());
        }

        [Fact]
        public void DuplicateRegistrationIsRejected()
        {
            var shell = new CommandShell();
            shell.Register(new RecordingCommand());
            Assert.Throws<ArgumentException>(() => shell.Register(new RecordingCommand()));
        }

        [Fact]
        public void RunReadsLinesUntilEndOfInput()
        {
            var shell = new CommandShell { Prompt = "$ " };
            var command = new RecordingCommand();
            shell.Register(command);
            var output = new StringWriter();
            shell.Run(new StringReader("rec 1\nrec 2\n"), output);
            Assert.Equal(2, command.Calls.Count);
            Assert.Equal("$ $ $ ", output.ToString());
        }
    }
}
