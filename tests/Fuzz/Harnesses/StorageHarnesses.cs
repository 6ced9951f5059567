using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using Cosmos.Fuzz.Fakes;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Cosmos.System.Storage.Partitions;

namespace Cosmos.Fuzz.Harnesses
{
    /// <summary>
    /// Partition tables and FAT. Their documented error for a corrupt structure is <see cref="StorageFormatException"/>
    /// (the message names the structure, field and value).
    /// </summary>
    internal static class StorageHarnesses
    {
        // Room for GPT's backup header at the end and for FAT32 volumes the seeds describe (64 MiB).
        private const ulong DiskBlocks = 131072;

        // Enough to walk a corrupt volume whose directories loop, without making one input a hang.
        private const int MaxEntriesWalked = 4096;
        private const int MaxFileBytesRead = 1 << 20;

        public static IEnumerable<Harness> All()
        {
            yield return new Harness("partition", "PartitionTable.Read (MBR, GPT with backup) on the input as the first sectors of a 64 MiB disk, then block 0 of each partition",
                Partition, typeof(StorageFormatException));
            yield return new Harness("fat-boot", "FatBootSector.Parse on the input as sector 0",
                input => FatBootSector.Parse(Pad(input, 512)), typeof(StorageFormatException));
            yield return new Harness("fat-directory", "FatDirectoryParser.Parse (short entries, long-name chains, checksums) on the input as directory bytes",
                input => FatDirectoryParser.Parse(input, "/fuzz"), typeof(StorageFormatException));
            yield return new Harness("fat-volume", "FatFileSystem.Mount on sparse sector chunks, then every directory listed and every file read, then a file written",
                Volume, typeof(StorageFormatException), typeof(StorageFullException));
        }

        private static byte[] Pad(byte[] input, int length)
        {
            if (input.Length >= length)
            {
                return input;
            }

            byte[] padded = new byte[length];
            input.CopyTo(padded, 0);
            return padded;
        }

        private static void Partition(byte[] input)
        {
            SparseBlockDevice disk = SparseBlockDevice.FromImage(input, DiskBlocks);
            PartitionTable table = PartitionTable.Read(disk);
            byte[] block = new byte[512];
            foreach (Partition partition in table.Partitions)
            {
                var device = new PartitionBlockDevice(disk, partition);
                if (device.BlockCount > 0)
                {
                    device.Read(0, block);
                    device.Read(device.BlockCount - 1, block);
                }
            }
        }

        /// <summary>
        /// The input is chunks (see <see cref="InputReader.LengthPrefixed"/>), each a 4-byte little-endian sector
        /// number and the bytes placed there: the boot sector, FSInfo, the FAT's first sectors and the directory
        /// clusters of a volume whose other sectors are zero.
        /// </summary>
        public static SparseBlockDevice VolumeFromChunks(byte[] input)
        {
            var disk = new SparseBlockDevice(DiskBlocks);
            foreach (byte[] chunk in InputReader.LengthPrefixed(input, 256))
            {
                if (chunk.Length >= 4)
                {
                    disk.Put(BinaryPrimitives.ReadUInt32LittleEndian(chunk) % DiskBlocks, chunk.AsSpan(4));
                }
            }

            return disk;
        }

        private static void Volume(byte[] input)
        {
            SparseBlockDevice disk = VolumeFromChunks(input);
            FatFileSystem volume = FatFileSystem.Mount(disk, cacheBlocks: 64);
            int walked = 0;
            var pending = new Stack<FatDirectoryEntry>();
            pending.Push(volume.Root);
            byte[] buffer = new byte[4096];
            while (pending.Count > 0 && walked < MaxEntriesWalked)
            {
                foreach (FatDirectoryEntry entry in volume.ReadDirectory(pending.Pop()))
                {
                    if (++walked >= MaxEntriesWalked)
                    {
                        break;
                    }

                    if (entry.IsDirectory)
                    {
                        pending.Push(entry);
                        continue;
                    }

                    FatFile file = volume.OpenFile(entry);
                    long end = Math.Min(file.Length, MaxFileBytesRead);
                    for (long offset = 0; offset < end;)
                    {
                        int read = file.Read(offset, buffer);
                        if (read <= 0)
                        {
                            break;
                        }

                        offset += read;
                    }
                }
            }

            // Writing allocates from the (corrupt) FAT and adds to the (corrupt) root directory.
            if (volume.FindEntry("/FUZZ.TXT") is null)
            {
                volume.WriteAllBytes("/FUZZ.TXT", "written by the fuzzer"u8);
            }

            if (volume.FindEntry("/FUZZDIR") is null)
            {
                volume.CreateDirectory("/FUZZDIR");
            }

            volume.Flush();
        }
    }
}
