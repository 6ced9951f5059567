using System;
using System.Globalization;
using System.IO;
using System.Text;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// <c>scenario=write</c>: the same changes through System.IO on three volumes the host made and
    /// filled with /existing/… ("wr12": whole-disk FAT12; "wr16": FAT16 in an MBR partition;
    /// "wr32": FAT32 in a GPT partition). Afterwards the host runs fsck.fat -n and reads every file
    /// back with mtools; StorageImageTests' WriteScript states the tree these steps must leave.
    /// </summary>
    public static class WriteChecks
    {
        /// <summary>Files the many-files step creates in /many.</summary>
        public const int ManyFiles = 250;

        /// <summary>The 1 MiB file written through a FileStream in odd-sized chunks.</summary>
        public const int OddChunksBytes = 1 << 20;

        /// <summary>The chunk sizes, used in turn.</summary>
        public static readonly int[] OddChunkSizes = { 1, 7, 509, 4093, 65537, 3, 12289, 100000 };

        private static readonly string[] Serials = { "wr12", "wr16", "wr32" };

        /// <summary>Adds every step for every volume; each step is one check.</summary>
        public static void Add(TestRunner tests, TestDisks disks)
        {
            foreach (string serial in Serials)
            {
                AddSteps(tests, serial, () => disks.Volume(serial, serial == "wr12" ? 0 : 1).Path);
            }

            tests.Add("write.listing", () => VolumeListing.PrintAll(disks));
        }

        /// <summary>The name of file <paramref name="index"/> the many-files step makes ("entry 007.txt").</summary>
        public static string ManyName(int index) => "entry " + index.ToString("D3", CultureInfo.InvariantCulture) + ".txt";

        private static void AddSteps(TestRunner tests, string serial, Func<string> root)
        {
            string prefix = "write." + serial + ".";
            tests.Add(prefix + "create-file", () =>
            {
                string m = root();
                Directory.CreateDirectory(m + "/new");
                File.WriteAllText(m + "/new/created.txt", Content.TextOf("/new/created.txt"));
                IoAssert.HoldsOwnPath(m + "/new/created.txt", "/new/created.txt");
            });

            tests.Add(prefix + "overwrite-shorter", () =>
            {
                string m = root();
                File.WriteAllText(m + "/existing/overwrite-me.txt", "short\n");
                Assert.Equal("short\n", File.ReadAllText(m + "/existing/overwrite-me.txt"), "text after overwriting 10000 bytes with 6");
            });

            tests.Add(prefix + "overwrite-longer", () =>
            {
                string m = root();
                File.WriteAllBytes(m + "/existing/grow-me.txt", Content.Pattern(5, 20000));
                IoAssert.HoldsPattern(m + "/existing/grow-me.txt", 5, 20000);
            });

            tests.Add(prefix + "append", () =>
            {
                string m = root();
                string path = m + "/existing/append-to-me.txt";
                File.AppendAllText(path, "appended by File.AppendAllText\n");
                using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write))
                {
                    stream.Write(Encoding.UTF8.GetBytes("appended by FileMode.Append\n"));
                }

                Assert.Equal(Content.TextOf("/existing/append-to-me.txt") + "appended by File.AppendAllText\nappended by FileMode.Append\n",
                    File.ReadAllText(path), "text after two appends");
            });

            tests.Add(prefix + "truncate-shrink", () =>
            {
                string path = root() + "/existing/truncate-me.bin";
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
                {
                    stream.SetLength(12345);
                    Assert.Equal(12345L, stream.Length, "FileStream.Length after SetLength");
                }

                IoAssert.HoldsPattern(path, 3, 12345);
            });

            tests.Add(prefix + "truncate-grow", () =>
            {
                string path = root() + "/existing/extend-me.bin";
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
                {
                    stream.SetLength(5000);
                }

                byte[] expected = new byte[5000];
                Content.FillPattern(4, 0, expected.AsSpan(0, 1000));
                IoAssert.FileEquals(expected, path);
            });

            tests.Add(prefix + "delete-file", () =>
            {
                string path = root() + "/existing/delete-me.txt";
                File.Delete(path);
                Assert.False(File.Exists(path), "File.Exists after File.Delete");
            });

            tests.Add(prefix + "mkdir-nested", () =>
            {
                string m = root();
                string deep = "/nested/a/b/c/d/e/f/g/h/i/j/k/l";
                Directory.CreateDirectory(m + deep);
                Assert.True(Directory.Exists(m + deep), "Directory.Exists of the 13-level directory CreateDirectory made");
                File.WriteAllText(m + deep + "/leaf.txt", Content.TextOf(deep + "/leaf.txt"));
                IoAssert.HoldsOwnPath(m + deep + "/leaf.txt", deep + "/leaf.txt");
            });

            tests.Add(prefix + "rmdir-empty", () =>
            {
                string path = root() + "/existing/empty-dir";
                Directory.Delete(path);
                Assert.False(Directory.Exists(path), "Directory.Exists after Directory.Delete");
            });

            tests.Add(prefix + "rmdir-recursive", () =>
            {
                string m = root();
                Directory.CreateDirectory(m + "/scratch/x/y");
                File.WriteAllText(m + "/scratch/x/a.txt", "a");
                File.WriteAllBytes(m + "/scratch/x/y/b.bin", Content.Pattern(9, 9000));
                IoAssert.Refused(() => Directory.Delete(m + "/scratch"), "deleting a directory that is not empty, non-recursively");
                Directory.Delete(m + "/scratch", recursive: true);
                Assert.False(Directory.Exists(m + "/scratch"), "Directory.Exists after a recursive Directory.Delete");
            });

            tests.Add(prefix + "rename-file", () =>
            {
                string m = root();
                File.Move(m + "/existing/rename-me.txt", m + "/existing/renamed.txt");
                Assert.False(File.Exists(m + "/existing/rename-me.txt"), "the old name after File.Move");
                IoAssert.HoldsOwnPath(m + "/existing/renamed.txt", "/existing/rename-me.txt");
            });

            tests.Add(prefix + "rename-unicode", () =>
            {
                string m = root();
                File.Move(m + "/existing/Grüße – 日本.txt", m + "/existing/Größe – 東京.txt");
                Assert.False(File.Exists(m + "/existing/Grüße – 日本.txt"), "the old name after File.Move");
                IoAssert.HoldsOwnPath(m + "/existing/Größe – 東京.txt", "/existing/Grüße – 日本.txt");
            });

            tests.Add(prefix + "move-to-other-directory", () =>
            {
                string m = root();
                File.Move(m + "/existing/move-me.txt", m + "/new/moved.txt");
                Assert.False(File.Exists(m + "/existing/move-me.txt"), "the old path after File.Move");
                IoAssert.HoldsOwnPath(m + "/new/moved.txt", "/existing/move-me.txt");
            });

            tests.Add(prefix + "rename-directory", () =>
            {
                string m = root();
                Directory.Move(m + "/existing/old-dir", m + "/existing/new-dir");
                Assert.False(Directory.Exists(m + "/existing/old-dir"), "the old name after Directory.Move");
                IoAssert.HoldsOwnPath(m + "/existing/new-dir/inner.txt", "/existing/old-dir/inner.txt");
            });

            tests.Add(prefix + "filestream-1mib-odd-chunks", () =>
            {
                string m = root();
                Directory.CreateDirectory(m + "/big");
                string path = m + "/big/odd-chunks.bin";
                byte[] data = Content.Pattern(6, OddChunksBytes);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    int offset = 0;
                    for (int i = 0; offset < data.Length; i++)
                    {
                        int count = Math.Min(OddChunkSizes[i % OddChunkSizes.Length], data.Length - offset);
                        stream.Write(data, offset, count);
                        offset += count;
                    }

                    Assert.Equal((long)OddChunksBytes, stream.Position, "FileStream.Position after the writes");
                }

                Assert.Equal((long)OddChunksBytes, new FileInfo(path).Length, "FileInfo.Length");
                byte[] buffer = new byte[3000];
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    long at = 0;
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        Assert.Equal(-1L, Content.FirstPatternMismatch(6, at, buffer.AsSpan(0, read)), "first wrong byte read back");
                        at += read;
                    }

                    Assert.Equal((long)OddChunksBytes, at, "bytes read back");
                }
            });

            tests.Add(prefix + "many-files", () =>
            {
                string m = root();
                Directory.CreateDirectory(m + "/many");
                for (int i = 0; i < ManyFiles; i++)
                {
                    string file = "/many/" + ManyName(i);
                    File.WriteAllText(m + file, Content.TextOf(file));
                }

                Assert.Equal(ManyFiles, Directory.GetFiles(m + "/many").Length, "Directory.GetFiles(/many).Length");
                IoAssert.HoldsOwnPath(m + "/many/" + ManyName(ManyFiles - 1), "/many/" + ManyName(ManyFiles - 1));
            });
        }
    }
}
