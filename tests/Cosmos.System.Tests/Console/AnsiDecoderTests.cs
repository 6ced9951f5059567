using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cosmos.System.Console;
using CsCheck;
using Xunit;

namespace Cosmos.System.Tests.Console
{
    /// <summary>
    /// The ANSI decoder both cell consoles share, on a grid that records what it is told: text, C0 controls, SGR,
    /// cursor movement, ED and EL; sequences split between writes, malformed, truncated and overlong ones.
    /// </summary>
    public class AnsiDecoderTests
    {
        private sealed class RecordingGrid(int columns, int rows) : ICharacterGrid
        {
            public int Columns => columns;

            public int Rows => rows;

            public List<string> Calls { get; } = new();

            public void Draw(char c, int column, int row, int foreground, int background)
            {
                Assert.InRange(column, 0, Columns - 1);
                Assert.InRange(row, 0, Rows - 1);
                Calls.Add($"draw {c} {column},{row} {foreground}/{background}");
            }

            public void ScrollUp(int background) => Calls.Add($"scroll {background}");

            public void EraseInDisplay(EraseExtent extent, (int Column, int Row) cursor, int background) =>
                Calls.Add($"ed {extent} {cursor.Column},{cursor.Row} {background}");

            public void EraseInLine(EraseExtent extent, (int Column, int Row) cursor, int background) =>
                Calls.Add($"el {extent} {cursor.Column},{cursor.Row} {background}");

            // Just the characters drawn, in order.
            public string Text => string.Concat(Calls.Where(call => call.StartsWith("draw ", StringComparison.Ordinal)).Select(call => call[5]));
        }

        private static (RecordingGrid Grid, AnsiDecoder Decoder) Make(int columns = 10, int rows = 4) =>
            Make(new RecordingGrid(columns, rows));

        private static (RecordingGrid Grid, AnsiDecoder Decoder) Make(RecordingGrid grid) => (grid, new AnsiDecoder(grid));

        private static void Write(AnsiDecoder decoder, string text) => decoder.Write(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void TextIsDrawnInLightGreyOnBlackAndTheCursorFollows()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            Write(decoder, "ab");
            Assert.Equal(new[] { "draw a 0,0 7/0", "draw b 1,0 7/0" }, grid.Calls);
            Assert.Equal((2, 0), decoder.Cursor);
            Assert.Equal(GraphicRendition.Default, decoder.Rendition);
        }

        [Fact]
        public void LineFeedReturnsTheCarriageAndTheOtherControlsMoveTheCursor()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make(columns: 20);
            Write(decoder, "abc\nd");
            Assert.Equal((1, 1), decoder.Cursor);
            Write(decoder, "\r");
            Assert.Equal((0, 1), decoder.Cursor);
            Write(decoder, "\b");
            Assert.Equal((0, 1), decoder.Cursor);
            Write(decoder, "xy\b");
            Assert.Equal((1, 1), decoder.Cursor);
            Write(decoder, "\t");
            Assert.Equal((8, 1), decoder.Cursor);
            Write(decoder, "\t\t\t");
            Assert.Equal((19, 1), decoder.Cursor); // tab stops every 8 columns, the last column at most
            Write(decoder, "\a\u0001\u007f");      // BEL and other C0 controls draw nothing; DEL is drawn as it is
            Assert.Equal("abcdxy\u007f", grid.Text);
        }

        [Fact]
        public void ACharacterPastTheLastColumnWrapsAndALineFeedOnTheLastRowScrolls()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make(columns: 3, rows: 2);
            Write(decoder, "abc");
            Assert.Equal((3, 0), decoder.Cursor); // full line, the wrap still to come
            Write(decoder, "d");
            Assert.Equal("draw d 0,1 7/0", grid.Calls[^1]);
            Write(decoder, "\u001b[44m\n");
            Assert.Equal("scroll 4", grid.Calls[^1]); // the new line in the current background
            Assert.Equal((0, 1), decoder.Cursor);
        }

        [Fact]
        public void SgrSetsColoursBoldAndReverse()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make(columns: 40);
            Write(decoder, "\u001b[31;44mR\u001b[1mB\u001b[7mV\u001b[22;27mN\u001b[0mD\u001b[92;103mG\u001b[39;49mE\u001b[mF\u001b[1;93mY");
            Assert.Equal(
                new[] { "draw R 0,0 1/4", "draw B 1,0 9/4", "draw V 2,0 4/9", "draw N 3,0 1/4", "draw D 4,0 7/0", "draw G 5,0 10/11", "draw E 6,0 7/0", "draw F 7,0 7/0", "draw Y 8,0 11/0" },
                grid.Calls);
        }

        [Fact]
        public void AnEmptySgrParameterResetsAndUnknownOrInvalidOnesAreIgnored()
        {
            (_, AnsiDecoder decoder) = Make();
            Write(decoder, "\u001b[31;;1m");
            Assert.Equal(GraphicRendition.Default with { Bold = true }, decoder.Rendition);
            Write(decoder, "\u001b[32;38;5;196;4;?35;3?4;99999999999;45m");
            Assert.Equal(new GraphicRendition(2, 5, true, false), decoder.Rendition);
        }

        // On a 10x5 grid.
        [Theory]
        [InlineData("\u001b[3;4H", 3, 2)]
        [InlineData("\u001b[3;4H\u001b[A", 3, 1)]
        [InlineData("\u001b[3;4H\u001b[0B", 3, 3)]          // 0 counts as 1
        [InlineData("\u001b[3;4H\u001b[2C\u001b[D", 4, 2)]
        [InlineData("\u001b[3;4H\u001b[99A\u001b[99D", 0, 0)] // movement stops at the edges
        [InlineData("\u001b[3;4H\u001b[99B\u001b[99C", 9, 4)]
        [InlineData("\u001b[3;4H\u001b[H", 0, 0)]           // CUP without parameters: home
        [InlineData("\u001b[;7f", 6, 0)]                   // a missing row: the first
        [InlineData("\u001b[80;80H", 9, 4)]
        [InlineData("abc\u001b[3C", 6, 0)]
        [InlineData("0123456789\u001b[C", 9, 0)]           // from the wrap position back onto the grid
        [InlineData("0123456789\u001b[D", 9, 0)]
        [InlineData("\u001b[3;3H\u001b[2147483647B\u001b[2147483647C", 9, 4)] // near int.MaxValue: the edge, not a wrap below 0
        [InlineData("\u001b[3;3H\u001b[2147483647A\u001b[2147483647D", 0, 0)]
        [InlineData("\u001b[3;3H\u001b[2147483648B", 2, 3)] // does not fit an int: the default, 1
        public void CursorMovesByItsCountAndStopsAtTheEdges(string input, int column, int row)
        {
            (_, AnsiDecoder decoder) = Make(columns: 10, rows: 5);
            Write(decoder, input);
            Assert.Equal((column, row), decoder.Cursor);
        }

        [Fact]
        public void EraseReportsItsExtentWithTheCursorAndTheBackground()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            Write(decoder, "\u001b[2;4H\u001b[41m\u001b[J\u001b[1J\u001b[0K\u001b[1K\u001b[2K\u001b[3K\u001b[?1K");
            Assert.Equal(
                new[] { "ed ToEnd 3,1 1", "ed ToStart 3,1 1", "el ToEnd 3,1 1", "el ToStart 3,1 1", "el All 3,1 1", "el All 3,1 1", "el ToEnd 3,1 1" },
                grid.Calls);
            Assert.Equal((3, 1), decoder.Cursor);
        }

        [Theory]
        [InlineData("2")]
        [InlineData("3")]
        [InlineData("9")]
        public void EraseInDisplayOfEverythingHomesTheCursor(string parameter)
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            Write(decoder, $"\u001b[2;4H\u001b[{parameter}J");
            Assert.Equal("ed All 3,1 0", Assert.Single(grid.Calls));
            Assert.Equal((0, 0), decoder.Cursor);
        }

        [Fact]
        public void OtherSequencesAndEscapesAreSwallowed()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make(columns: 20);
            // Unknown CSI finals and private modes go whole; ESC followed by anything but '[' takes that one
            // character with it (a second ESC included, so "ESC ESC X" shows X; "ESC ( B" shows B).
            Write(decoder, "a\u001b[?25hb\u001b[5nc\u001bcd\u001b\u001bXe\u001b(Bf");
            Assert.Equal("abcdXeBf", grid.Text);
            Assert.Equal(GraphicRendition.Default, decoder.Rendition);
        }

        [Fact]
        public void AControlCharacterInsideASequenceEndsItUnexecuted()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            // The line feed is the first sequence's final character (no colour, no new line); the ESC ends the
            // second, so "[32mG" is text.
            Write(decoder, "\u001b[31\nR\u001b[2\u001b[32mG");
            Assert.Equal("R[32mG", grid.Text);
            Assert.Equal("draw R 0,0 7/0", grid.Calls[0]);
            Assert.Equal((6, 0), decoder.Cursor);
        }

        [Fact]
        public void SequencesAndCharactersSplitBetweenWritesAreKept()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            byte[] bytes = Encoding.UTF8.GetBytes("\u001b[1;31mé\u001b[2;3H€");
            foreach (byte b in bytes)
            {
                decoder.Write(new[] { b });
            }

            Assert.Equal(new[] { "draw é 0,0 9/0", "draw € 2,1 9/0" }, grid.Calls);
        }

        [Fact]
        public void ASequenceTruncatedAtTheEndOfAWriteGoesOnInTheNext()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            Write(decoder, "\u001b");
            Write(decoder, "[3");
            Write(decoder, "2");
            Assert.Empty(grid.Calls);
            Write(decoder, "mG");
            Assert.Equal("draw G 0,0 2/0", Assert.Single(grid.Calls));
        }

        [Fact]
        public void AFourByteCharacterCompletedAtTheStartOfALongWriteIsDecoded()
        {
            // The bytes kept from one write make two characters from one byte of the next: 257 characters from 256 bytes.
            (RecordingGrid grid, AnsiDecoder decoder) = Make(columns: 300, rows: 2);
            byte[] smiley = Encoding.UTF8.GetBytes("\U0001F600");
            decoder.Write(smiley.AsSpan(0, 3));
            byte[] rest = new byte[256];
            rest[0] = smiley[3];
            rest.AsSpan(1).Fill((byte)'a');
            decoder.Write(rest);
            Assert.Equal("\U0001F600" + new string('a', 255), grid.Text);
        }

        [Fact]
        public void OverlongParametersAreInvalidAndTakeTheDefault()
        {
            (RecordingGrid grid, AnsiDecoder decoder) = Make();
            Write(decoder, "\u001b[3;3H\u001b[" + new string('9', 100_000) + "A\u001b[" + new string('0', 100_000) + "31mR");
            Assert.Equal("draw R 2,1 1/0", Assert.Single(grid.Calls)); // up by the default 1; leading zeros only: 31
            Assert.Equal((3, 1), decoder.Cursor);
        }

        [Fact]
        public void ParametersPastTheSixteenthAreDropped()
        {
            (_, AnsiDecoder decoder) = Make();
            Write(decoder, "\u001b[" + string.Concat(Enumerable.Repeat("0;", AnsiDecoder.MaxParameters - 1)) + "31m");
            Assert.Equal(1, decoder.Rendition.Foreground);
            Write(decoder, "\u001b[" + string.Concat(Enumerable.Repeat("0;", AnsiDecoder.MaxParameters)) + "32m");
            Assert.Equal(GraphicRendition.Default, decoder.Rendition);
            Write(decoder, "\u001b[" + string.Concat(Enumerable.Repeat("1;", 100_000)) + "34mX");
            Assert.Equal(GraphicRendition.Default with { Bold = true }, decoder.Rendition);
        }

        [Fact]
        public void AnyInputKeepsTheCursorOnTheGridAndNeverThrows()
        {
            // Mostly sequence material, so that random input is mostly sequences and their fragments.
            Gen<string> text = Gen.OneOf(
                "\u001b", "[", ";", "?", "0", "1", "2", "3", "4", "7", "9", "99999999999", "2147483647", "A", "B", "C", "D", "H", "f", "J", "K", "m", "h",
                "\n", "\r", "\b", "\t", "\a", "x", "é", "\U0001F600", "\u007f").Array[0, 200].Select(string.Concat);
            Gen.Select(text, Gen.Int[1, 12], Gen.Int[1, 6]).Sample((input, columns, rows) =>
            {
                (RecordingGrid grid, AnsiDecoder decoder) = Make(columns, rows);
                Write(decoder, input);
                Assert.InRange(decoder.Cursor.Column, 0, columns);
                Assert.InRange(decoder.Cursor.Row, 0, rows - 1);
                (int foreground, int background) = decoder.Rendition.Colours;
                Assert.InRange(foreground, 0, 15);
                Assert.InRange(background, 0, 15);
            });
        }

        [Fact]
        public void RandomBytesNeverThrow()
        {
            Gen.Byte.Array[0, 600].Array[1, 4].Sample(writes =>
            {
                (_, AnsiDecoder decoder) = Make(columns: 7, rows: 3);
                foreach (byte[] bytes in writes)
                {
                    decoder.Write(bytes);
                }

                Assert.InRange(decoder.Cursor.Row, 0, 2);
            });
        }
    }
}
