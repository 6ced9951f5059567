using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.E1000
{
    /// <summary>
    /// An 82540EM played on the host: the registers the driver uses, CTRL.RST, EERD, and descriptor
    /// processing that reads and writes the legacy rings in the driver's DMA memory (through
    /// <see cref="FakeDmaAllocator.DeviceView"/>) — transmit when TDT is written, receive when a test
    /// calls <see cref="Deliver"/>, with the receive interrupt raised where IMS allows it.
    /// </summary>
    internal sealed class SimE1000 : IRegisterSpace
    {
        private const ulong Ctrl = 0x0000, Status = 0x0008, Eerd = 0x0014, Icr = 0x00C0, Ims = 0x00D0, Imc = 0x00D8, Rctl = 0x0100;
        private const ulong Rdbal = 0x2800, Rdbah = 0x2804, Rdlen = 0x2808, Rdh = 0x2810, Rdt = 0x2818;
        private const ulong Tdbal = 0x3800, Tdbah = 0x3804, Tdlen = 0x3808, Tdh = 0x3810, Tdt = 0x3818;
        private const ulong Ral0 = 0x5400, Rah0 = 0x5404, Ivar = 0x00E4;
        private const uint IcrRxq0 = 1u << 20, IcrOther = 1u << 24;
        private const uint CtrlRst = 1u << 26, RctlEn = 1u << 1, TctlEn = 1u << 1, IcrRxt0 = 1u << 7, IcrRxo = 1u << 6;
        private const int BufferLength = 2048;

        private readonly FakeDmaAllocator _dma;
        private readonly Dictionary<ulong, uint> _registers = new();
        private readonly ushort[] _eeprom = new ushort[64];

        public SimE1000(FakeDmaAllocator dma, byte[]? mac = null)
        {
            _dma = dma;
            Mac = mac ?? new byte[] { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
            for (int word = 0; word < 3; word++)
            {
                _eeprom[word] = BinaryPrimitives.ReadUInt16LittleEndian(Mac.AsSpan(word * 2));
            }
        }

        public byte[] Mac { get; }

        /// <summary>CTRL.RST stays set: a controller that never leaves reset.</summary>
        public bool ResetNeverCompletes { get; set; }

        /// <summary>The reset leaves RAL0/RAH0 empty (the driver must read the EEPROM).</summary>
        public bool ResetLeavesReceiveAddressEmpty { get; set; }

        /// <summary>
        /// Plays an 82574L (e1000e) instead: EERD with DONE at bit 1 and the address at bit 2, and, while
        /// <see cref="MsixEnabled"/>, MSI-X causes (RXQ0, OTHER) that reach the vector only through IVAR and that a
        /// read of ICR does not clear.
        /// </summary>
        public bool Is82574 { get; set; }

        /// <summary>The driver's interrupt source is MSI-X (82574 only).</summary>
        public bool MsixEnabled { get; set; }

        /// <summary>EERD.DONE never sets.</summary>
        public bool EepromNeverAnswers { get; set; }

        public bool LinkUp { get; set; } = true;

        public int Resets { get; private set; }

        public int EepromReads { get; private set; }

        /// <summary>Frames taken from the transmit ring, in order.</summary>
        public List<byte[]> Sent { get; } = new();

        /// <summary>The command byte of every transmit descriptor processed.</summary>
        public List<byte> SentCommands { get; } = new();

        /// <summary>Frames lost because the driver had posted no receive descriptor (RXO).</summary>
        public int Missed { get; private set; }

        /// <summary>When false, TDT writes are recorded but the descriptors are left for <see cref="ProcessTransmit"/>.</summary>
        public bool TransmitsImmediately { get; set; } = true;

        /// <summary>Called when a cause in IMS is set (the interrupt line).</summary>
        public Action? Interrupt { get; set; }

        public uint this[ulong offset] => Get(offset);

        public ulong Read(ulong offset, int width)
        {
            if (width != 4)
            {
                throw new InvalidOperationException($"8254x registers are read as dwords, not {width} bytes at 0x{offset:x}");
            }

            switch (offset)
            {
                case Status:
                    return (LinkUp ? 2u : 0u) | 1u;
                case Icr:
                    uint causes = Get(Icr);
                    if (!(Is82574 && MsixEnabled))
                    {
                        _registers[Icr] = 0;
                    }

                    return causes;
                default:
                    return Get(offset);
            }
        }

        public void Write(ulong offset, int width, ulong value)
        {
            if (width != 4)
            {
                throw new InvalidOperationException($"8254x registers are written as dwords, not {width} bytes at 0x{offset:x}");
            }

            uint v = (uint)value;
            switch (offset)
            {
                case Ctrl:
                    if ((v & CtrlRst) != 0)
                    {
                        Reset();
                        _registers[Ctrl] = ResetNeverCompletes ? v : v & ~CtrlRst;
                        return;
                    }

                    break;
                case Eerd:
                    if ((v & 1) != 0)
                    {
                        EepromReads++;
                        int address = Is82574 ? (int)((v >> 2) & 0x3FFF) : (int)((v >> 8) & 0xFF);
                        if (address >= _eeprom.Length)
                        {
                            _registers[Eerd] = v;
                            return;
                        }

                        _registers[Eerd] = EepromNeverAnswers ? v
                            : Is82574 ? ((uint)_eeprom[address] << 16) | (uint)(address << 2) | 0x2
                            : ((uint)_eeprom[address] << 16) | (uint)(address << 8) | 0x10;
                    }

                    return;
                case Ims:
                    _registers[Ims] = Get(Ims) | v;
                    return;
                case Imc:
                    _registers[Ims] = Get(Ims) & ~v;
                    return;
                case Icr:
                    _registers[Icr] = Get(Icr) & ~v;
                    return;
                case Tdt:
                    _registers[Tdt] = v;
                    if (TransmitsImmediately)
                    {
                        ProcessTransmit();
                    }

                    return;
            }

            _registers[offset] = v;
        }

        /// <summary>Processes transmit descriptors from TDH up to TDT, as the DMA engine would.</summary>
        public void ProcessTransmit()
        {
            if ((Get(0x0400) & TctlEn) == 0)
            {
                return;
            }

            uint count = Get(Tdlen) / 16;
            while (Get(Tdh) != Get(Tdt))
            {
                uint head = Get(Tdh);
                Span<byte> descriptor = _dma.DeviceView(RingBase(Tdbal, Tdbah) + (head * 16), 16);
                ulong address = BinaryPrimitives.ReadUInt64LittleEndian(descriptor);
                int length = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[8..]);
                Sent.Add(_dma.DeviceView(address, length).ToArray());
                SentCommands.Add(descriptor[11]);
                if ((descriptor[11] & (1 << 3)) != 0)
                {
                    descriptor[12] |= 1; // STA.DD
                }

                _registers[Tdh] = (head + 1) % count;
            }
        }

        /// <summary>
        /// Writes <paramref name="frame"/> into the receive ring from RDH, spread over as many 2 KiB
        /// buffers as it needs (EOP on the last), with <paramref name="errors"/> in the last descriptor;
        /// counts it missed when the driver posted too few descriptors.
        /// </summary>
        public void Deliver(byte[] frame, byte errors = 0, int? reportedLength = null)
        {
            if ((Get(Rctl) & RctlEn) == 0)
            {
                throw new InvalidOperationException("frame delivered while RCTL.EN is clear");
            }

            uint count = Get(Rdlen) / 16;
            int pieces = Math.Max(1, (frame.Length + BufferLength - 1) / BufferLength);
            uint available = (Get(Rdt) + count - Get(Rdh)) % count;
            if (available < pieces)
            {
                Missed++;
                Raise(IcrRxo);
                return;
            }

            for (int piece = 0; piece < pieces; piece++)
            {
                uint head = Get(Rdh);
                Span<byte> descriptor = _dma.DeviceView(RingBase(Rdbal, Rdbah) + (head * 16), 16);
                ulong address = BinaryPrimitives.ReadUInt64LittleEndian(descriptor);
                int length = Math.Min(BufferLength, frame.Length - (piece * BufferLength));
                frame.AsSpan(piece * BufferLength, length).CopyTo(_dma.DeviceView(address, BufferLength));
                bool last = piece == pieces - 1;
                BinaryPrimitives.WriteUInt16LittleEndian(descriptor[8..], (ushort)(last && reportedLength is int lie ? lie : length));
                descriptor[13] = last ? errors : (byte)0;
                descriptor[12] = (byte)(1 | (last ? 2 : 0)); // DD, EOP
                _registers[Rdh] = (head + 1) % count;
            }

            Raise(IcrRxt0);
        }

        private void Raise(uint cause)
        {
            if (Is82574 && MsixEnabled)
            {
                // 82574 §7.4.3: receive on queue 0 is RXQ0, the rest is OTHER; a cause without a valid IVAR entry reaches no vector.
                uint vectorValid = cause == IcrRxt0 ? Get(Ivar) & 0x8 : (Get(Ivar) >> 16) & 0x8;
                cause = cause == IcrRxt0 ? IcrRxq0 : cause | IcrOther;
                _registers[Icr] = Get(Icr) | cause;
                if ((Get(Ims) & cause) != 0 && vectorValid != 0)
                {
                    Interrupt?.Invoke();
                }

                return;
            }

            _registers[Icr] = Get(Icr) | cause;
            if ((Get(Ims) & cause) != 0)
            {
                Interrupt?.Invoke();
            }
        }

        private void Reset()
        {
            Resets++;
            _registers.Clear();
            if (!ResetLeavesReceiveAddressEmpty)
            {
                _registers[Ral0] = BinaryPrimitives.ReadUInt32LittleEndian(Mac);
                _registers[Rah0] = BinaryPrimitives.ReadUInt16LittleEndian(Mac.AsSpan(4)) | (1u << 31);
            }
        }

        private ulong RingBase(ulong low, ulong high) => Get(low) | ((ulong)Get(high) << 32);

        private uint Get(ulong offset) => _registers.TryGetValue(offset, out uint value) ? value : 0;
    }
}
