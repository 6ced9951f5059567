using System;
using Cosmos.System.Shell;
using Xunit;

namespace Cosmos.System.Tests
{
    public class CommandLineTests
    {
        [Theory]
        [InlineData("", new string[0])]
        [InlineData("   ", new string[0])]
        [InlineData("help", new[] { "help" })]
        [InlineData("  echo   a  b ", new[] { "echo", "a", "b" })]
        [InlineData("echo \"hi  there\" x", new[] { "echo", "hi  there", "x" })]
        [InlineData("echo 'a \"b\" c'", new[] { "echo", "a \"b\" c" })]
        [InlineData("echo a\\ b", new[] { "echo", "a b" })]
        [InlineData("echo \"\"", new[] { "echo", "" })]
        [InlineData("write f \"x\"y", new[] { "write", "f", "xy" })]
        [InlineData("tab\tseparated", new[] { "tab", "separated" })]
        public void SplitsIntoWords(string line, string[] expected)
        {
            Assert.Equal(expected, CommandLine.Split(line));
        }

        [Theory]
        [InlineData("echo \"open", "\"")]
        [InlineData("echo 'open", "'")]
        public void UnclosedQuoteIsAFormatErrorNamingTheQuote(string line, string quote)
        {
            var error = Assert.Throws<FormatException>(() => CommandLine.Split(line));
            Assert.Contains(quote, error.Message);
        }

        [Fact]
        public void TrailingBackslashIsAFormatError()
        {
            Assert.Throws<FormatException>(() => CommandLine.Split("echo a\\"));
        }
    }
}
