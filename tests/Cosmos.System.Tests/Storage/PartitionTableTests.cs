using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cosmos.HAL.Devices;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Cosmos.System.Storage.Partitions;
using Xunit;

namespace Cosmos.System.Tests.Storage
{
    public class PartitionTableTests
    {
        private const string MbrScript = "label: dos\n,4MiB,c\n,4MiB,83\n,4MiB,e\n,,5\n,6MiB,c\n,6MiB,83\n,,83\n";

        [Fact]
        public void MbrWithLogicalPartitionsMatchesSfdisk()
        {
            using var tools = new DiskImageTools();
            string disk = MakeMbrDisk(tools);
            byte[] image = File.ReadAllBytes(disk);

            PartitionTable table = PartitionTable.Read(new MemoryBlockDevice(image));

            Assert.Equal(PartitionTableKind.Mbr, table.Kind);
            List<(int Index, ulong Start, ulong Size, string Type)> expected = SfdiskPartitions(tools, disk)
                .Where(p => p.Type is not ("5" or "f" or "85"))
                .ToList();
            Assert.Equal(6, expected.Count);
            Assert.Equal(expected.Select(p => (p.Index, p.Start, p.Size, Convert.ToByte(p.Type, 16))),
                table.Partitions.Select(p => (p.Index, p.FirstBlock, p.BlockCount, p.MbrType)));
            Assert.Equal(new[] { 1, 2, 3, 5, 6, 7 }, table.Partitions.Select(p => p.Index));
        }

        [Fact]
        public void FatInALogicalPartitionIsReadThroughThePartitionView()
        {
            using var tools = new DiskImageTools();
            string disk = MakeMbrDisk(tools);
            byte[] image = File.ReadAllBytes(disk);
            Partition logical = PartitionTable.Read(new MemoryBlockDevice(image)).Partitions.Single(p => p.Index == 5);
            string fat = tools.MakeFat("part.img", 12, (int)(logical.BlockCount / 2));
            byte[] content = FatReadTests.Pattern(12345, 5);
            tools.Mcopy(fat, tools.HostFile("x", content), "/INSIDE.BIN");
            File.ReadAllBytes(fat).CopyTo(image, (long)logical.FirstBlock * 512);

            var device = new MemoryBlockDevice(image);
            var view = new PartitionBlockDevice(device, PartitionTable.Read(device).Partitions.Single(p => p.Index == 5));
            FatFileSystem fs = FatFileSystem.Mount(view);
            Assert.Equal(content, fs.ReadAllBytes("/inside.bin"));
        }

        [Fact]
        public void GptMatchesSfdiskAndCarriesNames()
        {
            using var tools = new DiskImageTools();
            string disk = MakeGptDisk(tools);
            byte[] image = File.ReadAllBytes(disk);

            PartitionTable table = PartitionTable.Read(new MemoryBlockDevice(image));

            Assert.Equal(PartitionTableKind.Gpt, table.Kind);
            Assert.False(table.UsedBackupGpt);
            AssertMatchesSfdisk(tools, disk, table);
            Assert.Equal(new[] { "Data ü", "linux" }, table.Partitions.Select(p => p.Name));
            Assert.Equal(Guid.Parse("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"), table.Partitions[0].TypeGuid);
        }

        [Theory]
        [InlineData(1 * 512 + 20)] // inside the primary header: its CRC fails
        [InlineData(2 * 512 + 40)] // inside the primary entry array: the array CRC fails
        public void GptFallsBackToTheBackupHeader(int corruptOffset)
        {
            using var tools = new DiskImageTools();
            string disk = MakeGptDisk(tools);
            byte[] image = File.ReadAllBytes(disk);
            image[corruptOffset] ^= 0xFF;

            PartitionTable table = PartitionTable.Read(new MemoryBlockDevice(image));

            Assert.True(table.UsedBackupGpt);
            AssertMatchesSfdisk(tools, disk, table);
        }

        [Fact]
        public void GptWithBothHeadersBadIsAClearError()
        {
            using var tools = new DiskImageTools();
            byte[] image = File.ReadAllBytes(MakeGptDisk(tools));
            image[512 + 20] ^= 0xFF;
            image[image.Length - 512 + 20] ^= 0xFF;

            var error = Assert.Throws<StorageFormatException>(() => PartitionTable.Read(new MemoryBlockDevice(image)));
            Assert.Contains("primary and backup", error.Message);
            Assert.Contains("CRC32", error.Message);
        }

        [Fact]
        public void TruncatedGptDiskIsAClearError()
        {
            using var tools = new DiskImageTools();
            byte[] image = File.ReadAllBytes(MakeGptDisk(tools));
            byte[] truncated = image.AsSpan(0, 8 * 1024 * 1024).ToArray();
            var error = Assert.Throws<StorageFormatException>(() => PartitionTable.Read(new MemoryBlockDevice(truncated)));
            Assert.Contains("do not fit the disk of 16384 blocks", error.Message);
        }

        [Fact]
        public void MbrEntryPastTheEndOfTheDiskIsNamed()
        {
            using var tools = new DiskImageTools();
            byte[] image = File.ReadAllBytes(MakeMbrDisk(tools));
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + 16 + 8), 999_999_999);

            var error = Assert.Throws<StorageFormatException>(() => PartitionTable.Read(new MemoryBlockDevice(image)));
            Assert.Contains("MBR entry 2", error.Message);
            Assert.Contains("999999999", error.Message);
        }

        [Fact]
        public void ExtendedBootRecordLoopIsDetected()
        {
            using var tools = new DiskImageTools();
            string disk = MakeMbrDisk(tools);
            byte[] image = File.ReadAllBytes(disk);
            ulong extendedStart = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(446 + 3 * 16 + 8));
            int firstEbr = (int)extendedStart * 512;
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(firstEbr + 446 + 16 + 8), 0);

            var error = Assert.Throws<StorageFormatException>(() => PartitionTable.Read(new MemoryBlockDevice(image)));
            Assert.Contains("loops", error.Message);
            Assert.Contains(extendedStart.ToString(), error.Message);
        }

        [Fact]
        public void WholeDiskFatAndEmptyDiskHaveNoTable()
        {
            using var tools = new DiskImageTools();
            foreach (int bits in new[] { 12, 16, 32 })
            {
                byte[] fat = File.ReadAllBytes(tools.MakeFat($"fs{bits}.img", bits, bits == 32 ? 40960 : 16384 / (bits == 12 ? 8 : 1)));
                Assert.Equal(PartitionTableKind.None, PartitionTable.Read(new MemoryBlockDevice(fat)).Kind);
            }

            Assert.Equal(PartitionTableKind.None, PartitionTable.Read(new MemoryBlockDevice(new byte[65536])).Kind);
            Assert.Equal(PartitionTableKind.None, PartitionTable.Read(new MemoryBlockDevice(Array.Empty<byte>())).Kind);
        }

        [Fact]
        public void PartitionViewMapsAndBoundsChecks()
        {
            byte[] image = new byte[100 * 512];
            for (int block = 0; block < 100; block++)
            {
                image[block * 512] = (byte)block;
            }

            var disk = new MemoryBlockDevice(image);
            var view = new PartitionBlockDevice(disk, new Partition(1, 10, 20, "0x0c", "", 0x0C, Guid.Empty));
            byte[] buffer = new byte[2 * 512];

            Assert.Equal(20UL, view.BlockCount);
            Assert.Equal(BlockResult.Ok, view.Read(18, buffer));
            Assert.Equal(28, buffer[0]);
            Assert.Equal(29, buffer[512]);
            Assert.Throws<ArgumentOutOfRangeException>(() => view.Read(19, buffer));
            Assert.Throws<ArgumentOutOfRangeException>(() => view.Write(ulong.MaxValue, buffer));
            Assert.Throws<ArgumentException>(() => view.Read(0, new byte[100]));
            Assert.Throws<ArgumentException>(() => new PartitionBlockDevice(disk, new Partition(2, 90, 20, "0x0c", "", 0x0C, Guid.Empty)));
            Assert.Equal(BlockResult.ReadOnly,
                new PartitionBlockDevice(new MemoryBlockDevice(image, 512, readOnly: true), view.Partition).Write(0, buffer));
        }

        [Fact]
        public void Crc32MatchesTheStandardCheckValue()
        {
            Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        }

        private static string MakeMbrDisk(DiskImageTools tools)
        {
            string disk = tools.PathOf("mbr.img");
            using (FileStream stream = File.Create(disk))
            {
                stream.SetLength(64L * 1024 * 1024);
            }

            tools.Run("sfdisk", MbrScript, "-q", disk);
            return disk;
        }

        private static string MakeGptDisk(DiskImageTools tools)
        {
            string disk = tools.PathOf("gpt.img");
            using (FileStream stream = File.Create(disk))
            {
                stream.SetLength(32L * 1024 * 1024);
            }

            tools.Run("sgdisk", null, "-o", "-n", "1:2048:+8M", "-t", "1:0700", "-c", "1:Data ü",
                "-n", "2:0:+4M", "-t", "2:8300", "-c", "2:linux", disk);
            return disk;
        }

        private static void AssertMatchesSfdisk(DiskImageTools tools, string disk, PartitionTable table)
        {
            List<(int Index, ulong Start, ulong Size, string Type)> expected = SfdiskPartitions(tools, disk);
            Assert.Equal(expected.Select(p => (p.Index, p.Start, p.Size, Guid.Parse(p.Type))),
                table.Partitions.Select(p => (p.Index, p.FirstBlock, p.BlockCount, p.TypeGuid)));
        }

        private static List<(int Index, ulong Start, ulong Size, string Type)> SfdiskPartitions(DiskImageTools tools, string disk)
        {
            using JsonDocument json = JsonDocument.Parse(tools.Run("sfdisk", null, "-J", disk));
            var result = new List<(int, ulong, ulong, string)>();
            foreach (JsonElement p in json.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray())
            {
                string node = p.GetProperty("node").GetString()!;
                int index = int.Parse(node.Substring(disk.Length));
                result.Add((index, p.GetProperty("start").GetUInt64(), p.GetProperty("size").GetUInt64(), p.GetProperty("type").GetString()!));
            }

            return result;
        }
    }
}
