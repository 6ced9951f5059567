using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Tests.Fakes
{
    /// <summary>An <see cref="IRegisterBlock"/> over part of a simulated register space (a BAR, an MMIO window).</summary>
    internal sealed class RegisterWindow : IRegisterBlock
    {
        private readonly IRegisterSpace _space;
        private readonly ulong _base;

        public RegisterWindow(IRegisterSpace space, ulong baseOffset, ulong length, string description)
        {
            _space = space;
            _base = baseOffset;
            Length = length;
            Description = description;
        }

        public string Description { get; }

        public ulong Length { get; }

        public byte Read8(ulong offset) => (byte)_space.Read(At(offset, 1), 1);

        public ushort Read16(ulong offset) => (ushort)_space.Read(At(offset, 2), 2);

        public uint Read32(ulong offset) => (uint)_space.Read(At(offset, 4), 4);

        public void Write8(ulong offset, byte value) => _space.Write(At(offset, 1), 1, value);

        public void Write16(ulong offset, ushort value) => _space.Write(At(offset, 2), 2, value);

        public void Write32(ulong offset, uint value) => _space.Write(At(offset, 4), 4, value);

        private ulong At(ulong offset, int width)
        {
            if (offset + (ulong)width > Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"{Description}: {width}-byte access at 0x{offset:x} beyond 0x{Length:x}");
            }

            return _base + offset;
        }
    }
}
