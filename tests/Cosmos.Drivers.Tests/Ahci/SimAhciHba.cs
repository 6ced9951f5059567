using System;
using System.Buffers.Binary;
using System.Text;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.Ahci
{
    /// <summary>
    /// An AHCI 1.3.1 HBA played on the host: generic and port registers, HBA reset, PxCMD.ST/FRE with
    /// CR/FR following, and command processing that reads the command list, command FIS and PRDT from
    /// the driver's DMA memory (through <see cref="FakeDmaAllocator.DeviceView"/>) when the driver polls
    /// PxCI or PxIS, as a real HBA would finish while the driver waits.
    /// </summary>
    internal sealed class SimAhciHba : IRegisterSpace
    {
        private const uint StatusReady = 0x50; // DRDY | DSC

        private readonly FakeDmaAllocator _dma;
        private readonly SimPort[] _ports = new SimPort[32];
        private uint _ghc;

        public SimAhciHba(FakeDmaAllocator dma, int portCount = 6)
        {
            _dma = dma;
            PortCount = portCount;
            for (int i = 0; i < 32; i++)
            {
                _ports[i] = new SimPort();
            }
        }

        public int PortCount { get; }

        /// <summary>CAP.S64A.</summary>
        public bool Addressing64 { get; set; } = true;

        /// <summary>GHC.HR is never cleared: an HBA that does not answer reset.</summary>
        public bool ResetNeverCompletes { get; set; }

        /// <summary>PxCMD.CR stays set after ST is cleared on this port.</summary>
        public int? PortNeverStops { get; set; }

        public int Resets { get; private set; }

        /// <summary>Attaches <paramref name="drive"/> to <paramref name="port"/>.</summary>
        public SimAhciDrive Attach(int port, SimAhciDrive drive)
        {
            _ports[port].Drive = drive;
            return drive;
        }

        public ulong Read(ulong offset, int width)
        {
            if (width != 4)
            {
                throw new InvalidOperationException($"AHCI registers are read as dwords, not {width} bytes at 0x{offset:x}");
            }

            switch (offset)
            {
                case 0x00: // CAP: NP, NCS = 31, S64A
                    return (uint)(PortCount - 1) | (31u << 8) | (Addressing64 ? 1u << 31 : 0);
                case 0x04:
                    return _ghc;
                case 0x08:
                    return 0;
                case 0x0C:
                    return PortCount >= 32 ? 0xFFFF_FFFF : (1u << PortCount) - 1;
                case 0x10:
                    return 0x0001_0301;
                case 0x24:
                    return 0;
            }

            if (offset < 0x100)
            {
                return 0;
            }

            int index = (int)((offset - 0x100) / 0x80);
            SimPort port = _ports[index];
            switch ((offset - 0x100) % 0x80)
            {
                case 0x00: return (uint)port.CommandListBase;
                case 0x04: return (uint)(port.CommandListBase >> 32);
                case 0x08: return (uint)port.FisBase;
                case 0x0C: return (uint)(port.FisBase >> 32);
                case 0x10: Process(index); return port.InterruptStatus;
                case 0x14: return port.InterruptEnable;
                case 0x18: return port.Command;
                case 0x20: return port.Drive is { StaysBusy: true } ? 0x80u : port.TaskFile;
                case 0x24: return port.Drive?.Signature ?? 0xFFFF_FFFF;
                case 0x28: return port.Drive == null ? 0u : 0x113u; // DET=3, SPD=1, IPM=1
                case 0x30: return port.SataError;
                case 0x38: Process(index); return port.CommandIssue;
                default: return 0;
            }
        }

        public void Write(ulong offset, int width, ulong value)
        {
            uint v = (uint)value;
            if (offset == 0x04)
            {
                _ghc = v & ~1u;
                if ((v & 1) != 0)
                {
                    Resets++;
                    if (ResetNeverCompletes)
                    {
                        _ghc |= 1;
                    }
                    else
                    {
                        for (int i = 0; i < 32; i++)
                        {
                            _ports[i].Reset();
                            if (PortNeverStops == i)
                            {
                                _ports[i].Command = 1 | (1 << 15);
                            }
                        }
                    }
                }

                return;
            }

            if (offset < 0x100)
            {
                return;
            }

            int index = (int)((offset - 0x100) / 0x80);
            SimPort port = _ports[index];
            switch ((offset - 0x100) % 0x80)
            {
                case 0x00: port.CommandListBase = (port.CommandListBase & ~0xFFFF_FFFFUL) | v; break;
                case 0x04: port.CommandListBase = (port.CommandListBase & 0xFFFF_FFFFUL) | ((ulong)v << 32); break;
                case 0x08: port.FisBase = (port.FisBase & ~0xFFFF_FFFFUL) | v; break;
                case 0x0C: port.FisBase = (port.FisBase & 0xFFFF_FFFFUL) | ((ulong)v << 32); break;
                case 0x10: port.InterruptStatus &= ~v; break;
                case 0x14: port.InterruptEnable = v; break;
                case 0x18: WriteCommand(index, port, v); break;
                case 0x30: port.SataError &= ~v; break;
                case 0x38:
                    if ((port.Command & 1) == 0)
                    {
                        throw new InvalidOperationException($"port {index}: PxCI written while PxCMD.ST is clear");
                    }

                    port.CommandIssue |= v;
                    break;
            }
        }

        private void WriteCommand(int index, SimPort port, uint value)
        {
            const uint St = 1, Fre = 1 << 4, Fr = 1 << 14, Cr = 1 << 15;
            uint kept = value & ~(Fr | Cr);
            if ((value & St) != 0)
            {
                kept |= Cr;
            }
            else if (PortNeverStops == index && (port.Command & Cr) != 0)
            {
                kept |= Cr;
            }
            else
            {
                port.CommandIssue = 0; // §3.3.14: clearing ST clears PxCI
                port.Blocked = false;
            }

            if ((value & Fre) != 0)
            {
                kept |= Fr;
            }

            port.Command = kept;
        }

        private void Process(int index)
        {
            SimPort port = _ports[index];
            if (port.CommandIssue == 0 || port.Drive == null || port.Blocked)
            {
                return;
            }

            int slot = System.Numerics.BitOperations.TrailingZeroCount(port.CommandIssue);
            Span<byte> header = _dma.DeviceView(port.CommandListBase + (ulong)(slot * 32), 32);
            uint dw0 = BinaryPrimitives.ReadUInt32LittleEndian(header);
            int prdtLength = (int)(dw0 >> 16);
            bool write = (dw0 & (1 << 6)) != 0;
            ulong table = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) << 32);
            Span<byte> fis = _dma.DeviceView(table, 20);
            if (fis[0] != 0x27 || (fis[1] & 0x80) == 0)
            {
                throw new InvalidOperationException($"slot {slot}: not a command H2D register FIS ({fis[0]:x2} {fis[1]:x2})");
            }

            byte command = fis[2];
            ulong lba = fis[4] | ((ulong)fis[5] << 8) | ((ulong)fis[6] << 16) | ((ulong)fis[8] << 24) | ((ulong)fis[9] << 32) | ((ulong)fis[10] << 40);
            int count = fis[12] | (fis[13] << 8);
            SimAhciDrive drive = port.Drive;
            if (drive.HangingCommands.Contains(command))
            {
                port.Blocked = true;
                return;
            }

            byte[] data;
            switch (command)
            {
                case 0xEC:
                    data = Identify(drive);
                    break;
                case 0x25:
                case 0x35:
                    if (Fails(drive, lba, count))
                    {
                        port.TaskFile = 0x0451; // error ABRT, DRDY|DSC|ERR
                        port.InterruptStatus |= 1u << 30;
                        return; // PxCI stays set until the driver stops the port
                    }

                    data = new byte[count * drive.SectorSize];
                    if (command == 0x25)
                    {
                        Array.Copy(drive.Image, (long)lba * drive.SectorSize, data, 0, data.Length);
                    }

                    break;
                case 0xEA:
                    data = Array.Empty<byte>();
                    break;
                default:
                    throw new InvalidOperationException($"unexpected ATA command 0x{command:x2}");
            }

            int moved = MoveData(table, prdtLength, data, write);
            if (command == 0x35)
            {
                Array.Copy(data, 0, drive.Image, (long)lba * drive.SectorSize, moved);
            }

            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)moved);
            drive.Completed.Add((command, lba, count));
            port.TaskFile = StatusReady;
            port.CommandIssue &= ~(1u << slot);
        }

        private static bool Fails(SimAhciDrive drive, ulong lba, int count)
        {
            foreach (ulong bad in drive.FailingLbas)
            {
                if (bad >= lba && bad < lba + (ulong)count)
                {
                    return true;
                }
            }

            return false;
        }

        private int MoveData(ulong table, int prdtLength, byte[] data, bool write)
        {
            int at = 0;
            for (int i = 0; i < prdtLength; i++)
            {
                Span<byte> entry = _dma.DeviceView(table + 0x80 + (ulong)(i * 16), 16);
                ulong address = BinaryPrimitives.ReadUInt32LittleEndian(entry) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]) << 32);
                int bytes = (int)(BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]) & 0x3F_FFFF) + 1;
                bytes = Math.Min(bytes, data.Length - at);
                Span<byte> memory = _dma.DeviceView(address, bytes);
                if (write)
                {
                    memory.CopyTo(data.AsSpan(at, bytes));
                }
                else
                {
                    data.AsSpan(at, bytes).CopyTo(memory);
                }

                at += bytes;
            }

            return at;
        }

        private static byte[] Identify(SimAhciDrive drive)
        {
            var words = new ushort[256];
            words[60] = (ushort)Math.Min(drive.IdentifySectors, 0x0FFF_FFFF);
            words[61] = (ushort)(Math.Min(drive.IdentifySectors, 0x0FFF_FFFF) >> 16);
            words[83] = (ushort)(0x4000 | (drive.Lba48 ? 1 << 10 : 0));
            for (int i = 0; i < 4; i++)
            {
                words[100 + i] = (ushort)(drive.IdentifySectors >> (16 * i));
            }

            if (drive.SectorSize != 512)
            {
                words[106] = 0x4000 | (1 << 12);
                words[117] = (ushort)(drive.SectorSize / 2);
                words[118] = (ushort)((drive.SectorSize / 2) >> 16);
            }

            WriteAtaString(words, 27, 20, drive.Model);
            WriteAtaString(words, 10, 10, "SIM0001");
            var bytes = new byte[512];
            for (int i = 0; i < 256; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), words[i]);
            }

            return bytes;
        }

        private static void WriteAtaString(ushort[] words, int first, int count, string text)
        {
            byte[] padded = Encoding.ASCII.GetBytes(text.PadRight(count * 2));
            for (int i = 0; i < count; i++)
            {
                words[first + i] = (ushort)((padded[i * 2] << 8) | padded[(i * 2) + 1]);
            }
        }

        private sealed class SimPort
        {
            public SimAhciDrive? Drive { get; set; }

            public ulong CommandListBase { get; set; }

            public ulong FisBase { get; set; }

            public uint InterruptStatus { get; set; }

            public uint InterruptEnable { get; set; }

            public uint Command { get; set; }

            public uint TaskFile { get; set; } = StatusReady;

            public uint SataError { get; set; }

            public uint CommandIssue { get; set; }

            /// <summary>A hanging command holds the port until the driver stops it.</summary>
            public bool Blocked { get; set; }

            public void Reset()
            {
                Command = 0;
                CommandIssue = 0;
                InterruptStatus = 0;
                TaskFile = StatusReady;
                Blocked = false;
            }
        }
    }
}
