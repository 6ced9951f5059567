using System;

namespace Cosmos.HAL.Pci
{
    /// <summary>One function's configuration space through a mechanism, with offsets checked (in range, naturally aligned).</summary>
    public sealed class PciConfigSpace : IPciConfigSpace
    {
        private readonly IPciConfigAccess _access;
        private readonly PciAddress _address;

        /// <summary>The configuration space of <paramref name="address"/>.</summary>
        public PciConfigSpace(IPciConfigAccess access, PciAddress address)
        {
            _access = access ?? throw new ArgumentNullException(nameof(access));
            _address = address;
        }

        /// <summary>Bytes of configuration space reachable.</summary>
        public int Size => _access.ConfigSpaceSize;

        /// <inheritdoc />
        public byte Read8(int offset) => _access.Read8(_address, Check(offset, 1));

        /// <inheritdoc />
        public ushort Read16(int offset) => _access.Read16(_address, Check(offset, 2));

        /// <inheritdoc />
        public uint Read32(int offset) => _access.Read32(_address, Check(offset, 4));

        /// <inheritdoc />
        public void Write8(int offset, byte value) => _access.Write8(_address, Check(offset, 1), value);

        /// <inheritdoc />
        public void Write16(int offset, ushort value) => _access.Write16(_address, Check(offset, 2), value);

        /// <inheritdoc />
        public void Write32(int offset, uint value) => _access.Write32(_address, Check(offset, 4), value);

        private int Check(int offset, int width)
        {
            if (offset < 0 || offset > _access.ConfigSpaceSize - width || (offset & (width - 1)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(offset),
                    $"{_address}: {width}-byte config access at 0x{offset:x} (space is 0x{_access.ConfigSpaceSize:x} bytes, naturally aligned)");
            }

            return offset;
        }
    }
}
