using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// What the three transports share: device-configuration access with the generation check of
    /// VirtIO 1.2 §2.5.1 (or, without a generation, the repeated reads of §2.5.4). A transport names
    /// the window its configuration lives in; everything else is its own.
    /// </summary>
    public abstract class VirtioTransportBase : IVirtioTransport
    {
        /// <summary>How often a read is retried while the generation (or a legacy double read) keeps changing.</summary>
        public const int MaxConfigReadAttempts = 64;

        /// <inheritdoc />
        public abstract VirtioDeviceType DeviceType { get; }

        /// <inheritdoc />
        public abstract VirtioTransportKind Kind { get; }

        /// <inheritdoc />
        public abstract bool IsLegacy { get; }

        /// <inheritdoc />
        public abstract bool HasConfigGeneration { get; }

        /// <inheritdoc />
        public abstract int QueueCount { get; }

        /// <inheritdoc />
        public abstract bool QueueSizeIsFixed { get; }

        /// <inheritdoc />
        public int ConfigLength
        {
            get
            {
                IRegisterBlock? block = ConfigRegisters;
                if (block is null)
                {
                    return 0;
                }

                ulong start = ConfigBaseOffset;
                return block.Length <= start ? 0 : (int)Math.Min(block.Length - start, int.MaxValue);
            }
        }

        /// <summary>The window holding the device configuration, or null when the device has none.</summary>
        protected abstract IRegisterBlock? ConfigRegisters { get; }

        /// <summary>Where the configuration starts inside <see cref="ConfigRegisters"/> (legacy PCI: 0x14 or 0x18).</summary>
        protected abstract ulong ConfigBaseOffset { get; }

        /// <summary>For error sentences: "virtio-blk (pci-modern 0000:00:04.0)".</summary>
        protected abstract string Name { get; }

        /// <summary>Reads the configuration generation; only called when <see cref="HasConfigGeneration"/>.</summary>
        protected abstract uint ReadConfigGeneration();

        /// <inheritdoc />
        public abstract string Describe();

        /// <inheritdoc />
        public abstract ulong ReadDeviceFeatures();

        /// <inheritdoc />
        public abstract void WriteDriverFeatures(ulong features);

        /// <inheritdoc />
        public abstract VirtioDeviceStatus ReadStatus();

        /// <inheritdoc />
        public abstract void WriteStatus(VirtioDeviceStatus status);

        /// <inheritdoc />
        public void Reset() => WriteStatus(VirtioDeviceStatus.None);

        /// <inheritdoc />
        public abstract int GetMaxQueueSize(int queue);

        /// <inheritdoc />
        public abstract VirtioResult SetUpQueue(int queue, int size, VirtqueueAddresses addresses);

        /// <inheritdoc />
        public abstract void EnableQueue(int queue);

        /// <inheritdoc />
        public abstract void Notify(int queue);

        /// <inheritdoc />
        public abstract IInterruptSource EnableInterrupts(int queueCount);

        /// <inheritdoc />
        public abstract bool SetConfigVector(int vector);

        /// <inheritdoc />
        public abstract bool SetQueueVector(int queue, int vector);

        /// <inheritdoc />
        public abstract VirtioInterruptCause AcknowledgeInterrupt();

        /// <inheritdoc />
        public byte ReadConfig8(int offset)
        {
            IRegisterBlock block = CheckConfigAccess(offset, 1);
            for (int attempt = 1; ; attempt++)
            {
                uint before = GenerationOrZero();
                byte value = block.Read8(ConfigBaseOffset + (ulong)offset);
                if (ReadSettled(before, attempt, offset))
                {
                    return value;
                }
            }
        }

        /// <inheritdoc />
        public ushort ReadConfig16(int offset)
        {
            IRegisterBlock block = CheckConfigAccess(offset, 2);
            for (int attempt = 1; ; attempt++)
            {
                uint before = GenerationOrZero();
                ushort value = block.Read16(ConfigBaseOffset + (ulong)offset);
                if (ReadSettled(before, attempt, offset))
                {
                    return value;
                }
            }
        }

        /// <inheritdoc />
        public uint ReadConfig32(int offset)
        {
            IRegisterBlock block = CheckConfigAccess(offset, 4);
            for (int attempt = 1; ; attempt++)
            {
                uint before = GenerationOrZero();
                uint value = block.Read32(ConfigBaseOffset + (ulong)offset);
                if (ReadSettled(before, attempt, offset))
                {
                    return value;
                }
            }
        }

        /// <inheritdoc />
        public ulong ReadConfig64(int offset)
        {
            // §4.1.3.1 / §4.2.2.2: 64-bit fields are read as two 32-bit accesses, low half first.
            IRegisterBlock block = CheckConfigAccess(offset, 8);
            ulong at = ConfigBaseOffset + (ulong)offset;
            ulong previous = 0;
            for (int attempt = 1; ; attempt++)
            {
                uint before = GenerationOrZero();
                ulong value = block.Read32(at) | ((ulong)block.Read32(at + 4) << 32);
                if (HasConfigGeneration)
                {
                    if (ReadSettled(before, attempt, offset))
                    {
                        return value;
                    }
                }
                else if (attempt > 1 && value == previous)
                {
                    // §2.5.4: without a generation, a multi-access field is read until two reads agree.
                    return value;
                }
                else if (attempt >= MaxConfigReadAttempts)
                {
                    throw Unsettled(offset);
                }

                previous = value;
            }
        }

        /// <inheritdoc />
        public void ReadConfig(int offset, Span<byte> destination)
        {
            if (destination.Length == 0)
            {
                return;
            }

            IRegisterBlock block = CheckConfigAccess(offset, destination.Length);
            ulong at = ConfigBaseOffset + (ulong)offset;
            for (int attempt = 1; ; attempt++)
            {
                uint before = GenerationOrZero();
                bool changed = false;
                for (int i = 0; i < destination.Length; i++)
                {
                    byte value = block.Read8(at + (ulong)i);
                    changed |= value != destination[i];
                    destination[i] = value;
                }

                if (HasConfigGeneration)
                {
                    if (ReadSettled(before, attempt, offset))
                    {
                        return;
                    }
                }
                else if (attempt > 1 && !changed)
                {
                    // §2.5.4: two consecutive passes agreed.
                    return;
                }
                else if (attempt >= MaxConfigReadAttempts)
                {
                    throw Unsettled(offset);
                }
            }
        }

        /// <inheritdoc />
        public void WriteConfig8(int offset, byte value) =>
            CheckConfigAccess(offset, 1).Write8(ConfigBaseOffset + (ulong)offset, value);

        /// <inheritdoc />
        public void WriteConfig16(int offset, ushort value) =>
            CheckConfigAccess(offset, 2).Write16(ConfigBaseOffset + (ulong)offset, value);

        /// <inheritdoc />
        public void WriteConfig32(int offset, uint value) =>
            CheckConfigAccess(offset, 4).Write32(ConfigBaseOffset + (ulong)offset, value);

        private uint GenerationOrZero() => HasConfigGeneration ? ReadConfigGeneration() : 0;

        // §2.5.1: the driver reads the generation before and after; a change means the
        // configuration moved under the read, which is then repeated.
        private bool ReadSettled(uint before, int attempt, int offset)
        {
            if (!HasConfigGeneration || ReadConfigGeneration() == before)
            {
                return true;
            }

            if (attempt >= MaxConfigReadAttempts)
            {
                throw Unsettled(offset);
            }

            return false;
        }

        private VirtioDeviceException Unsettled(int offset) =>
            new($"{Name}: configuration at offset 0x{offset:x} kept changing over {MaxConfigReadAttempts} reads");

        private IRegisterBlock CheckConfigAccess(int offset, int width)
        {
            int length = ConfigLength;
            IRegisterBlock? block = ConfigRegisters;
            if (block is null || offset < 0 || width > length || offset > length - width)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(offset), $"{Name}: configuration access of {width} bytes at 0x{offset:x} is outside its {length} bytes");
            }

            return block;
        }

        /// <summary>Queue indices probed where no register gives the number of queues (legacy PCI, MMIO).</summary>
        protected const int MaxProbedQueues = 1024;

        /// <summary>
        /// The number of queues where no register says it: queues are probed from 0 until one
        /// reports a maximum size of 0 (legacy PCI §4.1.5.1.3.1, MMIO §4.2.3.2). Cached in <paramref name="cache"/> (-1 = not yet).
        /// </summary>
        protected int ProbeQueueCount(ref int cache)
        {
            if (cache < 0)
            {
                int count = 0;
                while (count < MaxProbedQueues && GetMaxQueueSize(count) != 0)
                {
                    count++;
                }

                cache = count;
            }

            return cache;
        }

        /// <summary>
        /// Reads a 64-bit feature word through a select/value register pair, as modern PCI and MMIO
        /// expose it (VirtIO 1.2 §4.1.4.3, §4.2.2): select 0 gives bits 0-31, select 1 bits 32-63.
        /// </summary>
        protected static ulong ReadSelectedFeatures(IRegisterBlock registers, ulong selectOffset, ulong valueOffset)
        {
            registers.Write32(selectOffset, 0);
            ulong low = registers.Read32(valueOffset);
            registers.Write32(selectOffset, 1);
            ulong high = registers.Read32(valueOffset);
            return low | (high << 32);
        }

        /// <summary>Writes a 64-bit feature word through a select/value register pair.</summary>
        protected static void WriteSelectedFeatures(IRegisterBlock registers, ulong selectOffset, ulong valueOffset, ulong features)
        {
            registers.Write32(selectOffset, 0);
            registers.Write32(valueOffset, (uint)features);
            registers.Write32(selectOffset, 1);
            registers.Write32(valueOffset, (uint)(features >> 32));
        }
    }
}
