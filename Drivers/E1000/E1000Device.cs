using System;
using System.Buffers.Binary;
using System.Threading;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.E1000.E1000Registers;

namespace Cosmos.Drivers.E1000
{
    /// <summary>
    /// An Intel 8254x (82540EM and kin) Ethernet controller: reset, MAC from RAL/RAH or the EEPROM,
    /// link from STATUS.LU, one legacy receive ring with 2 KiB buffers posted ahead and one legacy
    /// transmit ring (8254x SDM §14, "General Initialization and Reset Operation"). Interrupts (or
    /// polling, where there are none) only report that frames arrived: frames are copied out by
    /// <see cref="TryReceive(Span{byte}, out bool)"/> on the caller's thread.
    /// </summary>
    /// <remarks>Not reentrant: one thread of the kernel sends and receives (the interrupt handler only reads ICR and signals).</remarks>
    public sealed partial class E1000Device : INetworkDevice
    {
        /// <summary>Descriptors per ring (a multiple of 8, so RDLEN/TDLEN are multiples of 128 bytes).</summary>
        public const int RingSize = 64;

        /// <summary>Bytes per receive and transmit buffer (RCTL.BSIZE = 2048).</summary>
        public const int BufferLength = 2048;

        private const int EthernetMtu = 1500;
        private const int EthernetHeaderLength = 14;
        private const int VlanTagLength = 4;

        private readonly IRegisterBlock _registers;
        private readonly E1000Model _model;
        private readonly byte[] _mac;
        private readonly NetworkDeviceCounters _counters = new();
        private IInterruptSource? _interrupts;

        private E1000Device(IRegisterBlock registers, E1000Model model, string transport, byte[] mac, bool macFromEeprom, DmaBuffer receiveRing, DmaBuffer receiveBuffers, DmaBuffer transmitRing, DmaBuffer transmitBuffers)
        {
            _registers = registers;
            _model = model;
            Transport = transport;
            _mac = mac;
            MacFromEeprom = macFromEeprom;
            _receiveRing = receiveRing;
            _receiveBuffers = receiveBuffers;
            _transmitRing = transmitRing;
            _transmitBuffers = transmitBuffers;
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Network;

        /// <inheritdoc />
        public string NameStem => "eth";

        /// <inheritdoc />
        public string DriverName => _model.DriverName;

        /// <summary>Which part this is (what differs between the parts the driver runs).</summary>
        public E1000Model Model => _model;

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => _interrupts?.Mode ?? InterruptMode.Polled;

        /// <summary>The name the device manager gave this interface ("eth0"); the driver sets it at registration.</summary>
        public string Name { get; set; } = "";

        /// <summary>"[e1000] eth0: mac 52:54:00:12:34:56, link up, 64 rx/64 tx descriptors".</summary>
        public string Summary =>
            $"{Prefix}mac {FormatMac(_mac)}{(MacFromEeprom ? " (eeprom)" : "")}, link {(IsLinkUp ? "up" : "down")}, {RingSize} rx/{RingSize} tx descriptors";

        /// <inheritdoc />
        public ReadOnlySpan<byte> MacAddress => _mac;

        /// <summary>True when RAL/RAH held no valid address after reset and the MAC came from EEPROM words 0-2.</summary>
        public bool MacFromEeprom { get; }

        /// <summary>STATUS.LU (§13.4.2), read on every look.</summary>
        public bool IsLinkUp => (_registers.Read32(Status) & StatusLu) != 0;

        /// <inheritdoc />
        public int Mtu => EthernetMtu;

        /// <inheritdoc />
        public int MaxFrameLength => EthernetMtu + EthernetHeaderLength + VlanTagLength;

        /// <summary>Legacy descriptors compute no checksum this driver asks for: <see cref="TrySend(ReadOnlySpan{byte}, int, int)"/> computes it.</summary>
        public bool OffloadsTransmitChecksum => false;

        /// <inheritdoc />
        public Action? FramesArrived { get; set; }

        /// <summary>Interrupts taken (any cause, this device's or not on a shared line).</summary>
        public int InterruptsSeen => Volatile.Read(ref _interruptsSeen);

        /// <inheritdoc />
        public NetworkStatistics Statistics => _counters.Snapshot();

        private string Prefix => Name.Length == 0 ? $"[{_model.DriverName}] " : $"[{_model.DriverName}] {Name}: ";

        private int _interruptsSeen;

        /// <summary>
        /// Resets the controller behind <paramref name="registers"/> and brings it up with interrupts
        /// masked (§14.3-14.5): MAC, multicast table cleared, both rings in memory from
        /// <paramref name="dma"/>, receive and transmit enabled. Null, with <paramref name="error"/>
        /// naming the failing step and the register values seen, when the controller does not answer.
        /// </summary>
        public static E1000Device? Start(IRegisterBlock registers, IDmaAllocator dma, E1000Timeouts timeouts, string transport, out string? error) =>
            Start(registers, E1000Model.I8254x, dma, timeouts, transport, out error);

        /// <summary>As <see cref="Start(IRegisterBlock, IDmaAllocator, E1000Timeouts, string, out string?)"/>, for the part <paramref name="model"/> describes.</summary>
        public static E1000Device? Start(IRegisterBlock registers, E1000Model model, IDmaAllocator dma, E1000Timeouts timeouts, string transport, out string? error)
        {
            ArgumentNullException.ThrowIfNull(registers);
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(dma);
            ArgumentNullException.ThrowIfNull(timeouts);

            // §14.3: mask every interrupt before the reset and again after it; the reset clears RST itself.
            registers.Write32(Imc, 0xFFFF_FFFF);
            registers.Write32(Ctrl, registers.Read32(Ctrl) | CtrlRst);
            if (!BoundedWait.Until(() => (registers.Read32(Ctrl) & CtrlRst) == 0, timeouts.Reset))
            {
                error = $"reset did not complete (CTRL.RST still set after {timeouts.Reset.TotalMilliseconds:0} ms, CTRL=0x{registers.Read32(Ctrl):x8})";
                return null;
            }

            registers.Write32(Imc, 0xFFFF_FFFF);
            registers.Read32(Icr);

            // §14.3: set link up and let the MAC follow the PHY's speed; clear link/PHY reset, loss-of-signal inversion and VLAN mode.
            uint control = registers.Read32(Ctrl);
            registers.Write32(Ctrl, (control | CtrlSlu | CtrlAsde) & ~(CtrlLrst | CtrlPhyRst | CtrlIlos | CtrlVme));

            byte[]? mac = ReadMac(registers, model, timeouts, out bool fromEeprom, out error);
            if (mac is null)
            {
                return null;
            }

            for (int i = 0; i < MtaEntries; i++)
            {
                registers.Write32(Mta + ((ulong)i * 4), 0);
            }

            DmaBuffer receiveRing = default, receiveBuffers = default, transmitRing = default, transmitBuffers = default;
            try
            {
                receiveRing = dma.Allocate(RingSize * E1000ReceiveDescriptor.Size, RingAlignment);
                receiveBuffers = dma.Allocate(RingSize * BufferLength, 4096);
                transmitRing = dma.Allocate(RingSize * E1000TransmitDescriptor.Size, RingAlignment);
                transmitBuffers = dma.Allocate(RingSize * BufferLength, 4096);
            }
            catch (OutOfMemoryException)
            {
                foreach (DmaBuffer buffer in new[] { receiveRing, receiveBuffers, transmitRing, transmitBuffers })
                {
                    if (!buffer.IsEmpty)
                    {
                        dma.Free(buffer);
                    }
                }

                error = $"no DMA memory for {RingSize} receive and {RingSize} transmit buffers of {BufferLength} B";
                return null;
            }

            var device = new E1000Device(registers, model, transport, mac, fromEeprom, receiveRing, receiveBuffers, transmitRing, transmitBuffers);
            device.StartReceive();
            device.StartTransmit();
            error = null;
            return device;
        }

        /// <summary>
        /// Takes interrupts from <paramref name="interrupts"/> (vector 0) and unmasks the receive and
        /// link causes; a polled source leaves them masked and <see cref="HasFrameWaiting"/> polls.
        /// </summary>
        public void AttachInterrupts(IInterruptSource interrupts)
        {
            ArgumentNullException.ThrowIfNull(interrupts);
            _interrupts = interrupts;
            if (interrupts.Mode == InterruptMode.Polled || interrupts.VectorCount == 0)
            {
                return;
            }

            interrupts.SetHandler(0, OnInterrupt);
            uint causes = ReceiveCauses | IcrLsc;
            if (interrupts.Mode == InterruptMode.MsiX && _model.HasMsix)
            {
                // 82574 §7.4.3: under MSI-X a cause reaches no vector until IVAR routes it; one vector takes them all.
                _registers.Write32(Ivar, IvarAllToVector0);
                causes |= IcrOther;
            }

            _registers.Write32(Ims, causes);
        }

        /// <summary>"52:54:00:12:34:56".</summary>
        public static string FormatMac(ReadOnlySpan<byte> mac) =>
            $"{mac[0]:x2}:{mac[1]:x2}:{mac[2]:x2}:{mac[3]:x2}:{mac[4]:x2}:{mac[5]:x2}";

        // §5.6.1: the reset loads RAL0/RAH0 from EEPROM words 0-2; when it did not (RAH.AV clear or all
        // zero), read the words through EERD (§13.4.4) and program RAL0/RAH0 so the filter accepts them.
        private static byte[]? ReadMac(IRegisterBlock registers, E1000Model model, E1000Timeouts timeouts, out bool fromEeprom, out string? error)
        {
            var mac = new byte[6];
            uint low = registers.Read32(Ral0);
            uint high = registers.Read32(Rah0);
            fromEeprom = false;
            error = null;
            if ((high & RahAv) != 0 && (low != 0 || (high & 0xFFFF) != 0))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(mac, low);
                BinaryPrimitives.WriteUInt16LittleEndian(mac.AsSpan(4), (ushort)high);
                return mac;
            }

            for (int word = 0; word < 3; word++)
            {
                registers.Write32(Eerd, EerdStart | ((uint)word << model.EerdAddressShift));
                uint value = 0;
                if (!BoundedWait.Until(() => ((value = registers.Read32(Eerd)) & model.EerdDone) != 0, timeouts.EepromRead))
                {
                    error = $"no MAC address: RAH0.AV clear (RAL0=0x{low:x8}, RAH0=0x{high:x8}) and the EEPROM did not answer EERD for word {word} within {timeouts.EepromRead.TotalMilliseconds:0} ms (EERD=0x{value:x8})";
                    return null;
                }

                BinaryPrimitives.WriteUInt16LittleEndian(mac.AsSpan(word * 2), (ushort)(value >> EerdDataShift));
            }

            registers.Write32(Ral0, BinaryPrimitives.ReadUInt32LittleEndian(mac));
            registers.Write32(Rah0, BinaryPrimitives.ReadUInt16LittleEndian(mac.AsSpan(4)) | RahAv);
            fromEeprom = true;
            return mac;
        }

        // Interrupt context: reading ICR acknowledges (and, for INTx, deasserts) every cause (§13.4.17); under the
        // 82574's MSI-X reading leaves them set, and writing back what was read clears exactly those (§10.2.4.1).
        private void OnInterrupt()
        {
            Interlocked.Increment(ref _interruptsSeen);
            uint causes = _registers.Read32(Icr);
            if (_model.HasMsix && causes != 0)
            {
                _registers.Write32(Icr, causes);
            }

            if ((causes & ReceiveCauses) != 0)
            {
                FramesArrived?.Invoke();
            }
        }
    }
}
