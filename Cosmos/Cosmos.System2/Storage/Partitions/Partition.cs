using System;

namespace Cosmos.System.Storage.Partitions
{
    /// <summary>One partition found in a partition table; blocks are in the disk's block size.</summary>
    public sealed class Partition
    {
        /// <summary>Creates a partition description.</summary>
        public Partition(int index, ulong firstBlock, ulong blockCount, string type, string name, byte mbrType, Guid typeGuid)
        {
            Index = index;
            FirstBlock = firstBlock;
            BlockCount = blockCount;
            Type = type;
            Name = name;
            MbrType = mbrType;
            TypeGuid = typeGuid;
        }

        /// <summary>
        /// The partition's number as Linux gives it: MBR primaries 1–4 by slot, logical partitions from 5;
        /// GPT entries by their position in the entry array, from 1.
        /// </summary>
        public int Index { get; }

        /// <summary>The first block.</summary>
        public ulong FirstBlock { get; }

        /// <summary>The number of blocks.</summary>
        public ulong BlockCount { get; }

        /// <summary>The type for listings: "0x0c" for MBR, the type GUID for GPT.</summary>
        public string Type { get; }

        /// <summary>The GPT partition name; empty for MBR.</summary>
        public string Name { get; }

        /// <summary>The MBR system indicator byte; 0 for GPT.</summary>
        public byte MbrType { get; }

        /// <summary>The GPT partition type GUID; <see cref="Guid.Empty"/> for MBR.</summary>
        public Guid TypeGuid { get; }

        /// <inheritdoc/>
        public override string ToString() => $"#{Index} {FirstBlock}+{BlockCount} type {Type}" + (Name.Length > 0 ? $" \"{Name}\"" : "");
    }
}
