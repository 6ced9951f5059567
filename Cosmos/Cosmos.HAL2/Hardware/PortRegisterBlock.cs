using System;
using Cosmos.Core;

namespace Cosmos.HAL.Hardware
{
    /// <summary>An I/O port range (an I/O BAR, a legacy device): in/out instructions after a bounds check.</summary>
    public sealed class PortRegisterBlock : IRegisterBlock
    {
        private readonly ushort _firstPort;

        /// <summary>Ports <paramref name="firstPort"/> .. <paramref name="firstPort"/> + <paramref name="length"/> - 1.</summary>
        public PortRegisterBlock(ushort firstPort, ushort length)
        {
            if (length == 0 || firstPort + length > 0x10000)
            {
                throw new ArgumentException($"port range 0x{firstPort:x}+0x{length:x} is empty or past 0xffff");
            }

            _firstPort = firstPort;
            Length = length;
        }

        /// <summary>The first port.</summary>
        public ushort FirstPort => _firstPort;

        /// <inheritdoc />
        public string Description => $"io 0x{_firstPort:x}+0x{Length:x}";

        /// <inheritdoc />
        public ulong Length { get; }

        /// <inheritdoc />
        public byte Read8(ulong offset) => Native.InB(Port(offset, 1));

        /// <inheritdoc />
        public ushort Read16(ulong offset) => Native.InW(Port(offset, 2));

        /// <inheritdoc />
        public uint Read32(ulong offset) => Native.InD(Port(offset, 4));

        /// <inheritdoc />
        public void Write8(ulong offset, byte value) => Native.OutB(Port(offset, 1), value);

        /// <inheritdoc />
        public void Write16(ulong offset, ushort value) => Native.OutW(Port(offset, 2), value);

        /// <inheritdoc />
        public void Write32(ulong offset, uint value) => Native.OutD(Port(offset, 4), value);

        private ushort Port(ulong offset, int width)
        {
            RegisterWindowBounds.Check(this, offset, width);
            return (ushort)(_firstPort + (ushort)offset);
        }
    }
}
