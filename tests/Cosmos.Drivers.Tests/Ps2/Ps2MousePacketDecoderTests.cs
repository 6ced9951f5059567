using System.Collections.Generic;
using Cosmos.Drivers.Ps2;
using Xunit;

namespace Cosmos.Drivers.Tests.Ps2
{
    /// <summary>The standard 3-byte packet: 9-bit signed motion, evdev's downward Y, buttons, overflow, and a stream that lost bytes.</summary>
    public class Ps2MousePacketDecoderTests
    {
        private static List<Ps2MousePacket> Decode(Ps2MousePacketDecoder decoder, params byte[] bytes)
        {
            var packets = new List<Ps2MousePacket>();
            foreach (byte b in bytes)
            {
                if (decoder.Feed(b, out Ps2MousePacket packet))
                {
                    packets.Add(packet);
                }
            }

            return packets;
        }

        private static List<Ps2MousePacket> Decode(params byte[] bytes) => Decode(new Ps2MousePacketDecoder(), bytes);

        [Fact]
        public void PositiveMotionIsRightAndUpwardsWhichIsNegativeYInEvdev()
        {
            Assert.Equal(new[] { new Ps2MousePacket(0, 10, -5, false) }, Decode(0x08, 0x0A, 0x05));
        }

        [Fact]
        public void SignBitsMakeNineBitNegativeMotion()
        {
            // X -10 (sign + 0xF6), Y -5 (sign + 0xFB: the mouse moved down, evdev +5); and the extremes, -256 and +255.
            Assert.Equal(new[] { new Ps2MousePacket(0, -10, 5, false), new Ps2MousePacket(0, -256, -255, false) }, Decode(0x38, 0xF6, 0xFB, 0x18, 0x00, 0xFF));
        }

        [Theory]
        [InlineData(0x09, 1)] // left
        [InlineData(0x0A, 2)] // right
        [InlineData(0x0C, 4)] // middle
        [InlineData(0x0F, 7)]
        public void ButtonsAreTheLowThreeBits(byte first, int buttons)
        {
            Assert.Equal(new[] { new Ps2MousePacket(buttons, 0, 0, false) }, Decode(first, 0x00, 0x00));
        }

        [Fact]
        public void AnOverflowedAxisReportsNoMotionButKeepsButtonsAndTheOtherAxis()
        {
            Assert.Equal(new[] { new Ps2MousePacket(1, 0, -3, true) }, Decode(0x49, 0xFF, 0x03));
            Assert.Equal(new[] { new Ps2MousePacket(0, 7, 0, true) }, Decode(0x88, 0x07, 0xFF));
        }

        [Fact]
        public void BytesWithoutTheAlwaysOneBitCannotStartAPacketAndAreCounted()
        {
            var decoder = new Ps2MousePacketDecoder();
            Assert.Equal(new[] { new Ps2MousePacket(0, 1, -2, false) }, Decode(decoder, 0x00, 0x05, 0x08, 0x01, 0x02));
            Assert.Equal(2, decoder.DesynchronisedBytes);
        }

        [Fact]
        public void AStreamThatLostAByteComesBackIntoStep()
        {
            // Packets [08 0A 05] [09 00 00] [08 03 00] [08 04 00] with the 0x0A of the first lost: 08 05 09 is taken as one
            // (wrong) packet, the two zero bytes cannot start one and are dropped, and the rest decodes correctly.
            var decoder = new Ps2MousePacketDecoder();
            List<Ps2MousePacket> packets = Decode(decoder, 0x08, 0x05, 0x09, 0x00, 0x00, 0x08, 0x03, 0x00, 0x08, 0x04, 0x00);
            Assert.Equal(3, packets.Count);
            Assert.Equal(new Ps2MousePacket(0, 3, 0, false), packets[1]);
            Assert.Equal(new Ps2MousePacket(0, 4, 0, false), packets[2]);
            Assert.Equal(2, decoder.DesynchronisedBytes);
        }
    }
}
