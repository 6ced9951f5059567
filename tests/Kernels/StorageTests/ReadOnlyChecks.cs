using System;
using System.IO;
using System.Text;
using Cosmos.HAL.Devices;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// <c>scenario=readonly</c>: disk "ro" (whole-disk FAT16 with /keep.txt, /dir/inner.txt and the
    /// empty /dir/sub) attached with <c>readonly=on</c>. Every kind of change must be refused with
    /// UnauthorizedAccessException or IOException and leave the volume as it was; the host compares
    /// the image's SHA-256 before and after the boot.
    /// </summary>
    public static class ReadOnlyChecks
    {
        /// <summary>Adds the read-only checks.</summary>
        public static void Add(TestRunner tests, TestDisks disks)
        {
            Func<string> root = () => disks.Volume("ro").Path;
            tests.Add("readonly.device-is-read-only", () =>
                Assert.True(((IBlockDevice)disks.Device("ro").Device).IsReadOnly, "IBlockDevice.IsReadOnly of the readonly=on disk"));

            tests.Add("readonly.files-read", () =>
            {
                IoAssert.HoldsOwnPath(root() + "/keep.txt", "/keep.txt");
                IoAssert.HoldsOwnPath(root() + "/dir/inner.txt", "/dir/inner.txt");
                using var stream = new FileStream(root() + "/keep.txt", FileMode.Open, FileAccess.Read);
                Assert.Equal((long)Content.TextBytesOf("/keep.txt").Length, stream.Length, "FileStream.Length opened for reading");
            });

            tests.Add("readonly.create-refused", () =>
            {
                IoAssert.Refused(() => File.WriteAllText(root() + "/new.txt", "new"), "File.WriteAllText of a new file");
                Assert.False(File.Exists(root() + "/new.txt"), "File.Exists of the refused file");
                IoAssert.Refused(() => new FileStream(root() + "/new2.txt", FileMode.CreateNew, FileAccess.Write).Dispose(), "FileStream with FileMode.CreateNew");
            });

            tests.Add("readonly.overwrite-refused", () =>
                IoAssert.Refused(() => File.WriteAllText(root() + "/keep.txt", "changed"), "File.WriteAllText over /keep.txt"));

            tests.Add("readonly.append-refused", () =>
                IoAssert.Refused(() => File.AppendAllText(root() + "/keep.txt", "more"), "File.AppendAllText to /keep.txt"));

            tests.Add("readonly.truncate-refused", () =>
                IoAssert.Refused(() =>
                {
                    using var stream = new FileStream(root() + "/keep.txt", FileMode.Open, FileAccess.ReadWrite);
                    stream.SetLength(1);
                }, "FileStream.SetLength on /keep.txt"));

            tests.Add("readonly.delete-refused", () =>
            {
                IoAssert.Refused(() => File.Delete(root() + "/keep.txt"), "File.Delete(/keep.txt)");
                Assert.True(File.Exists(root() + "/keep.txt"), "/keep.txt still exists");
            });

            tests.Add("readonly.mkdir-refused", () =>
            {
                IoAssert.Refused(() => Directory.CreateDirectory(root() + "/newdir"), "Directory.CreateDirectory(/newdir)");
                Assert.False(Directory.Exists(root() + "/newdir"), "Directory.Exists of the refused directory");
            });

            tests.Add("readonly.rmdir-refused", () =>
            {
                IoAssert.Refused(() => Directory.Delete(root() + "/dir/sub"), "Directory.Delete(/dir/sub)");
                Assert.True(Directory.Exists(root() + "/dir/sub"), "/dir/sub still exists");
            });

            tests.Add("readonly.rename-refused", () =>
            {
                IoAssert.Refused(() => File.Move(root() + "/keep.txt", root() + "/moved.txt"), "File.Move(/keep.txt, /moved.txt)");
                IoAssert.Refused(() => Directory.Move(root() + "/dir", root() + "/dir2"), "Directory.Move(/dir, /dir2)");
            });

            tests.Add("readonly.volume-unchanged", () =>
            {
                string m = root();
                IoAssert.HoldsOwnPath(m + "/keep.txt", "/keep.txt");
                Assert.SequenceEqual(new[] { m + "/dir/inner.txt", m + "/keep.txt" }, Sorted(Directory.GetFiles(m, "*", SearchOption.AllDirectories)), "every file on the volume");
                Assert.SequenceEqual(new[] { m + "/dir", m + "/dir/sub" }, Sorted(Directory.GetDirectories(m, "*", SearchOption.AllDirectories)), "every directory on the volume");
                Assert.Equal(Encoding.UTF8.GetByteCount(Content.TextOf("/keep.txt")), (int)new FileInfo(m + "/keep.txt").Length, "FileInfo.Length of /keep.txt");
            });

            tests.Add("readonly.listing", () => VolumeListing.PrintAll(disks));
        }

        private static string[] Sorted(string[] paths)
        {
            Array.Sort(paths, StringComparer.Ordinal);
            return paths;
        }
    }
}
