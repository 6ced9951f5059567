using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Xunit;

namespace Cosmos.System.Tests.Storage
{
    public class FatReadTests
    {
        private const string UnicodeName = "Grüße ñ 日本語 — a rather long name.txt";

        [Theory]
        [InlineData(12, 2048, FatType.Fat12)]
        [InlineData(16, 16384, FatType.Fat16)]
        [InlineData(32, 40960, FatType.Fat32)]
        public void ReadsWhatMtoolsWrote(int fatBits, int kilobytes, FatType expected)
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", fatBits, kilobytes);
            var files = new Dictionary<string, byte[]>
            {
                ["/README.TXT"] = Encoding.ASCII.GetBytes("hello from the host\n"),
                ["/" + UnicodeName] = Pattern(5000, 1),
                ["/docs/lower case.md"] = Pattern(1, 2),
                ["/docs/deep/er/still/leaf.bin"] = Pattern(70000, 3),
                ["/empty.dat"] = Array.Empty<byte>(),
            };
            tools.Mmd(image, "/docs");
            tools.Mmd(image, "/docs/deep");
            tools.Mmd(image, "/docs/deep/er");
            tools.Mmd(image, "/docs/deep/er/still");
            foreach (KeyValuePair<string, byte[]> file in files)
            {
                tools.Mcopy(image, tools.HostFile("f", file.Value), file.Key);
            }

            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image)));

            Assert.Equal(expected, fs.Type);
            Assert.Equal("COSMOS", fs.BootSector.VolumeLabel);
            foreach (KeyValuePair<string, byte[]> file in files)
            {
                Assert.Equal(file.Value, fs.ReadAllBytes(file.Key));
            }

            string[] rootNames = fs.ListDirectory("/").Select(e => e.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "README.TXT", "docs", "empty.dat", UnicodeName }.OrderBy(n => n, StringComparer.Ordinal), rootNames);
            FatDirectoryEntry docs = fs.GetEntry("\\DOCS");
            Assert.True(docs.IsDirectory);
            Assert.Equal("/docs/deep/er/still/leaf.bin", fs.GetEntry("/docs/./deep/../deep/er/still/LEAF.BIN").Path);
            Assert.True(fs.GetEntry("/README.TXT").Modified.Year >= 2020);
            Assert.Null(fs.FindEntry("/docs/missing"));
            Assert.Throws<FileNotFoundException>(() => fs.OpenFile("/nope.txt"));
        }

        [Fact]
        public void ReadsByOffsetAcrossClusters()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 16, 8192, "-s", "1");
            byte[] content = Pattern(10000, 7);
            tools.Mcopy(image, tools.HostFile("f", content), "/DATA.BIN");
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image)));
            FatFile file = fs.OpenFile("/data.bin");

            foreach ((int offset, int length) in new[] { (0, 1), (511, 2), (500, 3000), (9990, 100), (0, 10000), (1024, 512) })
            {
                byte[] buffer = new byte[length];
                int read = file.Read(offset, buffer);
                int expected = Math.Min(length, content.Length - offset);
                Assert.Equal(expected, read);
                Assert.Equal(content.AsSpan(offset, expected).ToArray(), buffer.AsSpan(0, read).ToArray());
            }

            Assert.Equal(0, file.Read(10000, new byte[10]));
        }

        [Fact]
        public void ReadsAFragmentedFile()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 16, 8192, "-s", "1");
            tools.Mcopy(image, tools.HostFile("a", Pattern(4000, 1)), "/A.BIN");
            tools.Mcopy(image, tools.HostFile("b", Pattern(4000, 2)), "/B.BIN");
            tools.Mcopy(image, tools.HostFile("c", Pattern(4000, 3)), "/C.BIN");
            tools.Mdel(image, "/B.BIN");
            byte[] big = Pattern(20000, 4);
            tools.Mcopy(image, tools.HostFile("d", big), "/BIG.BIN");

            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image)));
            FatFile file = fs.OpenFile("/BIG.BIN");
            bool fragmented = file.Clusters.Zip(file.Clusters.Skip(1), (a, b) => b != a + 1).Any(gap => gap);
            Assert.True(fragmented, "mtools was expected to fill the hole left by B.BIN first");
            Assert.Equal(big, fs.ReadAllBytes("/BIG.BIN"));
            Assert.Equal(Pattern(4000, 3), fs.ReadAllBytes("/C.BIN"));
        }

        [Fact]
        public void ReadsAThousandSmallFiles()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 32, 40960);
            tools.Mmd(image, "/many");
            string source = Path.Combine(tools.Directory, "many");
            Directory.CreateDirectory(source);
            for (int i = 0; i < 1000; i++)
            {
                File.WriteAllText(Path.Combine(source, $"n{i:D4}.txt"), $"file number {i}\n");
            }

            var args = new List<string> { "-i", image };
            args.AddRange(Directory.GetFiles(source));
            args.Add("::/many/");
            tools.Run("mcopy", null, args.ToArray());

            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image)));
            List<FatDirectoryEntry> entries = fs.ListDirectory("/many");
            Assert.Equal(1000, entries.Count);
            foreach (FatDirectoryEntry entry in entries)
            {
                int number = int.Parse(entry.Name.Substring(1, 4));
                Assert.Equal($"n{number:D4}.txt", entry.Name);
                Assert.Equal($"file number {number}\n", Encoding.ASCII.GetString(fs.ReadAllBytes(entry)));
            }
        }

        [Fact]
        public void WorksOnA4096ByteBlockDevice()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 12, 2048);
            tools.Mcopy(image, tools.HostFile("f", Pattern(3333, 9)), "/X.BIN");
            FatFileSystem fs = FatFileSystem.Mount(new MemoryBlockDevice(File.ReadAllBytes(image), 4096));
            Assert.Equal(Pattern(3333, 9), fs.ReadAllBytes("/X.BIN"));
        }

        [Fact]
        public void SectorCacheServesRepeatedMetadataReads()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("fs.img", 16, 16384);
            tools.Mmd(image, "/d");
            tools.Mcopy(image, tools.HostFile("f", Pattern(100, 1)), "/d/F.TXT");
            var device = new MemoryBlockDevice(File.ReadAllBytes(image));
            FatFileSystem fs = FatFileSystem.Mount(device);
            fs.ReadAllBytes("/d/F.TXT");
            int requests = device.ReadRequests;
            fs.ReadAllBytes("/d/F.TXT");
            Assert.True(device.ReadRequests - requests <= 1, $"second lookup made {device.ReadRequests - requests} device reads");
            Assert.True(fs.Cache.Hits > 0);
        }

        internal static byte[] Pattern(int length, int seed)
        {
            var random = new Random(seed);
            byte[] data = new byte[length];
            random.NextBytes(data);
            return data;
        }
    }
}
