using System;
using System.Numerics;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// MSI (PCI Local Bus 3.0 §6.8.1): one address/data pair in configuration space. With
    /// multiple messages the device adds the message number to the data, so the vectors are a
    /// contiguous block aligned to its size and index i is vector first + i.
    /// </summary>
    public sealed class MsiInterruptSource : PciInterruptSource
    {
        private const int ControlOffset = 2, AddressOffset = 4;
        private const ushort ControlEnable = 0x1, ControlMultipleEnableMask = 0x70, Control64Bit = 0x80, ControlPerVectorMask = 0x100;

        private readonly PciFunction _function;
        private readonly IPciPlatform _platform;
        private readonly int _capability;

        private MsiInterruptSource(PciFunction function, IPciPlatform platform, int capability, int firstVector, int count, bool is64Bit)
        {
            _function = function;
            _platform = platform;
            _capability = capability;
            FirstVector = firstVector;
            VectorCount = count;
            Is64Bit = is64Bit;
        }

        /// <inheritdoc />
        public override InterruptMode Mode => InterruptMode.Msi;

        /// <summary>Messages enabled (a power of two; usually 1).</summary>
        public override int VectorCount { get; }

        /// <summary>The vector of message 0.</summary>
        public int FirstVector { get; }

        /// <summary>True when the capability holds a 64-bit address.</summary>
        public bool Is64Bit { get; }

        /// <inheritdoc />
        public override string Description => VectorCount == 1
            ? $"msi vector 0x{FirstVector:x2}"
            : $"msi {VectorCount} vectors 0x{FirstVector:x2}-0x{FirstVector + VectorCount - 1:x2}";

        /// <inheritdoc />
        public override void SetHandler(int index, Action handler)
        {
            CheckIndex(index);
            _platform.SetVectorHandler(FirstVector + index, handler);
        }

        /// <summary>Sets up MSI with up to <paramref name="wanted"/> messages (as many as the device and the vector space allow).</summary>
        internal static MsiInterruptSource? TryEnable(PciFunction function, IPciPlatform platform, PciCapability capability, int wanted, out string? reason)
        {
            IPciConfigSpace config = function.Config;
            int cap = capability.Offset;
            ushort control = config.Read16(cap + ControlOffset);
            int capable = 1 << ((control >> 1) & 7);
            bool is64 = (control & Control64Bit) != 0;
            int count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Min(Math.Max(wanted, 1), capable));
            int first = -1;
            while (count >= 1 && !platform.TryAllocateVectors(count, out first))
            {
                count /= 2;
            }

            if (count == 0)
            {
                reason = "no free interrupt vector";
                return null;
            }

            MsiMessage message = platform.ComposeMsiMessage(first);
            if (!is64 && (message.Address >> 32) != 0)
            {
                platform.FreeVectors(first, count);
                reason = $"MSI address 0x{message.Address:x} needs 64 bits; the capability has 32";
                return null;
            }

            function.DisableMsiXCapability();
            config.Write16(cap + ControlOffset, (ushort)(control & ~ControlEnable));
            config.Write32(cap + AddressOffset, (uint)message.Address);
            int dataOffset = cap + (is64 ? 12 : 8);
            if (is64)
            {
                config.Write32(cap + 8, (uint)(message.Address >> 32));
            }

            config.Write16(dataOffset, (ushort)message.Data);
            if ((control & ControlPerVectorMask) != 0)
            {
                // Mask bits (§6.8.1.8) sit after the data word; unmask the messages in use.
                config.Write32(cap + (is64 ? 0x10 : 0x0C), count == 32 ? 0 : ~((1u << count) - 1));
            }

            function.SetCommandBits(PciConfigRegisters.CommandBusMaster | PciConfigRegisters.CommandInterruptDisable, 0);
            int log2 = BitOperations.Log2((uint)count);
            config.Write16(cap + ControlOffset, (ushort)((control & ~ControlMultipleEnableMask) | (log2 << 4) | ControlEnable));
            reason = null;
            return new MsiInterruptSource(function, platform, cap, first, count, is64);
        }

        /// <inheritdoc />
        internal override void Disable()
        {
            ushort control = _function.Config.Read16(_capability + ControlOffset);
            _function.Config.Write16(_capability + ControlOffset, (ushort)(control & ~ControlEnable));
            _platform.FreeVectors(FirstVector, VectorCount);
        }
    }
}
