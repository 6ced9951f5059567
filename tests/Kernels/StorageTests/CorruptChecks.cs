using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.System.FileSystem;
using Cosmos.System.Storage;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// <c>scenario=corrupt</c>: mkfs.fat images the host patched. "bad-bpb" (FAT16) has
    /// BPB_BytsPerSec 300; "truncated" (FAT32) is cut to half its size; "chains" (FAT16) mounts,
    /// but LOOP.BIN's last cluster links back to its first, PASTEND.BIN's first cluster links to
    /// cluster <see cref="PastEndCluster"/>, OUTSIDE.BIN's directory entry starts at cluster
    /// <see cref="OutsideFileCluster"/>, LOOPDIR's only cluster links to itself and BADDIR's entry
    /// starts at cluster <see cref="OutsideDirectoryCluster"/>, all past the volume's last cluster.
    /// Each problem must be an error that says what is wrong, and the kernel must go on.
    /// </summary>
    public static class CorruptChecks
    {
        /// <summary>Where PASTEND.BIN's chain goes after its first cluster.</summary>
        public const uint PastEndCluster = 65000;

        /// <summary>The first cluster in OUTSIDE.BIN's directory entry.</summary>
        public const uint OutsideFileCluster = 65001;

        /// <summary>The first cluster in BADDIR's directory entry.</summary>
        public const uint OutsideDirectoryCluster = 65002;

        /// <summary>Adds the corrupt-image checks.</summary>
        public static void Add(TestRunner tests, TestDisks disks)
        {
            tests.Add("corrupt.bad-bpb-reported", () => ExpectNotMounted(disks, "bad-bpb", "BPB_BytsPerSec"));
            tests.Add("corrupt.truncated-image-reported", () => ExpectNotMounted(disks, "truncated", "truncated"));

            tests.Add("corrupt.chains-volume-lists-its-root", () =>
            {
                string root = disks.Volume("chains").Path;
                var files = new List<string>(Directory.GetFiles(root));
                foreach (string name in new[] { "GOOD.TXT", "LOOP.BIN", "PASTEND.BIN", "OUTSIDE.BIN" })
                {
                    Assert.True(files.Contains(root + "/" + name), $"Directory.GetFiles lists {name}; it lists {string.Join(", ", files)}");
                }

                var directories = new List<string>(Directory.GetDirectories(root));
                foreach (string name in new[] { "LOOPDIR", "BADDIR" })
                {
                    Assert.True(directories.Contains(root + "/" + name), $"Directory.GetDirectories lists {name}; it lists {string.Join(", ", directories)}");
                }

                IoAssert.HoldsOwnPath(root + "/GOOD.TXT", "/GOOD.TXT");
            });

            AddBrokenFile(tests, disks, "loop", "/LOOP.BIN", "loop");
            AddBrokenFile(tests, disks, "past-end", "/PASTEND.BIN", PastEndCluster.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
            AddBrokenFile(tests, disks, "outside-entry", "/OUTSIDE.BIN", OutsideFileCluster.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
            AddBrokenDirectory(tests, disks, "loop-directory", "/LOOPDIR", "loop");
            AddBrokenDirectory(tests, disks, "outside-directory", "/BADDIR", OutsideDirectoryCluster.ToString(global::System.Globalization.CultureInfo.InvariantCulture));

            tests.Add("corrupt.good-file-still-reads-after-the-errors", () =>
            {
                string root = disks.Volume("chains").Path;
                IoAssert.HoldsOwnPath(root + "/GOOD.TXT", "/GOOD.TXT");
                Assert.Equal(4, Directory.GetFiles(root).Length, "files in the root of the chains volume");
            });
        }

        private static void ExpectNotMounted(TestDisks disks, string serial, string reason)
        {
            List<Mount> mounts = disks.VolumesOf(serial);
            Assert.Equal(0, mounts.Count, $"mounts of the corrupt disk \"{serial}\"");
            List<string> problems = disks.ProblemsOf(serial);
            Assert.Equal(1, problems.Count, $"problems recorded for \"{serial}\" ({disks.Device(serial).Name}): {string.Join(" | ", problems)}");
            Assert.Contains(reason, problems[0], $"the problem recorded for \"{serial}\"");
        }

        private static void AddBrokenFile(TestRunner tests, TestDisks disks, string name, string file, string problem)
        {
            tests.Add("corrupt." + name + "-system-io-error", () =>
            {
                string path = disks.Volume("chains").Path + file;
                IoAssert.ThrowsCorruptionError(() => File.ReadAllBytes(path), path, problem, "File.ReadAllBytes");
                IoAssert.ThrowsCorruptionError(() =>
                {
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
                    byte[] buffer = new byte[64 * 1024];
                    while (stream.Read(buffer, 0, buffer.Length) > 0)
                    {
                    }
                }, path, problem, "reading through a FileStream");
            });

            tests.Add("corrupt." + name + "-fat-error-names-the-problem", () =>
            {
                Mount mount = disks.Volume("chains");
                StorageFormatException error = IoAssert.ThrowsWithMessage<StorageFormatException>(
                    () => mount.FileSystem.ReadAllBytes(file), problem, $"FatFileSystem.ReadAllBytes(\"{file}\")");
                Assert.Contains(file, error.Message, "the message names the file");
            });
        }

        private static void AddBrokenDirectory(TestRunner tests, TestDisks disks, string name, string directory, string problem)
        {
            tests.Add("corrupt." + name + "-system-io-error", () =>
            {
                string path = disks.Volume("chains").Path + directory;
                IoAssert.ThrowsCorruptionError(() => Directory.GetFiles(path), path, problem, "Directory.GetFiles");
            });

            tests.Add("corrupt." + name + "-fat-error-names-the-problem", () =>
            {
                Mount mount = disks.Volume("chains");
                StorageFormatException error = IoAssert.ThrowsWithMessage<StorageFormatException>(
                    () => mount.FileSystem.ListDirectory(directory), problem, $"FatFileSystem.ListDirectory(\"{directory}\")");
                Assert.Contains(directory, error.Message, "the message names the directory");
            });
        }
    }
}
