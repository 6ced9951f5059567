namespace Cosmos.Drivers.Ps2
{
    /// <summary>
    /// One standard PS/2 mouse packet, with evdev's direction: <see cref="DeltaY"/> grows downwards (the mouse
    /// reports upwards motion as positive). An axis whose overflow bit was set reports 0: its 9-bit value is
    /// not the motion.
    /// </summary>
    /// <param name="Buttons">Bit 0 left, bit 1 right, bit 2 middle.</param>
    /// <param name="DeltaX">Motion to the right.</param>
    /// <param name="DeltaY">Motion downwards.</param>
    /// <param name="Overflowed">True when the mouse set an overflow bit (the motion was larger than it could say).</param>
    public readonly record struct Ps2MousePacket(int Buttons, int DeltaX, int DeltaY, bool Overflowed);

    /// <summary>
    /// Assembles the standard 3-byte packets of a PS/2 mouse: byte 0 holds the buttons (bits 0-2), an
    /// always-one bit (3), the X and Y sign bits (4, 5) and overflow bits (6, 7); bytes 1 and 2 are the low
    /// eight bits of the 9-bit two's-complement X and Y motion. A stream that lost a byte is found out by the
    /// always-one bit: a would-be first byte without it is dropped (and counted) until one with it comes.
    /// </summary>
    public sealed class Ps2MousePacketDecoder
    {
        private const byte AlwaysOne = 0x08, SignX = 0x10, SignY = 0x20, OverflowX = 0x40, OverflowY = 0x80;

        private readonly byte[] _packet = new byte[3];
        private int _count;

        /// <summary>Bytes dropped to find the start of a packet again.</summary>
        public long DesynchronisedBytes { get; private set; }

        /// <summary>Feeds one byte; true with the packet when it completed one.</summary>
        public bool Feed(byte value, out Ps2MousePacket packet)
        {
            packet = default;
            if (_count == 0 && (value & AlwaysOne) == 0)
            {
                DesynchronisedBytes++;
                return false;
            }

            _packet[_count++] = value;
            if (_count < 3)
            {
                return false;
            }

            _count = 0;
            byte flags = _packet[0];
            int dx = _packet[1] - ((flags & SignX) != 0 ? 0x100 : 0);
            int dy = _packet[2] - ((flags & SignY) != 0 ? 0x100 : 0);
            bool overflowX = (flags & OverflowX) != 0, overflowY = (flags & OverflowY) != 0;
            packet = new Ps2MousePacket(flags & 0x07, overflowX ? 0 : dx, overflowY ? 0 : -dy, overflowX || overflowY);
            return true;
        }

        /// <summary>Forgets a partial packet (after the mouse was reset or re-enabled).</summary>
        public void Reset() => _count = 0;
    }
}
