using System.Text;
using Cosmos.System.Console;
using Xunit;

namespace Cosmos.System.Tests
{
    public class LineEditorTests
    {
        private static (string? Line, string Echo) Type(LineEditor editor, string keys)
        {
            var echo = new StringBuilder();
            editor.Echo = text => echo.Append(text);
            string? line = null;
            foreach (byte b in Encoding.UTF8.GetBytes(keys))
            {
                line = editor.Feed(b) ?? line;
            }

            return (line, echo.ToString());
        }

        [Fact]
        public void EnterCompletesTheLineAndEchoesIt()
        {
            var (line, echo) = Type(new LineEditor(), "help\r");
            Assert.Equal("help", line);
            Assert.Equal("help\n", echo);
        }

        [Fact]
        public void BackspaceErases()
        {
            Assert.Equal("hell", Type(new LineEditor(), "helo\u007fl\r").Line);
            Assert.Equal("abd", Type(new LineEditor(), "abc\bd\r").Line);
        }

        [Fact]
        public void BackspaceAtStartDoesNothing()
        {
            Assert.Equal("x", Type(new LineEditor(), "\x7f\x7fx\r").Line);
        }

        [Fact]
        public void LeftArrowInsertsInTheMiddle()
        {
            Assert.Equal("abXc", Type(new LineEditor(), "abc\x1b[DX\r").Line);
        }

        [Fact]
        public void HomeEndAndDelete()
        {
            Assert.Equal("Xbc", Type(new LineEditor(), "abc\x1b[H\x1b[3~X\r").Line);
            Assert.Equal("abcZ", Type(new LineEditor(), "abc\x01\x05Z\r").Line);
        }

        [Fact]
        public void UpArrowRecallsHistory()
        {
            var editor = new LineEditor();
            Type(editor, "first\r");
            Type(editor, "second\r");
            Assert.Equal("second", Type(editor, "\x1b[A\r").Line);
            Assert.Equal("first", Type(editor, "\x1b[A\x1b[A\r").Line);
            Assert.Equal("", Type(editor, "\x1b[A\x1b[B\r").Line);
            Assert.Equal(new[] { "first", "second", "first" }, editor.History);
        }

        [Fact]
        public void CtrlUClearsTheLine()
        {
            Assert.Equal("new", Type(new LineEditor(), "old\x15new\r").Line);
        }

        [Fact]
        public void Utf8CharactersAreAssembled()
        {
            Assert.Equal("grüße €", Type(new LineEditor(), "grüße €\r").Line);
        }

        [Fact]
        public void MalformedUtf8IsDroppedNotFatal()
        {
            var editor = new LineEditor();
            string? line = null;
            foreach (byte b in new byte[] { 0xC3, (byte)'a', 0xFF, (byte)'b', (byte)'\r' })
            {
                line = editor.Feed(b) ?? line;
            }

            Assert.Equal("ab", line);
        }

        [Fact]
        public void ControlCharactersAreIgnored()
        {
            Assert.Equal("ab", Type(new LineEditor(), "a\u0007\u0002b\r").Line);
        }
    }
}
