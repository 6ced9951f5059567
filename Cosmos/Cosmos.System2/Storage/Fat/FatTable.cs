using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>Reads the file allocation table (the first copy) and follows cluster chains with loop and range checks.</summary>
    public sealed class FatTable
    {
        private readonly FatBootSector _bpb;
        private readonly FatSectorCache _cache;
        private readonly ulong _fatByteOffset;

        /// <summary>Creates a reader for the volume's first FAT.</summary>
        public FatTable(FatBootSector bootSector, FatSectorCache cache)
        {
            _bpb = bootSector;
            _cache = cache;
            _fatByteOffset = (ulong)bootSector.FatFirstSector(0) * (uint)bootSector.BytesPerSector;
        }

        /// <summary>The smallest entry value that ends a chain for this FAT type.</summary>
        public uint EndOfChainMinimum => _bpb.Type switch
        {
            FatType.Fat12 => 0xFF8,
            FatType.Fat16 => 0xFFF8,
            _ => 0x0FFFFFF8,
        };

        /// <summary>The entry value that marks a bad cluster.</summary>
        public uint BadCluster => EndOfChainMinimum - 1;

        /// <summary>The highest valid cluster number.</summary>
        public uint LastCluster => _bpb.ClusterCount + 1;

        /// <summary>The raw entry for <paramref name="cluster"/> (FAT32: the low 28 bits).</summary>
        public uint ReadEntry(uint cluster)
        {
            if (cluster > LastCluster)
            {
                throw new StorageFormatException($"FAT: cluster {cluster} is past the last cluster {LastCluster}");
            }

            Span<byte> bytes = stackalloc byte[4];
            switch (_bpb.Type)
            {
                case FatType.Fat12:
                    {
                        // Entries are 1.5 bytes: an even cluster has the low 12 bits, an odd one the high 12.
                        ulong offset = cluster + (cluster / 2);
                        _cache.Read(_fatByteOffset + offset, bytes.Slice(0, 2));
                        uint pair = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
                        return (cluster & 1) != 0 ? pair >> 4 : pair & 0xFFF;
                    }

                case FatType.Fat16:
                    _cache.Read(_fatByteOffset + cluster * 2UL, bytes.Slice(0, 2));
                    return BinaryPrimitives.ReadUInt16LittleEndian(bytes);
                default:
                    _cache.Read(_fatByteOffset + cluster * 4UL, bytes);
                    return BinaryPrimitives.ReadUInt32LittleEndian(bytes) & 0x0FFFFFFF;
            }
        }

        /// <summary>Sets the entry for <paramref name="cluster"/> in every FAT copy (FAT32 keeps the reserved top 4 bits).</summary>
        public void WriteEntry(uint cluster, uint value)
        {
            if (!IsValidCluster(cluster))
            {
                throw new ArgumentOutOfRangeException(nameof(cluster), $"cluster {cluster} is outside 2..{LastCluster}");
            }

            Span<byte> bytes = stackalloc byte[4];
            for (int copy = 0; copy < _bpb.FatCount; copy++)
            {
                ulong fat = (ulong)_bpb.FatFirstSector(copy) * (uint)_bpb.BytesPerSector;
                switch (_bpb.Type)
                {
                    case FatType.Fat12:
                        {
                            ulong offset = fat + cluster + (cluster / 2);
                            _cache.Read(offset, bytes.Slice(0, 2));
                            uint pair = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
                            pair = (cluster & 1) != 0 ? (pair & 0x000Fu) | ((value & 0xFFFu) << 4) : (pair & 0xF000u) | (value & 0xFFFu);
                            BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)pair);
                            _cache.Write(offset, bytes.Slice(0, 2));
                            break;
                        }

                    case FatType.Fat16:
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
                        _cache.Write(fat + cluster * 2UL, bytes.Slice(0, 2));
                        break;
                    default:
                        _cache.Read(fat + cluster * 4UL, bytes);
                        uint old = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (old & 0xF0000000u) | (value & 0x0FFFFFFFu));
                        _cache.Write(fat + cluster * 4UL, bytes);
                        break;
                }
            }
        }

        /// <summary>The end-of-chain value written by this implementation.</summary>
        public uint EndOfChain => _bpb.Type == FatType.Fat12 ? 0xFFFu : _bpb.Type == FatType.Fat16 ? 0xFFFFu : 0x0FFFFFFFu;

        /// <summary>True when <paramref name="cluster"/> is a data cluster of this volume.</summary>
        public bool IsValidCluster(uint cluster) => cluster >= 2 && cluster <= LastCluster;

        /// <summary>
        /// The clusters of the chain that starts at <paramref name="firstCluster"/>, in order. A free, bad
        /// or out-of-range link, or a chain longer than the volume (a loop), throws <see cref="StorageFormatException"/>.
        /// </summary>
        public List<uint> ReadChain(uint firstCluster, string owner)
        {
            var chain = new List<uint>();
            uint cluster = firstCluster;
            if (!IsValidCluster(cluster))
            {
                throw new StorageFormatException($"FAT: {owner} starts at cluster {cluster}, outside clusters 2..{LastCluster}");
            }

            while (true)
            {
                chain.Add(cluster);
                if ((uint)chain.Count > _bpb.ClusterCount)
                {
                    throw new StorageFormatException($"FAT: the cluster chain of {owner} loops (longer than the {_bpb.ClusterCount} clusters of the volume)");
                }

                uint next = ReadEntry(cluster);
                if (next >= EndOfChainMinimum)
                {
                    return chain;
                }

                if (next == 0 || next == BadCluster || !IsValidCluster(next))
                {
                    string kind = next == 0 ? "free" : next == BadCluster ? "bad" : "out of range";
                    throw new StorageFormatException(
                        $"FAT: the chain of {owner} links cluster {cluster} to {next} (0x{next:x}), which is {kind}; valid clusters are 2..{LastCluster}");
                }

                cluster = next;
            }
        }
    }
}
