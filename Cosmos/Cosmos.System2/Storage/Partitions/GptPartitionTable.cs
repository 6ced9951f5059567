using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage.Partitions
{
    /// <summary>Reads a GUID partition table (UEFI 2.10 §5.3), falling back to the backup header when the primary is bad.</summary>
    public static class GptPartitionTable
    {
        private const ulong Signature = 0x5452415020494645; // "EFI PART"
        private const int MinHeaderSize = 92;
        private const int MaxEntryArrayBytes = 1 << 20;

        /// <summary>Reads the partitions. <paramref name="usedBackup"/> tells whether the primary header or its array was bad.</summary>
        public static List<Partition> Read(IBlockDevice device, out bool usedBackup)
        {
            if (device.BlockCount < 3)
            {
                throw new StorageFormatException($"GPT: disk of {device.BlockCount} blocks is too small");
            }

            string primaryError;
            try
            {
                usedBackup = false;
                return ReadFrom(device, 1);
            }
            catch (StorageFormatException e)
            {
                primaryError = e.Message;
            }

            try
            {
                usedBackup = true;
                return ReadFrom(device, device.BlockCount - 1);
            }
            catch (StorageFormatException e)
            {
                throw new StorageFormatException($"GPT: primary and backup are both bad ({primaryError}; {e.Message})");
            }
        }

        private static List<Partition> ReadFrom(IBlockDevice device, ulong headerLba)
        {
            string what = $"GPT header at block {headerLba}";
            byte[] block = BlockDeviceReader.ReadBlocks(device, headerLba, 1, what);
            ReadOnlySpan<byte> header = block;
            ulong signature = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (signature != Signature)
            {
                throw new StorageFormatException($"{what}: signature 0x{signature:x16}, expected \"EFI PART\"");
            }

            uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(12));
            if (headerSize < MinHeaderSize || headerSize > block.Length)
            {
                throw new StorageFormatException($"{what}: header size {headerSize} is outside {MinHeaderSize}..{block.Length}");
            }

            uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(16));
            byte[] copy = header.Slice(0, (int)headerSize).ToArray();
            copy.AsSpan(16, 4).Clear();
            uint actualCrc = Crc32.Compute(copy);
            if (storedCrc != actualCrc)
            {
                throw new StorageFormatException($"{what}: header CRC32 0x{storedCrc:x8}, computed 0x{actualCrc:x8}");
            }

            ulong myLba = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(24));
            if (myLba != headerLba)
            {
                throw new StorageFormatException($"{what}: MyLBA is {myLba}");
            }

            ulong firstUsable = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(40));
            ulong lastUsable = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(48));
            if (firstUsable > lastUsable || lastUsable >= device.BlockCount)
            {
                throw new StorageFormatException(
                    $"{what}: usable blocks {firstUsable}..{lastUsable} do not fit the disk of {device.BlockCount} blocks");
            }

            ulong entryLba = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(72));
            uint entryCount = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(80));
            uint entrySize = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(84));
            uint entryArrayCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(88));
            if (entrySize < 128 || (entrySize & (entrySize - 1)) != 0)
            {
                throw new StorageFormatException($"{what}: partition entry size {entrySize} is not 128 times a power of two");
            }

            ulong arrayBytes = (ulong)entryCount * entrySize;
            if (arrayBytes == 0 || arrayBytes > MaxEntryArrayBytes)
            {
                throw new StorageFormatException($"{what}: {entryCount} entries of {entrySize} bytes is not a usable entry array");
            }

            ulong arrayBlocks = (arrayBytes + (ulong)device.BlockSize - 1) / (ulong)device.BlockSize;
            byte[] array = BlockDeviceReader.ReadBlocks(device, entryLba, arrayBlocks, $"GPT entry array at block {entryLba}");
            uint actualArrayCrc = Crc32.Compute(array.AsSpan(0, (int)arrayBytes));
            if (actualArrayCrc != entryArrayCrc)
            {
                throw new StorageFormatException(
                    $"GPT entry array at block {entryLba}: CRC32 0x{actualArrayCrc:x8}, header says 0x{entryArrayCrc:x8}");
            }

            var partitions = new List<Partition>();
            for (int i = 0; i < entryCount; i++)
            {
                ReadOnlySpan<byte> entry = array.AsSpan(i * (int)entrySize, (int)entrySize);
                var typeGuid = new Guid(entry.Slice(0, 16));
                if (typeGuid == Guid.Empty)
                {
                    continue;
                }

                ulong start = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(32));
                ulong end = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(40));
                if (start < firstUsable || end > lastUsable || start > end)
                {
                    throw new StorageFormatException(
                        $"GPT entry {i + 1}: blocks {start}..{end} are outside the usable blocks {firstUsable}..{lastUsable}");
                }

                string name = DecodeName(entry.Slice(56, 72));
                partitions.Add(new Partition(i + 1, start, end - start + 1, typeGuid.ToString(), name, 0, typeGuid));
            }

            return partitions;
        }

        private static string DecodeName(ReadOnlySpan<byte> utf16)
        {
            int length = 0;
            while (length + 1 < utf16.Length && (utf16[length] | utf16[length + 1]) != 0)
            {
                length += 2;
            }

            return Encoding.Unicode.GetString(utf16.Slice(0, length));
        }
    }
}
