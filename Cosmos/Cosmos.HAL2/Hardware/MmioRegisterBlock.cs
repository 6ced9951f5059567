using System;
using System.Threading;

namespace Cosmos.HAL.Hardware
{
    /// <summary>
    /// Memory-mapped registers: a window already mapped uncached (Cosmos.Core's Paging.MapMmio)
    /// or, in host tests, any native memory. Every access is a single volatile load or store of
    /// the width asked for, after a bounds check.
    /// </summary>
    public sealed unsafe class MmioRegisterBlock : IRegisterBlock
    {
        private readonly byte* _address;

        /// <summary>A window of <paramref name="length"/> bytes whose kernel address is <paramref name="address"/>.</summary>
        public MmioRegisterBlock(ulong physicalAddress, nint address, ulong length)
        {
            if (address == 0 || length == 0)
            {
                throw new ArgumentException($"mmio window 0x{physicalAddress:x}+0x{length:x} needs an address and a length");
            }

            PhysicalAddress = physicalAddress;
            _address = (byte*)address;
            Length = length;
        }

        /// <summary>The bus address of the window's first register.</summary>
        public ulong PhysicalAddress { get; }

        /// <inheritdoc />
        public string Description => $"mmio 0x{PhysicalAddress:x}+0x{Length:x}";

        /// <inheritdoc />
        public ulong Length { get; }

        /// <inheritdoc />
        public byte Read8(ulong offset)
        {
            RegisterWindowBounds.Check(this, offset, 1);
            return Volatile.Read(ref *(_address + offset));
        }

        /// <inheritdoc />
        public ushort Read16(ulong offset)
        {
            RegisterWindowBounds.Check(this, offset, 2);
            return Volatile.Read(ref *(ushort*)(_address + offset));
        }

        /// <inheritdoc />
        public uint Read32(ulong offset)
        {
            RegisterWindowBounds.Check(this, offset, 4);
            return Volatile.Read(ref *(uint*)(_address + offset));
        }

        /// <inheritdoc />
        public void Write8(ulong offset, byte value)
        {
            RegisterWindowBounds.Check(this, offset, 1);
            Volatile.Write(ref *(_address + offset), value);
        }

        /// <inheritdoc />
        public void Write16(ulong offset, ushort value)
        {
            RegisterWindowBounds.Check(this, offset, 2);
            Volatile.Write(ref *(ushort*)(_address + offset), value);
        }

        /// <inheritdoc />
        public void Write32(ulong offset, uint value)
        {
            RegisterWindowBounds.Check(this, offset, 4);
            Volatile.Write(ref *(uint*)(_address + offset), value);
        }
    }
}
