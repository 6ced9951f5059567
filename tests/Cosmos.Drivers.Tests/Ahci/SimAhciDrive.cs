using System;
using System.Collections.Generic;

namespace Cosmos.Drivers.Tests.Ahci
{
    /// <summary>What a simulated port has attached and how it misbehaves.</summary>
    internal sealed class SimAhciDrive
    {
        public SimAhciDrive(int sectors, int sectorSize = 512)
        {
            SectorSize = sectorSize;
            Image = new byte[sectors * sectorSize];
            new Random(sectors).NextBytes(Image);
            IdentifySectors = (ulong)sectors;
        }

        public int SectorSize { get; }

        public byte[] Image { get; }

        /// <summary>PxSIG; ATAPI for a CD-ROM.</summary>
        public uint Signature { get; set; } = 0x0000_0101;

        /// <summary>What IDENTIFY claims (may lie).</summary>
        public ulong IdentifySectors { get; set; }

        public bool Lba48 { get; set; } = true;

        public string Model { get; set; } = "QEMU HARDDISK";

        /// <summary>Commands with these opcodes are accepted and never finished.</summary>
        public HashSet<byte> HangingCommands { get; } = new();

        /// <summary>Reads and writes touching these LBAs end in a task file error (ABRT).</summary>
        public HashSet<ulong> FailingLbas { get; } = new();

        /// <summary>PxTFD.STS.BSY never clears.</summary>
        public bool StaysBusy { get; set; }

        /// <summary>Commands the device finished, by opcode.</summary>
        public List<(byte Command, ulong Lba, int Count)> Completed { get; } = new();
    }
}
