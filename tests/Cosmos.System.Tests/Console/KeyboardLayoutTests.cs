using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.System.Console.Keyboard;
using Xunit;

namespace Cosmos.System.Tests.Console
{
    /// <summary>Key codes and modifiers to the bytes a terminal receives, per layout.</summary>
    public class KeyboardLayoutTests
    {
        private const int Shift = KeyCodes.LeftShift, AltGr = KeyCodes.RightAlt, Ctrl = KeyCodes.LeftCtrl;

        // Presses the keys in order (modifiers held), releases them in reverse, returns what was typed.
        private static string Type(string layout, params int[] keys)
        {
            var state = new KeyboardState(KeyboardLayout.Find(layout)!);
            var typed = new StringBuilder();
            foreach (int key in keys)
            {
                typed.Append(Encoding.UTF8.GetString(state.Press(key, 1, out _)));
            }

            for (int i = keys.Length - 1; i >= 0; i--)
            {
                typed.Append(Encoding.UTF8.GetString(state.Press(keys[i], 0, out _)));
            }

            return typed.ToString();
        }

        [Theory]
        [InlineData("us", 21, "y")]
        [InlineData("de", 21, "z")]
        [InlineData("de", 44, "y")]
        [InlineData("fr", 16, "a")]
        [InlineData("fr", 30, "q")]
        [InlineData("fr", 39, "m")]
        [InlineData("fr", 2, "&")]
        [InlineData("fr", 3, "é")]
        [InlineData("de", 39, "ö")]
        [InlineData("de", 12, "ß")]
        [InlineData("gb", 43, "#")]
        [InlineData("us", 43, "\\")]
        [InlineData("de", 86, "<")]
        [InlineData("us", 57, " ")]
        public void UnshiftedKeys(string layout, int key, string expected) => Assert.Equal(expected, Type(layout, key));

        [Theory]
        [InlineData("us", 3, "@")]
        [InlineData("gb", 3, "\"")]
        [InlineData("gb", 4, "£")]
        [InlineData("gb", 40, "@")]
        [InlineData("de", 3, "\"")]
        [InlineData("de", 8, "/")]
        [InlineData("de", 12, "?")]
        [InlineData("fr", 2, "1")]
        [InlineData("fr", 50, "?")]
        [InlineData("fr", 51, ".")]
        [InlineData("us", 30, "A")]
        [InlineData("de", 40, "Ä")]
        public void ShiftedKeys(string layout, int key, string expected) => Assert.Equal(expected, Type(layout, Shift, key));

        [Theory]
        [InlineData("de", 16, "@")]
        [InlineData("de", 18, "€")]
        [InlineData("de", 8, "{")]
        [InlineData("de", 12, "\\")]
        [InlineData("de", 86, "|")]
        [InlineData("fr", 11, "@")]
        [InlineData("fr", 4, "#")]
        [InlineData("gb", 5, "€")]
        [InlineData("us", 16, "")]
        public void AltGrKeys(string layout, int key, string expected) => Assert.Equal(expected, Type(layout, AltGr, key));

        [Fact]
        public void CapsLockShiftsLettersOnlyAndReportsTheLedChange()
        {
            var state = new KeyboardState(new UsKeyboardLayout());
            Assert.Empty(state.Press(KeyCodes.CapsLock, 1, out bool changed));
            Assert.True(changed);
            Assert.Equal(KeyboardLeds.NumLock | KeyboardLeds.CapsLock, state.Locks);
            state.Press(KeyCodes.CapsLock, 0, out bool releaseChanged);
            Assert.False(releaseChanged);
            Assert.Equal("A", Encoding.UTF8.GetString(state.Press(30, 1, out _)));
            Assert.Equal("1", Encoding.UTF8.GetString(state.Press(2, 1, out _)));
            state.Press(Shift, 1, out _);
            Assert.Equal("a", Encoding.UTF8.GetString(state.Press(30, 1, out _)));

            var fr = new KeyboardState(new FrKeyboardLayout());
            fr.Press(KeyCodes.CapsLock, 1, out _);
            Assert.Equal("é", Encoding.UTF8.GetString(fr.Press(3, 1, out _))); // é's key shifts to 2, not É
            Assert.Equal("A", Encoding.UTF8.GetString(fr.Press(16, 1, out _)));
        }

        [Fact]
        public void ControlAndEditingKeysBecomeTerminalBytes()
        {
            Assert.Equal("\u0003", Type("us", Ctrl, 46)); // Ctrl+C
            Assert.Equal("\u0001", Type("fr", Ctrl, 16)); // Ctrl+A on AZERTY's A key
            Assert.Equal("\r", Type("us", KeyCodes.Enter));
            Assert.Equal("\u007f", Type("us", KeyCodes.Backspace));
            Assert.Equal("\u001b[A", Type("us", KeyCodes.Up));
            Assert.Equal("\u001b[D", Type("us", KeyCodes.Left));
            Assert.Equal("\u001b[3~", Type("us", KeyCodes.Delete));
            Assert.Equal("\u001b[H", Type("us", KeyCodes.Home));
            Assert.Equal("", Type("us", Shift));
        }

        [Fact]
        public void TheKeypadTypesDigitsWithNumLockAndMovesWithout()
        {
            var state = new KeyboardState(new UsKeyboardLayout());
            Assert.Equal("7", Encoding.UTF8.GetString(state.Press(KeyCodes.Keypad7, 1, out _)));
            Assert.Equal(".", Encoding.UTF8.GetString(state.Press(KeyCodes.KeypadDot, 1, out _)));
            state.Press(KeyCodes.NumLock, 1, out bool changed);
            Assert.True(changed);
            Assert.Equal("\u001b[H", Encoding.UTF8.GetString(state.Press(KeyCodes.Keypad7, 1, out _)));
            Assert.Equal("\u001b[A", Encoding.UTF8.GetString(state.Press(72, 1, out _)));
        }

        [Fact]
        public void RepeatTypesAgainAndReleaseTypesNothing()
        {
            var state = new KeyboardState(new UsKeyboardLayout());
            Assert.Equal("x", Encoding.UTF8.GetString(state.Press(45, 1, out _)));
            Assert.Equal("x", Encoding.UTF8.GetString(state.Press(45, 2, out _)));
            Assert.Empty(state.Press(45, 0, out _));
        }

        [Fact]
        public void EveryLayoutIsFoundByName()
        {
            foreach (string name in new[] { "us", "gb", "de", "fr", "DE" })
            {
                Assert.NotNull(KeyboardLayout.Find(name));
            }

            Assert.Null(KeyboardLayout.Find("xx"));
        }
    }
}
