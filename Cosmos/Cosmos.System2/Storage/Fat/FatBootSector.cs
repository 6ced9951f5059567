using System;
using System.Buffers.Binary;
using System.Text;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>
    /// The BIOS parameter block of a FAT volume, validated, with the layout derived from it
    /// (fatgen103 "Boot Sector and BPB Structure" and "FAT Data Structure").
    /// </summary>
    public sealed class FatBootSector
    {
        private FatBootSector()
        {
        }

        /// <summary>BPB_BytsPerSec: 512, 1024, 2048 or 4096.</summary>
        public int BytesPerSector { get; private set; }

        /// <summary>BPB_SecPerClus: a power of two from 1 to 128.</summary>
        public int SectorsPerCluster { get; private set; }

        /// <summary>BPB_RsvdSecCnt.</summary>
        public uint ReservedSectors { get; private set; }

        /// <summary>BPB_NumFATs.</summary>
        public int FatCount { get; private set; }

        /// <summary>BPB_RootEntCnt (0 on FAT32).</summary>
        public int RootEntryCount { get; private set; }

        /// <summary>BPB_TotSec16 or BPB_TotSec32.</summary>
        public uint TotalSectors { get; private set; }

        /// <summary>BPB_FATSz16 or BPB_FATSz32: sectors per FAT copy.</summary>
        public uint SectorsPerFat { get; private set; }

        /// <summary>BPB_RootClus (FAT32 only; 0 otherwise).</summary>
        public uint RootCluster { get; private set; }

        /// <summary>BPB_FSInfo (FAT32 only; 0 otherwise).</summary>
        public uint FsInfoSector { get; private set; }

        /// <summary>The volume label from the extended boot record, trimmed.</summary>
        public string VolumeLabel { get; private set; } = "";

        /// <summary>The FAT variant from the cluster count.</summary>
        public FatType Type { get; private set; }

        /// <summary>The number of data clusters; valid cluster numbers are 2..<see cref="ClusterCount"/>+1.</summary>
        public uint ClusterCount { get; private set; }

        /// <summary>The first sector of the fixed root directory (FAT12/16).</summary>
        public uint RootDirectoryFirstSector { get; private set; }

        /// <summary>Sectors of the fixed root directory (0 on FAT32).</summary>
        public uint RootDirectorySectors { get; private set; }

        /// <summary>The sector of cluster 2.</summary>
        public uint FirstDataSector { get; private set; }

        /// <summary>Bytes in one cluster.</summary>
        public int BytesPerCluster => BytesPerSector * SectorsPerCluster;

        /// <summary>The first sector of FAT copy <paramref name="copy"/>.</summary>
        public uint FatFirstSector(int copy) => ReservedSectors + (uint)copy * SectorsPerFat;

        /// <summary>The first sector of data cluster <paramref name="cluster"/>.</summary>
        public ulong ClusterFirstSector(uint cluster) => FirstDataSector + (ulong)(cluster - 2) * (uint)SectorsPerCluster;

        /// <summary>Parses and validates a boot sector; anything inconsistent throws <see cref="StorageFormatException"/>.</summary>
        public static FatBootSector Parse(ReadOnlySpan<byte> sector)
        {
            if (sector.Length < 512)
            {
                throw new StorageFormatException($"FAT: boot sector of {sector.Length} bytes is shorter than 512");
            }

            if (!(sector[0] == 0xEB && sector[2] == 0x90) && sector[0] != 0xE9)
            {
                throw new StorageFormatException($"FAT: BS_jmpBoot 0x{sector[0]:x2} 0x{sector[2]:x2} is not a FAT boot jump");
            }

            if (sector[510] != 0x55 || sector[511] != 0xAA)
            {
                throw new StorageFormatException($"FAT: boot signature 0x{sector[510]:x2}{sector[511]:x2}, expected 0x55aa");
            }

            var bpb = new FatBootSector();
            bpb.BytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(sector.Slice(11));
            if (bpb.BytesPerSector is not (512 or 1024 or 2048 or 4096))
            {
                throw new StorageFormatException($"FAT: BPB_BytsPerSec {bpb.BytesPerSector} is not 512, 1024, 2048 or 4096");
            }

            bpb.SectorsPerCluster = sector[13];
            if (bpb.SectorsPerCluster == 0 || (bpb.SectorsPerCluster & (bpb.SectorsPerCluster - 1)) != 0)
            {
                throw new StorageFormatException($"FAT: BPB_SecPerClus {bpb.SectorsPerCluster} is not a power of two");
            }

            bpb.ReservedSectors = BinaryPrimitives.ReadUInt16LittleEndian(sector.Slice(14));
            if (bpb.ReservedSectors == 0)
            {
                throw new StorageFormatException("FAT: BPB_RsvdSecCnt is 0");
            }

            bpb.FatCount = sector[16];
            if (bpb.FatCount == 0)
            {
                throw new StorageFormatException("FAT: BPB_NumFATs is 0");
            }

            bpb.RootEntryCount = BinaryPrimitives.ReadUInt16LittleEndian(sector.Slice(17));
            uint totalSectors16 = BinaryPrimitives.ReadUInt16LittleEndian(sector.Slice(19));
            uint fatSize16 = BinaryPrimitives.ReadUInt16LittleEndian(sector.Slice(22));
            uint totalSectors32 = BinaryPrimitives.ReadUInt32LittleEndian(sector.Slice(32));
            uint fatSize32 = BinaryPrimitives.ReadUInt32LittleEndian(sector.Slice(36));
            bpb.TotalSectors = totalSectors16 != 0 ? totalSectors16 : totalSectors32;
            bpb.SectorsPerFat = fatSize16 != 0 ? fatSize16 : fatSize32;
            if (bpb.TotalSectors == 0)
            {
                throw new StorageFormatException("FAT: BPB_TotSec16 and BPB_TotSec32 are both 0");
            }

            if (bpb.SectorsPerFat == 0)
            {
                throw new StorageFormatException("FAT: BPB_FATSz16 and BPB_FATSz32 are both 0");
            }

            bpb.RootDirectorySectors = (uint)((bpb.RootEntryCount * 32 + bpb.BytesPerSector - 1) / bpb.BytesPerSector);
            ulong metadataSectors = bpb.ReservedSectors + (ulong)bpb.FatCount * bpb.SectorsPerFat + bpb.RootDirectorySectors;
            if (metadataSectors >= bpb.TotalSectors)
            {
                throw new StorageFormatException(
                    $"FAT: reserved, FAT and root directory sectors ({metadataSectors}) fill the whole volume of {bpb.TotalSectors} sectors");
            }

            bpb.RootDirectoryFirstSector = bpb.ReservedSectors + (uint)bpb.FatCount * bpb.SectorsPerFat;
            bpb.FirstDataSector = (uint)metadataSectors;
            bpb.ClusterCount = (uint)((bpb.TotalSectors - metadataSectors) / (uint)bpb.SectorsPerCluster);
            bpb.Type = bpb.ClusterCount < 4085 ? FatType.Fat12 : bpb.ClusterCount < 65525 ? FatType.Fat16 : FatType.Fat32;
            if (bpb.ClusterCount == 0)
            {
                throw new StorageFormatException("FAT: the volume has no data clusters");
            }

            int labelOffset;
            if (bpb.Type == FatType.Fat32)
            {
                if (bpb.RootEntryCount != 0 || fatSize16 != 0)
                {
                    throw new StorageFormatException(
                        $"FAT: {bpb.ClusterCount} clusters make FAT32, but BPB_RootEntCnt is {bpb.RootEntryCount} and BPB_FATSz16 is {fatSize16}");
                }

                bpb.RootCluster = BinaryPrimitives.ReadUInt32LittleEndian(sector.Slice(44));
                if (bpb.RootCluster < 2 || bpb.RootCluster > bpb.ClusterCount + 1)
                {
                    throw new StorageFormatException($"FAT: BPB_RootClus {bpb.RootCluster} is outside clusters 2..{bpb.ClusterCount + 1}");
                }

                bpb.FsInfoSector = BinaryPrimitives.ReadUInt16LittleEndian(sector.Slice(48));
                labelOffset = 71;
            }
            else
            {
                if (bpb.RootEntryCount == 0)
                {
                    throw new StorageFormatException($"FAT: {bpb.ClusterCount} clusters make {bpb.Type}, but BPB_RootEntCnt is 0");
                }

                labelOffset = 43;
            }

            // Each FAT must hold an entry for clusters 0..ClusterCount+1.
            ulong entryBits = bpb.Type == FatType.Fat12 ? 12UL : bpb.Type == FatType.Fat16 ? 16UL : 32UL;
            ulong neededFatBytes = ((bpb.ClusterCount + 2) * entryBits + 7) / 8;
            if ((ulong)bpb.SectorsPerFat * (uint)bpb.BytesPerSector < neededFatBytes)
            {
                throw new StorageFormatException(
                    $"FAT: BPB_FATSz {bpb.SectorsPerFat} sectors cannot hold {bpb.ClusterCount + 2} {bpb.Type} entries");
            }

            byte bootSignature = sector[labelOffset - 5];
            if (bootSignature == 0x29)
            {
                bpb.VolumeLabel = Encoding.ASCII.GetString(sector.Slice(labelOffset, 11)).TrimEnd(' ', '\0');
            }

            return bpb;
        }
    }
}
