using System.Collections.Generic;
using Cosmos.Drivers.Ps2;
using Xunit;

namespace Cosmos.Drivers.Tests.Ps2
{
    /// <summary>Set 1 (as a translating 8042 delivers set 2) to evdev key codes: make and break, 0xE0 keys, fake shifts, Pause, answers and garbage.</summary>
    public class ScanCodeSet1DecoderTests
    {
        private static List<(ScanCodeOutcome Outcome, KeyTransition Key)> Feed(params byte[] bytes)
        {
            var decoder = new ScanCodeSet1Decoder();
            var results = new List<(ScanCodeOutcome, KeyTransition)>();
            foreach (byte b in bytes)
            {
                ScanCodeOutcome outcome = decoder.Feed(b, out KeyTransition key);
                results.Add((outcome, key));
            }

            return results;
        }

        private static List<KeyTransition> Keys(params byte[] bytes)
        {
            var keys = new List<KeyTransition>();
            foreach ((ScanCodeOutcome outcome, KeyTransition key) in Feed(bytes))
            {
                if (outcome is ScanCodeOutcome.Key or ScanCodeOutcome.KeyPressedAndReleased)
                {
                    keys.Add(key);
                }
            }

            return keys;
        }

        [Theory]
        [InlineData(0x1E, 30)]  // A
        [InlineData(0x10, 16)]  // Q
        [InlineData(0x2C, 44)]  // Z
        [InlineData(0x1C, 28)]  // Enter
        [InlineData(0x2A, 42)]  // left shift
        [InlineData(0x36, 54)]  // right shift
        [InlineData(0x3A, 58)]  // Caps Lock
        [InlineData(0x45, 69)]  // Num Lock
        [InlineData(0x46, 70)]  // Scroll Lock
        [InlineData(0x53, 83)]  // keypad .
        [InlineData(0x56, 86)]  // the ISO key left of Z
        [InlineData(0x58, 88)]  // F12
        public void AMakeCodeIsTheKeyDownAndItsBreakCodeTheKeyUp(byte make, int code)
        {
            Assert.Equal(new[] { new KeyTransition((ushort)code, true), new KeyTransition((ushort)code, false) }, Keys(make, (byte)(make | 0x80)));
        }

        [Theory]
        [InlineData(0x48, 103)] // up
        [InlineData(0x50, 108)] // down
        [InlineData(0x4B, 105)] // left
        [InlineData(0x4D, 106)] // right
        [InlineData(0x47, 102)] // home
        [InlineData(0x53, 111)] // delete (not keypad .)
        [InlineData(0x1D, 97)]  // right ctrl (not left)
        [InlineData(0x38, 100)] // AltGr (not left alt)
        [InlineData(0x1C, 96)]  // keypad enter (not Enter)
        [InlineData(0x35, 98)]  // keypad /
        [InlineData(0x5B, 125)] // left meta
        public void ExtendedKeysAreTheirOwnKeysDownAndUp(byte code, int key)
        {
            Assert.Equal(
                new[] { new KeyTransition((ushort)key, true), new KeyTransition((ushort)key, false) },
                Keys(0xE0, code, 0xE0, (byte)(code | 0x80)));
        }

        [Fact]
        public void ThePrefixAppliesToOneCodeOnly()
        {
            // Right ctrl down, then (unprefixed) left ctrl down: two different keys.
            Assert.Equal(new[] { new KeyTransition(97, true), new KeyTransition(29, true) }, Keys(0xE0, 0x1D, 0x1D));
        }

        [Fact]
        public void FakeShiftsAroundPrintScreenAndTheNavigationBlockAreDropped()
        {
            Assert.Equal(new[] { new KeyTransition(99, true), new KeyTransition(99, false) }, Keys(0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA));
            Assert.Equal(new[] { new KeyTransition(111, true) }, Keys(0xE0, 0x2A, 0xE0, 0x53));
        }

        [Fact]
        public void PauseIsOneKeyPressedAndReleasedFromSixBytes()
        {
            List<(ScanCodeOutcome Outcome, KeyTransition Key)> results = Feed(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
            Assert.Single(results, r => r.Outcome == ScanCodeOutcome.KeyPressedAndReleased);
            Assert.Equal(ScanCodeOutcome.KeyPressedAndReleased, results[2].Outcome);
            Assert.Equal(ScanCodeSet1Decoder.KeyPause, results[2].Key.Code);
            Assert.DoesNotContain(results, r => r.Outcome is ScanCodeOutcome.Key or ScanCodeOutcome.Unknown);

            // And the stream is in step afterwards.
            Assert.Equal(new[] { new KeyTransition(30, true) }, Keys(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E).GetRange(1, 1));
        }

        [Theory]
        [InlineData(0xFA)] // ACK
        [InlineData(0xFE)] // resend
        [InlineData(0xEE)] // echo
        public void AnswersToCommandsAreNotKeys(byte answer)
        {
            Assert.Equal(ScanCodeOutcome.Ignored, Feed(answer)[0].Outcome);
        }

        [Theory]
        [InlineData(0x00)] // overrun / key detection error
        [InlineData(0xFF)]
        [InlineData(0x54)] // no key has these codes in set 1
        [InlineData(0x7F)]
        public void ErrorsAndCodesNoKeyHasAreUnknown(byte value)
        {
            Assert.Equal(ScanCodeOutcome.Unknown, Feed(value)[0].Outcome);
        }

        [Fact]
        public void AnExtendedCodeNoKeyHasIsUnknownAndTheNextKeyStillDecodes()
        {
            List<(ScanCodeOutcome Outcome, KeyTransition Key)> results = Feed(0xE0, 0x01, 0x1E);
            Assert.Equal(ScanCodeOutcome.Incomplete, results[0].Outcome);
            Assert.Equal(ScanCodeOutcome.Unknown, results[1].Outcome);
            Assert.Equal((ScanCodeOutcome.Key, new KeyTransition(30, true)), results[2]);
        }
    }
}
