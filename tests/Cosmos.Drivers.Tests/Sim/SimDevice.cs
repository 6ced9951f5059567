using System;
using System.Collections.Generic;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.Sim
{
    /// <summary>
    /// The device side of VirtIO, independent of the transport: status, features, configuration with
    /// a generation, ISR, MSI-X vectors and queues that read the driver's rings from the same DMA
    /// memory. The register layouts (<see cref="ModernPciRegisters"/>, <see cref="LegacyPciRegisters"/>,
    /// <see cref="MmioRegisters"/>) translate register accesses into calls here. Anything the driver
    /// does against the specification is recorded in <see cref="Violations"/>.
    /// </summary>
    internal sealed class SimDevice
    {
        public const ushort NoVector = 0xFFFF;
        public const ulong FeatureIndirect = 1UL << 28;
        public const ulong FeatureEventIndex = 1UL << 29;
        public const ulong FeatureVersion1 = 1UL << 32;

        private byte _statusBeforeReset;
        private int _resetReadsLeft;

        public SimDevice(FakeDmaAllocator memory, ushort deviceType, ulong features, int queueCount, int maxQueueSize, int configLength)
        {
            Memory = memory;
            DeviceType = deviceType;
            OfferedFeatures = features;
            Config = new byte[configLength];
            Queues = new SimQueue[queueCount];
            for (int i = 0; i < queueCount; i++)
            {
                Queues[i] = new SimQueue(this, i, maxQueueSize);
            }
        }

        public FakeDmaAllocator Memory { get; }

        public ushort DeviceType { get; }

        public ulong OfferedFeatures { get; set; }

        public ulong DriverFeatures { get; set; }

        public byte Status { get; private set; }

        public List<byte> StatusWrites { get; } = new();

        public List<string> Violations { get; } = new();

        /// <summary>The device clears FEATURES_OK instead of accepting the driver's features.</summary>
        public bool RefuseFeaturesOk { get; set; }

        /// <summary>Status reads that still return the old value after a reset (-1: forever).</summary>
        public int ResetLatencyReads { get; set; }

        /// <summary>A status bit the device adds by itself at DRIVER_OK (e.g. DEVICE_NEEDS_RESET).</summary>
        public byte StatusAddedAtDriverOk { get; set; }

        public byte[] Config { get; }

        public uint Generation { get; set; }

        /// <summary>Called before every configuration read with the offset (tests change the configuration under the reader here).</summary>
        public Action<int>? ConfigRead { get; set; }

        public int ConfigReads { get; private set; }

        public byte Isr { get; set; }

        public SimQueue[] Queues { get; }

        public bool MsixEnabled { get; set; }

        public int MsixVectorCount { get; set; }

        public ushort ConfigVector { get; set; } = NoVector;

        public Action<int>? RaiseVector { get; set; }

        public Action? RaiseLine { get; set; }

        /// <summary>Process a queue as soon as it is notified.</summary>
        public bool AutoProcess { get; set; } = true;

        public bool EventIndexNegotiated => (DriverFeatures & FeatureEventIndex) != 0;

        public bool IndirectNegotiated => (DriverFeatures & FeatureIndirect) != 0;

        public bool DriverOk => (Status & 4) != 0;

        public void Violation(string what) => Violations.Add(what);

        public byte ReadStatus()
        {
            if (_resetReadsLeft != 0)
            {
                if (_resetReadsLeft > 0)
                {
                    _resetReadsLeft--;
                }

                return _statusBeforeReset;
            }

            return Status;
        }

        public void WriteStatus(byte value)
        {
            StatusWrites.Add(value);
            if (value == 0)
            {
                Reset();
                return;
            }

            if ((Status & ~value & 0x7F) != 0)
            {
                Violation($"status 0x{value:x2} clears bits of 0x{Status:x2} without a reset");
            }

            if ((value & 8) != 0 && (Status & 8) == 0 && RefuseFeaturesOk)
            {
                value = (byte)(value & ~8);
            }

            if ((value & 4) != 0 && (Status & 4) == 0)
            {
                value |= StatusAddedAtDriverOk;
            }

            Status = value;
        }

        public void WriteDriverFeatureWord(int select, uint value)
        {
            if ((Status & 8) != 0)
            {
                Violation("driver features written after FEATURES_OK");
            }

            if (select > 1)
            {
                return;
            }

            int shift = 32 * select;
            DriverFeatures = (DriverFeatures & ~(0xFFFF_FFFFUL << shift)) | ((ulong)value << shift);
            if ((DriverFeatures & ~OfferedFeatures) != 0)
            {
                Violation($"driver accepted features 0x{DriverFeatures & ~OfferedFeatures:x} that were not offered");
            }
        }

        public uint ReadOfferedFeatureWord(int select) => select > 1 ? 0 : (uint)(OfferedFeatures >> (32 * select));

        public ulong ReadConfig(int offset, int width)
        {
            ConfigReads++;
            ConfigRead?.Invoke(offset);
            ulong value = 0;
            for (int i = 0; i < width; i++)
            {
                int at = offset + i;
                value |= (ulong)(at < Config.Length ? Config[at] : (byte)0) << (8 * i);
            }

            return value;
        }

        public void WriteConfig(int offset, int width, ulong value)
        {
            for (int i = 0; i < width && offset + i < Config.Length; i++)
            {
                Config[offset + i] = (byte)(value >> (8 * i));
            }
        }

        public byte ReadAndClearIsr()
        {
            byte isr = Isr;
            Isr = 0;
            return isr;
        }

        public void Notify(int queue, ulong value)
        {
            if (!DriverOk)
            {
                Violation($"queue {queue} notified before DRIVER_OK");
            }

            if ((uint)queue >= (uint)Queues.Length)
            {
                Violation($"notification for queue {queue}, which does not exist");
                return;
            }

            if (value != (ulong)queue)
            {
                Violation($"notification for queue {queue} carried {value}");
            }

            SimQueue target = Queues[queue];
            target.Notifications++;
            if (!target.IsLive)
            {
                Violation($"queue {queue} notified before it was set up");
                return;
            }

            if (AutoProcess)
            {
                target.ProcessAll();
            }
        }

        /// <summary>A used buffer notification (§2.3): ISR bit 0, then the queue's MSI-X vector or the line.</summary>
        public void SignalUsed(SimQueue queue)
        {
            Isr |= 1;
            if (MsixEnabled)
            {
                if (queue.Vector != NoVector)
                {
                    RaiseVector?.Invoke(queue.Vector);
                }
            }
            else
            {
                RaiseLine?.Invoke();
            }
        }

        /// <summary>A configuration change: new generation, ISR bit 1, the config vector or the line.</summary>
        /// <summary>§2.1.2: the device can no longer go on; it sets DEVICE_NEEDS_RESET and notifies a configuration change.</summary>
        public void SignalNeedsReset()
        {
            Status |= 0x40;
            SignalConfigChange();
        }

        public void SignalConfigChange()
        {
            Generation++;
            Isr |= 2;
            if (MsixEnabled)
            {
                if (ConfigVector != NoVector)
                {
                    RaiseVector?.Invoke(ConfigVector);
                }
            }
            else
            {
                RaiseLine?.Invoke();
            }
        }

        /// <summary>The device answers every MSI-X vector assignment with NO_VECTOR.</summary>
        public bool RefuseVectors { get; set; }

        public ushort AcceptVector(ulong requested) =>
            MsixEnabled && !RefuseVectors && requested < (ulong)MsixVectorCount ? (ushort)requested : NoVector;

        private void Reset()
        {
            _statusBeforeReset = Status;
            _resetReadsLeft = ResetLatencyReads;
            Status = 0;
            DriverFeatures = 0;
            Isr = 0;
            ConfigVector = NoVector;
            foreach (SimQueue queue in Queues)
            {
                queue.Reset();
            }
        }
    }
}
