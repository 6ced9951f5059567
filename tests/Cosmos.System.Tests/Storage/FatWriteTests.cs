using System;
using System.IO;
using System.Linq;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Xunit;

namespace Cosmos.System.Tests.Storage
{
    public class FatWriteTests
    {
        [Theory]
        [InlineData(12, 2048)]
        [InlineData(16, 16384)]
        [InlineData(32, 40960)]
        public void ChangesAreCleanForFsckAndReadBackByMtools(int fatBits, int kilobytes)
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", fatBits, kilobytes);
            tools.Mcopy(image, tools.HostFile("old", FatReadTests.Pattern(9000, 1)), "/OLD.BIN");
            tools.Mcopy(image, tools.HostFile("gone", FatReadTests.Pattern(3000, 2)), "/Gone soon.txt");
            var device = new MemoryBlockDevice(File.ReadAllBytes(image));
            FatFileSystem fs = FatFileSystem.Mount(device);
            fs.Clock = () => new DateTime(2024, 5, 6, 7, 8, 10);

            byte[] created = FatReadTests.Pattern(20000, 3);
            fs.WriteAllBytes("/NEW.BIN", created);
            fs.CreateDirectory("/Sub Dir ü");
            fs.WriteAllBytes("/Sub Dir ü/Unicode 日本語 name.txt", Encoding.UTF8.GetBytes("hello"));
            fs.Append("/Sub Dir ü/Unicode 日本語 name.txt", Encoding.UTF8.GetBytes(" world"));
            fs.Truncate("/OLD.BIN", 1000);
            fs.Delete("/Gone soon.txt");
            fs.Rename("/NEW.BIN", "renamed file.bin");
            for (int i = 0; i < 40; i++)
            {
                fs.WriteAllBytes($"/Sub Dir ü/many file {i}.txt", Encoding.ASCII.GetBytes($"n{i}"));
            }

            for (int i = 0; i < 30; i++)
            {
                fs.WriteAllBytes($"/root level long name {i}.txt", Encoding.ASCII.GetBytes($"r{i}"));
            }

            fs.Flush();
            File.WriteAllBytes(image, device.Image);

            tools.Run("fsck.fat", null, "-n", image);
            Assert.Equal("r29", Encoding.ASCII.GetString(ReadWithMtools(tools, image, "/root level long name 29.txt")));
            Assert.Equal(created, ReadWithMtools(tools, image, "/renamed file.bin"));
            Assert.Equal("hello world", Encoding.UTF8.GetString(ReadWithMtools(tools, image, "/Sub Dir ü/Unicode 日本語 name.txt")));
            Assert.Equal(FatReadTests.Pattern(9000, 1).AsSpan(0, 1000).ToArray(), ReadWithMtools(tools, image, "/OLD.BIN"));
            Assert.Equal("n39", Encoding.ASCII.GetString(ReadWithMtools(tools, image, "/Sub Dir ü/many file 39.txt")));
            string listing = tools.Run("mdir", null, "-i", image, "-b", "::/");
            Assert.DoesNotContain("Gone", listing);

            FatFileSystem again = FatFileSystem.Mount(new MemoryBlockDevice(device.Image));
            FatDirectoryEntry entry = again.GetEntry("/renamed file.bin");
            Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 10), entry.Modified);
            Assert.Equal(42, again.ListDirectory("/Sub Dir ü").Count + 1);
            if (fatBits == 32)
            {
                Assert.Equal(again.CountFreeClusters(), again.FreeClusterHint);
            }
        }

        [Fact]
        public void DeletingANonEmptyDirectoryIsRefused()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 16, 16384);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image)));
            fs.CreateDirectory("/d");
            fs.WriteAllBytes("/d/f", new byte[] { 1 });
            Assert.Throws<IOException>(() => fs.Delete("/d"));
            fs.Delete("/d/f");
            fs.Delete("/d");
            Assert.Null(fs.FindEntry("/d"));
        }

        [Fact]
        public void NamesAreValidatedAndCollisionsRefused()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 12, 2048);
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image)));
            fs.WriteAllBytes("/Report 2024.txt", new byte[] { 1 });
            fs.WriteAllBytes("/Report 2025.txt", new byte[] { 2 });
            Assert.Equal("REPORT~1.TXT", fs.GetEntry("/Report 2024.txt").ShortName);
            Assert.Equal("REPORT~2.TXT", fs.GetEntry("/Report 2025.txt").ShortName);
            Assert.Equal(new byte[] { 2 }, fs.ReadAllBytes("/REPORT~2.TXT"));
            Assert.Throws<ArgumentException>(() => fs.WriteAllBytes("/bad?name", new byte[1]));
            Assert.Throws<ArgumentException>(() => fs.CreateDirectory("/a:b"));
            Assert.Throws<IOException>(() => fs.CreateDirectory("/.."));
            Assert.Throws<IOException>(() => fs.Rename("/Report 2024.txt", "REPORT 2025.TXT"));
            Assert.Throws<IOException>(() => fs.CreateDirectory("/report 2024.TXT"));
            Assert.Throws<DirectoryNotFoundException>(() => fs.WriteAllBytes("/no/such/dir.txt", new byte[1]));
        }

        [Fact]
        public void FullFixedRootIsRefusedWithoutLosingClusters()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 12, 2048, "-r", "16");
            var device = new MemoryBlockDevice(File.ReadAllBytes(image));
            FatFileSystem fs = FatFileSystem.Mount(device);
            uint free = fs.CountFreeClusters();
            for (int i = 0; i < 15; i++)
            {
                fs.WriteAllBytes($"/F{i}.TXT", new byte[] { (byte)i });
            }

            Assert.Throws<StorageFullException>(() => fs.CreateDirectory("/ONE.DIR"));
            Assert.Throws<StorageFullException>(() => fs.WriteAllBytes("/TWO.TXT", new byte[1]));
            Assert.Equal(free - 15, fs.CountFreeClusters());
            File.WriteAllBytes(image, device.Image);
            tools.Run("fsck.fat", null, "-n", image);
        }

        [Fact]
        public void WritesToAReadOnlyDeviceAreRefused()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 12, 2048);
            byte[] bytes = File.ReadAllBytes(image);
            byte[] before = (byte[])bytes.Clone();
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(bytes, 512, readOnly: true));
            var error = Assert.Throws<StorageIOException>(() => fs.WriteAllBytes("/X.TXT", new byte[] { 1 }));
            Assert.Equal(BlockResult.ReadOnly, error.Result);
            Assert.Equal(before, bytes);
        }

        private static byte[] ReadWithMtools(DiskImageTools tools, string image, string fatPath)
        {
            string target = tools.PathOf("out-" + Guid.NewGuid().ToString("N"));
            tools.Run("mcopy", null, "-i", image, "::" + fatPath, target);
            return File.ReadAllBytes(target);
        }
    }
}
