using System.Collections.Generic;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage.Partitions
{
    /// <summary>The partitions of a disk, whichever kind of table it has.</summary>
    public sealed class PartitionTable
    {
        private PartitionTable(PartitionTableKind kind, IReadOnlyList<Partition> partitions, bool usedBackupGpt)
        {
            Kind = kind;
            Partitions = partitions;
            UsedBackupGpt = usedBackupGpt;
        }

        /// <summary>The kind of table found.</summary>
        public PartitionTableKind Kind { get; }

        /// <summary>The partitions in table order (empty when <see cref="Kind"/> is None).</summary>
        public IReadOnlyList<Partition> Partitions { get; }

        /// <summary>True when the primary GPT was bad and the backup at the end of the disk was used.</summary>
        public bool UsedBackupGpt { get; }

        /// <summary>
        /// Reads the table of <paramref name="device"/>: GPT behind a protective MBR, else MBR, else none
        /// (the whole disk is one volume). A corrupt table throws <see cref="StorageFormatException"/>.
        /// </summary>
        public static PartitionTable Read(IBlockDevice device)
        {
            if (device.BlockCount == 0)
            {
                return new PartitionTable(PartitionTableKind.None, new List<Partition>(), false);
            }

            byte[] sector0 = BlockDeviceReader.ReadBlocks(device, 0, 1, "MBR");
            if (MbrPartitionTable.IsProtective(sector0))
            {
                List<Partition> gpt = GptPartitionTable.Read(device, out bool usedBackup);
                return new PartitionTable(PartitionTableKind.Gpt, gpt, usedBackup);
            }

            if (MbrPartitionTable.LooksLikeMbr(sector0))
            {
                return new PartitionTable(PartitionTableKind.Mbr, MbrPartitionTable.Read(device), false);
            }

            return new PartitionTable(PartitionTableKind.None, new List<Partition>(), false);
        }
    }
}
