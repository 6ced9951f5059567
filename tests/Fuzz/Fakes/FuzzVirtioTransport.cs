using System;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Hardware;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// A modern VirtIO transport whose device is the harness: the configuration space is bytes the fuzzer chose
    /// (read through <see cref="VirtioTransportBase"/>'s bounds and generation checks, as the real transports are),
    /// status and features behave as a well-mannered device's, and each queue's ring addresses are kept so the
    /// harness can write the used ring itself.
    /// </summary>
    internal sealed class FuzzVirtioTransport : VirtioTransportBase
    {
        private readonly ConfigSpace _config;
        private readonly ulong _features;
        private readonly int _maxQueueSize;
        private VirtioDeviceStatus _status;

        public FuzzVirtioTransport(VirtioDeviceType type, ulong features, byte[] config, int queueCount, int maxQueueSize)
        {
            DeviceType = type;
            _features = features;
            _config = new ConfigSpace(config);
            QueueCount = queueCount;
            _maxQueueSize = maxQueueSize;
            Queues = new VirtqueueAddresses?[queueCount];
            QueueSizes = new int[queueCount];
        }

        /// <summary>The configuration bytes (the harness may change them between driver calls).</summary>
        public byte[] Config => _config.Bytes;

        /// <summary>Called after the driver writes a configuration byte (virtio-input's select and subsel).</summary>
        public Action<int, byte>? ConfigWritten
        {
            get => _config.Written;
            set => _config.Written = value;
        }

        /// <summary>The rings of each queue once the driver set it up.</summary>
        public VirtqueueAddresses?[] Queues { get; }

        /// <summary>The size the driver chose for each queue it set up.</summary>
        public int[] QueueSizes { get; }

        /// <summary>Called when the driver notifies a queue.</summary>
        public Action<int>? Notified { get; set; }

        public override VirtioDeviceType DeviceType { get; }

        public override VirtioTransportKind Kind => VirtioTransportKind.PciModern;

        public override bool IsLegacy => false;

        public override bool HasConfigGeneration => false;

        public override int QueueCount { get; }

        public override bool QueueSizeIsFixed => false;

        protected override IRegisterBlock? ConfigRegisters => _config;

        protected override ulong ConfigBaseOffset => 0;

        protected override string Name => "fuzz-virtio";

        protected override uint ReadConfigGeneration() => 0;

        public override string Describe() => "fuzz transport";

        public override ulong ReadDeviceFeatures() => _features;

        public override void WriteDriverFeatures(ulong features)
        {
            if ((features & ~_features) != 0)
            {
                throw new FuzzFindingException($"driver accepted features 0x{features:x} beyond the offered 0x{_features:x}");
            }
        }

        public override VirtioDeviceStatus ReadStatus() => _status;

        public override void WriteStatus(VirtioDeviceStatus status)
        {
            _status = status;
            if (status == VirtioDeviceStatus.None)
            {
                Resets++;   // Reset() writes 0 (the base class); the device then stops using its queues (§2.4)
            }
        }

        /// <summary>How often the driver reset the device.</summary>
        public int Resets { get; private set; }


        public override int GetMaxQueueSize(int queue) => _maxQueueSize;

        public override VirtioResult SetUpQueue(int queue, int size, VirtqueueAddresses addresses)
        {
            Queues[queue] = addresses;
            QueueSizes[queue] = size;
            return VirtioResult.Success;
        }

        public override void EnableQueue(int queue)
        {
        }

        public override void Notify(int queue) => Notified?.Invoke(queue);

        public override IInterruptSource EnableInterrupts(int queueCount) => new PolledSource();

        public override bool SetConfigVector(int vector) => true;

        public override bool SetQueueVector(int queue, int vector) => true;

        public override VirtioInterruptCause AcknowledgeInterrupt() => VirtioInterruptCause.UsedBuffer;

        private sealed class PolledSource : IInterruptSource
        {
            public InterruptMode Mode => InterruptMode.Polled;

            public int VectorCount => 0;

            public void SetHandler(int index, Action handler) =>
                throw new FuzzFindingException($"handler set for vector {index} of a polled device");
        }

        private sealed class ConfigSpace : IRegisterBlock
        {
            public ConfigSpace(byte[] bytes) => Bytes = bytes;

            public byte[] Bytes { get; }

            public Action<int, byte>? Written { get; set; }

            public string Description => "fuzz config";

            public ulong Length => (ulong)Bytes.Length;

            public byte Read8(ulong offset) => Bytes[offset];

            public ushort Read16(ulong offset) => (ushort)(Bytes[offset] | (Bytes[offset + 1] << 8));

            public uint Read32(ulong offset) => (uint)(Read16(offset) | (Read16(offset + 2) << 16));

            public void Write8(ulong offset, byte value)
            {
                Bytes[offset] = value;
                Written?.Invoke((int)offset, value);
            }

            public void Write16(ulong offset, ushort value)
            {
                Write8(offset, (byte)value);
                Write8(offset + 1, (byte)(value >> 8));
            }

            public void Write32(ulong offset, uint value)
            {
                Write16(offset, (ushort)value);
                Write16(offset + 2, (ushort)(value >> 16));
            }
        }
    }
}
