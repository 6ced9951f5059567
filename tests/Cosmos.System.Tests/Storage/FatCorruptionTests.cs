using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Xunit;

namespace Cosmos.System.Tests.Storage
{
    public class FatCorruptionTests
    {
        private static byte[] MakeImage(DiskImageTools tools, int fatBits = 16)
        {
            string image = tools.MakeFat("fs.img", fatBits, fatBits == 12 ? 2048 : 16384);
            tools.Mcopy(image, tools.HostFile("d", FatReadTests.Pattern(3 * 2048 + 5, 1)), "/DATA.BIN");
            tools.Mcopy(image, tools.HostFile("l", FatReadTests.Pattern(10, 2)), "/A long file name.txt");
            return File.ReadAllBytes(image);
        }

        [Theory]
        [InlineData(11, 1000, "BPB_BytsPerSec 1000")]
        [InlineData(13, 3, "BPB_SecPerClus 3")]
        [InlineData(16, 0, "BPB_NumFATs is 0")]
        [InlineData(0, 0x00, "BS_jmpBoot")]
        [InlineData(510, 0x00, "boot signature")]
        public void BadBootSectorIsRefusedByName(int offset, int value, string expected)
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            if (offset == 11)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(offset), (ushort)value);
            }
            else
            {
                image[offset] = (byte)value;
            }

            var error = Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(image)));
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void FatTooSmallForItsClustersIsRefused()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(22), 1);
            var error = Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(image)));
            Assert.Contains("BPB_FATSz", error.Message);
        }

        [Theory]
        [InlineData(12)]
        [InlineData(16)]
        public void ClusterLoopIsDetected(int fatBits)
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools, fatBits);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            uint first = fs.GetEntry("/DATA.BIN").FirstCluster;
            uint second = fs.OpenFile("/DATA.BIN").Clusters[1];
            WriteFatEntry(image, fs, second, first);

            FatFileSystem corrupt = FatFileSystem.Mount(new MemoryBlockDevice(image));
            var error = Assert.Throws<StorageFormatException>(() => corrupt.ReadAllBytes("/DATA.BIN"));
            Assert.Contains("loops", error.Message);
        }

        [Fact]
        public void ClusterPastTheEndIsDetected()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            uint first = fs.GetEntry("/DATA.BIN").FirstCluster;
            uint bad = fs.Table.LastCluster + 5;
            WriteFatEntry(image, fs, first, bad);

            FatFileSystem corrupt = FatFileSystem.Mount(new MemoryBlockDevice(image));
            var error = Assert.Throws<StorageFormatException>(() => corrupt.OpenFile("/DATA.BIN"));
            Assert.Contains($"to {bad}", error.Message);
            Assert.Contains("out of range", error.Message);
        }

        [Fact]
        public void FreeClusterInAChainIsDetected()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            WriteFatEntry(image, fs, fs.GetEntry("/DATA.BIN").FirstCluster, 0);
            var error = Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(image)).OpenFile("/DATA.BIN"));
            Assert.Contains("free", error.Message);
        }

        [Fact]
        public void DirectoryEntryPointingOutsideTheVolumeIsDetected()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            int entry = FindShortEntry(image, fs, "DATA    BIN");
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(entry + 26), 0xFFF0);

            FatFileSystem corrupt = FatFileSystem.Mount(new MemoryBlockDevice(image));
            var error = Assert.Throws<StorageFormatException>(() => corrupt.OpenFile("/DATA.BIN"));
            Assert.Contains("cluster 65520", error.Message);
        }

        [Theory]
        [InlineData(0, "first cluster 0")]
        [InlineData(0xFFF0, "cluster 65520")]
        public void SubdirectoryPointingNowhereIsDetected(int cluster, string expected)
        {
            using var tools = new DiskImageTools();
            string path = tools.MakeFat("fs.img", 16, 16384);
            tools.Mmd(path, "/SUB");
            tools.Mcopy(path, tools.HostFile("x", new byte[] { 1, 2, 3 }), "/SUB/X.BIN");
            byte[] image = File.ReadAllBytes(path);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(FindShortEntry(image, fs, "SUB        ") + 26), (ushort)cluster);

            FatFileSystem corrupt = FatFileSystem.Mount(new MemoryBlockDevice(image));
            var error = Assert.Throws<StorageFormatException>(() => corrupt.ReadAllBytes("/SUB/X.BIN"));
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void FileLongerThanItsChainIsDetected()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            int entry = FindShortEntry(image, fs, "DATA    BIN");
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(entry + 28), 1_000_000);
            var error = Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(image)).OpenFile("/DATA.BIN"));
            Assert.Contains("1000000 bytes", error.Message);
        }

        [Fact]
        public void TruncatedImageIsRefusedAtMount()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            byte[] truncated = image.AsSpan(0, image.Length / 2).ToArray();
            var error = Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(truncated)));
            Assert.Contains("truncated", error.Message);
            Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(new byte[512])));
            Assert.Throws<StorageFormatException>(() => FatFileSystem.Mount(new MemoryBlockDevice(Array.Empty<byte>())));
        }

        [Fact]
        public void LongNameWithWrongChecksumFallsBackToTheShortName()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(image));
            Assert.NotNull(fs.FindEntry("/A long file name.txt"));
            string shortName = fs.GetEntry("/A long file name.txt").ShortName;
            int root = (int)(fs.BootSector.RootDirectoryFirstSector * fs.BootSector.BytesPerSector);
            for (int offset = root; image[offset] != 0; offset += 32)
            {
                if (image[offset + 11] == 0x0F)
                {
                    image[offset + 13] ^= 0x55;
                }
            }

            FatFileSystem corrupt = FatFileSystem.Mount(new MemoryBlockDevice(image));
            Assert.Null(corrupt.FindEntry("/A long file name.txt"));
            Assert.Equal(FatReadTests.Pattern(10, 2), corrupt.ReadAllBytes("/" + shortName));
        }

        [Fact]
        public void DeviceReadErrorBecomesAStorageIOException()
        {
            using var tools = new DiskImageTools();
            byte[] image = MakeImage(tools);
            FatFileSystem healthy = FatFileSystem.Mount(new MemoryBlockDevice(image));
            ulong dataBlock = healthy.BootSector.ClusterFirstSector(healthy.GetEntry("/DATA.BIN").FirstCluster);
            var device = new MemoryBlockDevice(image) { FailReadsFrom = dataBlock };
            FatFileSystem fs = FatFileSystem.Mount(device);

            var error = Assert.Throws<StorageIOException>(() => fs.ReadAllBytes("/DATA.BIN"));
            Assert.Equal(Cosmos.HAL.Devices.BlockResult.IoError, error.Result);
        }

        private static void WriteFatEntry(byte[] image, FatFileSystem fs, uint cluster, uint value)
        {
            for (int copy = 0; copy < fs.BootSector.FatCount; copy++)
            {
                int fat = (int)(fs.BootSector.FatFirstSector(copy) * fs.BootSector.BytesPerSector);
                if (fs.Type == FatType.Fat12)
                {
                    int offset = fat + (int)(cluster + cluster / 2);
                    uint pair = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(offset));
                    pair = (cluster & 1) != 0
                        ? (pair & 0x000Fu) | (value << 4)
                        : (pair & 0xF000u) | (value & 0xFFFu);
                    BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(offset), (ushort)pair);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(fat + (int)cluster * 2), (ushort)value);
                }
            }
        }

        private static int FindShortEntry(byte[] image, FatFileSystem fs, string name11)
        {
            int root = (int)(fs.BootSector.RootDirectoryFirstSector * fs.BootSector.BytesPerSector);
            byte[] name = Encoding.ASCII.GetBytes(name11);
            for (int offset = root; image[offset] != 0; offset += 32)
            {
                if (image.AsSpan(offset, 11).SequenceEqual(name))
                {
                    return offset;
                }
            }

            throw new InvalidOperationException(name11 + " not in the root directory");
        }
    }
}
