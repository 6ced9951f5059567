using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Cosmos.System.FileSystem;
using Cosmos.System.Storage.Fat;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// <c>scenario=read</c>: three disks the host filled with mkfs.fat and mtools, read through
    /// System.IO. "rd12" is a whole-disk FAT12 volume, "rd16" an MBR disk with a FAT16 and a FAT12
    /// partition, "rd32" a GPT disk with a FAT32 partition (StorageImageTests makes them; the
    /// contents follow <see cref="Content"/>). The last check prints the listing the host compares
    /// file by file.
    /// </summary>
    public static class ReadChecks
    {
        /// <summary>The 14-level directory on rd12.</summary>
        public static readonly string DeepFat12 = DeepPath("level-", 14);

        /// <summary>The 16-level directory on rd32.</summary>
        public static readonly string DeepFat32 = DeepPath("d", 16);

        /// <summary>The 204-character name on rd32.</summary>
        public static readonly string LongName = "Long name " + string.Concat(System.Linq.Enumerable.Repeat("0123456789", 19)) + ".txt";

        private const int ManyFiles = 1000;
        private const long BigFileBytes = 64L << 20;
        private const uint BigFileSeed = 64;

        private static readonly string[] Fat12TextFiles =
        {
            "/README.TXT", "/Grüße – 日本.txt", "/dir with space/a name with  two spaces.txt",
            "/case/lower/readme.txt", "/case/Mixed/ReadMe.txt", "/case/UPPER/README.TXT",
        };

        private static readonly string[] Fat16UnicodeFiles =
        {
            "/unicode/Ελληνικά.txt", "/unicode/Русский текст.txt", "/unicode/中文文件名.txt", "/unicode/Grüße – 日本.txt",
        };

        private static readonly int[] Fat12Sizes = { 1, 511, 512, 513, 2047, 2048, 2049, 4096, 4097, 10000 };

        /// <summary>Adds the read checks.</summary>
        public static void Add(TestRunner tests, TestDisks disks)
        {
            tests.Add("read.volumes-mounted", () =>
            {
                ExpectVolume(disks, "rd12", 0, FatType.Fat12, "READ12");
                ExpectVolume(disks, "rd16", 1, FatType.Fat16, "READ16");
                ExpectVolume(disks, "rd16", 2, FatType.Fat12, "READ16P2");
                ExpectVolume(disks, "rd32", 1, FatType.Fat32, "READ32");
                foreach (string serial in new[] { "rd12", "rd16", "rd32" })
                {
                    Assert.Equal(0, disks.ProblemsOf(serial).Count, $"problems of {serial}: {string.Join(" | ", disks.ProblemsOf(serial))}");
                }
            });

            tests.Add("read.names-8.3-unicode-spaces", () =>
            {
                string root = disks.Volume("rd12").Path;
                foreach (string file in Fat12TextFiles)
                {
                    IoAssert.HoldsOwnPath(root + file, file);
                }

                var listed = new List<string>(Directory.GetFiles(root));
                foreach (string expected in new[] { root + "/README.TXT", root + "/Grüße – 日本.txt", root + "/empty.txt" })
                {
                    Assert.True(listed.Contains(expected), $"Directory.GetFiles(\"{root}\") lists \"{expected}\"; it lists {string.Join(", ", listed)}");
                }

                Assert.True(Directory.Exists(root + "/dir with space"), "Directory.Exists(\"/dir with space\")");
            });

            tests.Add("read.unicode-names-fat16", () =>
            {
                string root = disks.Volume("rd16", 1).Path;
                var listed = new List<string>(Directory.GetFiles(root + "/unicode"));
                Assert.Equal(Fat16UnicodeFiles.Length, listed.Count, $"files in /unicode: {string.Join(", ", listed)}");
                foreach (string file in Fat16UnicodeFiles)
                {
                    Assert.True(listed.Contains(root + file), $"/unicode lists \"{file}\"");
                    IoAssert.HoldsOwnPath(root + file, file);
                }
            });

            tests.Add("read.case-preserved", () =>
            {
                string root = disks.Volume("rd12").Path;
                var names = new List<string>();
                foreach (string directory in Directory.GetDirectories(root + "/case"))
                {
                    names.Add(Path.GetFileName(directory));
                }

                names.Sort(StringComparer.Ordinal);
                Assert.SequenceEqual(new[] { "Mixed", "UPPER", "lower" }, names, "directories of /case, as mtools wrote them");
                Assert.SequenceEqual(new[] { root + "/case/Mixed/ReadMe.txt" }, Directory.GetFiles(root + "/case/Mixed"), "files of /case/Mixed");
                Assert.SequenceEqual(new[] { root + "/case/lower/readme.txt" }, Directory.GetFiles(root + "/case/lower"), "files of /case/lower");
            });

            tests.Add("read.case-insensitive-lookup", () =>
            {
                string root = disks.Volume("rd12").Path;
                Assert.True(File.Exists(root + "/CASE/mixed/README.txt"), "File.Exists with other letter case");
                Assert.Equal(Content.TextOf("/case/Mixed/ReadMe.txt"), File.ReadAllText(root + "/case/MIXED/readme.TXT"), "text read through another letter case");
                Assert.Equal(Content.TextOf("/case/UPPER/README.TXT"), File.ReadAllText(root + "/case/upper/readme.txt"), "upper-case file read in lower case");
            });

            tests.Add("read.deep-directories", () =>
            {
                ExpectDeep(disks.Volume("rd12").Path, DeepFat12, 14);
                ExpectDeep(disks.Volume("rd32", 1).Path, DeepFat32, 16);
            });

            tests.Add("read.empty-file-and-directory", () =>
            {
                string fat12 = disks.Volume("rd12").Path;
                Assert.Equal(0L, new FileInfo(fat12 + "/empty.txt").Length, "FileInfo.Length of /empty.txt");
                Assert.Equal(0, File.ReadAllBytes(fat12 + "/empty.txt").Length, "File.ReadAllBytes(/empty.txt).Length");
                string fat32 = disks.Volume("rd32", 1).Path;
                Assert.True(Directory.Exists(fat32 + "/emptydir"), "Directory.Exists(/emptydir)");
                Assert.Equal(0, Directory.GetFileSystemEntries(fat32 + "/emptydir").Length, "entries of /emptydir");
            });

            tests.Add("read.sizes-around-cluster-boundaries", () =>
            {
                string root = disks.Volume("rd12").Path;
                foreach (int size in Fat12Sizes)
                {
                    IoAssert.HoldsPattern(root + "/sizes/s" + size.ToString(CultureInfo.InvariantCulture) + ".bin", (uint)size, size);
                }
            });

            tests.Add("read.fragmented-file-fat12", () => ExpectFragmented(disks.Volume("rd12"), "/frag/fragmented.bin", 12, 24000));
            tests.Add("read.fragmented-file-fat16", () => ExpectFragmented(disks.Volume("rd16", 1), "/frag/fragmented.bin", 16, 300000));

            tests.Add("read.thousand-files-in-one-directory", () =>
            {
                string root = disks.Volume("rd16", 1).Path;
                string[] files = Directory.GetFiles(root + "/many");
                Assert.Equal(ManyFiles, files.Length, "Directory.GetFiles(/many).Length");
                Array.Sort(files, StringComparer.Ordinal);
                for (int i = 0; i < ManyFiles; i++)
                {
                    string file = "/many/" + ManyName(i);
                    Assert.Equal(root + file, files[i], $"file {i} of /many");
                    IoAssert.HoldsOwnPath(root + file, file);
                }
            });

            tests.Add("read.second-partition", () =>
            {
                string root = disks.Volume("rd16", 2).Path;
                IoAssert.HoldsOwnPath(root + "/hello.txt", "/hello.txt");
            });

            tests.Add("read.long-name-204-chars", () =>
            {
                string root = disks.Volume("rd32", 1).Path;
                string file = "/long/" + LongName;
                Assert.SequenceEqual(new[] { root + file }, Directory.GetFiles(root + "/long"), "files of /long");
                IoAssert.HoldsOwnPath(root + file, file);
            });

            tests.Add("read.big-file-64mib", () => ExpectBigFile(disks.Volume("rd32", 1).Path + "/big/big.bin"));

            tests.Add("read.missing-paths-throw", () =>
            {
                string root = disks.Volume("rd12").Path;
                Assert.False(File.Exists(root + "/no-such-file.txt"), "File.Exists of a missing file");
                Assert.Throws<FileNotFoundException>(() => File.ReadAllBytes(root + "/no-such-file.txt"), "reading a missing file");
                Assert.Throws<DirectoryNotFoundException>(() => File.ReadAllBytes(root + "/no-such-dir/file.txt"), "reading in a missing directory");
                Assert.Throws<DirectoryNotFoundException>(() => Directory.GetFiles(root + "/no-such-dir"), "listing a missing directory");
            });

            tests.Add("read.listing", () => VolumeListing.PrintAll(disks));
        }

        /// <summary>
        /// The name of file <paramref name="index"/> in /many on rd16 ("0042 small file.txt"): a long
        /// name whose 8.3 alias ("0042SM~1.TXT") differs in its first characters, as mtools would
        /// otherwise search numeric tails for a long time.
        /// </summary>
        public static string ManyName(int index) => index.ToString("D4", CultureInfo.InvariantCulture) + " small file.txt";

        private static string DeepPath(string prefix, int levels)
        {
            var builder = new StringBuilder("/deep");
            for (int level = 1; level <= levels; level++)
            {
                builder.Append('/').Append(prefix).Append(level.ToString("D2", CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        private static void ExpectVolume(TestDisks disks, string serial, int partition, FatType type, string label)
        {
            Mount mount = disks.Volume(serial, partition);
            Assert.Equal(type, mount.FileSystem.Type, $"type of {serial} partition {partition} ({mount.Path})");
            Assert.Equal(label, mount.FileSystem.BootSector.VolumeLabel, $"label of {mount.Path}");
            Assert.True(Directory.Exists(mount.Path), $"Directory.Exists(\"{mount.Path}\")");
        }

        private static void ExpectDeep(string root, string deep, int levels)
        {
            string path = root;
            int seen = 0;
            foreach (string part in deep.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                path += "/" + part;
                Assert.True(Directory.Exists(path), $"Directory.Exists(\"{path}\")");
                seen++;
            }

            Assert.Equal(levels + 1, seen, "directory levels below the root, /deep included");
            IoAssert.HoldsOwnPath(root + deep + "/leaf.txt", deep + "/leaf.txt");
            var all = new List<string>(Directory.EnumerateFiles(root + "/deep", "*", SearchOption.AllDirectories));
            Assert.SequenceEqual(new[] { root + deep + "/leaf.txt" }, all, "files found by a recursive walk of /deep");
        }

        private static void ExpectFragmented(Mount mount, string file, uint seed, int length)
        {
            // The FAT API shows where the clusters are: the host wrote the file into holes.
            IReadOnlyList<uint> clusters = mount.FileSystem.OpenFile(file).Clusters;
            int runs = 1;
            for (int i = 1; i < clusters.Count; i++)
            {
                runs += clusters[i] == clusters[i - 1] + 1 ? 0 : 1;
            }

            Assert.True(runs >= 2, $"{file} on {mount.Path} is in {runs} run(s) of clusters ({clusters.Count} clusters); the host fragmented it");
            IoAssert.HoldsPattern(mount.Path + file, seed, length);

            // Reads that cross from one run into the next, through a FileStream that seeks.
            int clusterBytes = mount.FileSystem.BootSector.BytesPerCluster;
            using var stream = new FileStream(mount.Path + file, FileMode.Open, FileAccess.Read);
            byte[] buffer = new byte[clusterBytes + 100];
            for (int i = 1; i < clusters.Count; i++)
            {
                if (clusters[i] == clusters[i - 1] + 1)
                {
                    continue;
                }

                long offset = (long)i * clusterBytes - 50;
                stream.Seek(offset, SeekOrigin.Begin);
                int read = stream.ReadAtLeast(buffer, (int)Math.Min(buffer.Length, length - offset), throwOnEndOfStream: false);
                Assert.Equal(-1L, Content.FirstPatternMismatch(seed, offset, buffer.AsSpan(0, read)), $"read across the run boundary at cluster {i}");
            }
        }

        private static void ExpectBigFile(string path)
        {
            var info = new FileInfo(path);
            Assert.True(info.Exists, $"FileInfo(\"{path}\").Exists");
            Assert.Equal(BigFileBytes, info.Length, "FileInfo.Length");

            // Sequentially, in chunks that do not divide a cluster: every byte against the pattern.
            byte[] buffer = new byte[(1 << 20) + 12345];
            long offset = 0;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    long mismatch = Content.FirstPatternMismatch(BigFileSeed, offset, buffer.AsSpan(0, read));
                    Assert.Equal(-1L, mismatch, "first byte of the 64 MiB file that differs from its pattern");
                    offset += read;
                }

                Assert.Equal(BigFileBytes, offset, "bytes read until end of stream");

                // And some seeks, near the end and in the middle.
                foreach (long at in new[] { BigFileBytes - 1, BigFileBytes - 4097, (33L << 20) + 7, 1023, 0 })
                {
                    stream.Position = at;
                    int got = stream.ReadAtLeast(buffer.AsSpan(0, 5000), (int)Math.Min(5000, BigFileBytes - at), throwOnEndOfStream: false);
                    Assert.Equal((int)Math.Min(5000, BigFileBytes - at), got, $"bytes read at offset {at}");
                    Assert.Equal(-1L, Content.FirstPatternMismatch(BigFileSeed, at, buffer.AsSpan(0, got)), $"bytes at offset {at}");
                }
            }
        }
    }
}
