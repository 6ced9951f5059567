using System.IO;
using System.Text;
using Cosmos.System.FileSystem;
using Cosmos.System.Tests.Storage;
using Xunit;

namespace Cosmos.System.Tests.FileSystem
{
    public class VirtualFileSystemTests
    {
        [Theory]
        [InlineData("/", "vda", "/vda")]
        [InlineData("/vda/samples", "../README.TXT", "/vda/README.TXT")]
        [InlineData("/vda", "./a/./b/../c", "/vda/a/c")]
        [InlineData("/vda", "/vdb1/x", "/vdb1/x")]
        [InlineData("/", "../../..", "/")]
        [InlineData("/vda/", "x//y", "/vda/x/y")]
        public void NormalizeMakesAbsoluteCanonicalPaths(string current, string path, string expected)
        {
            Assert.Equal(expected, VirtualFileSystem.Normalize(current, path));
        }

        [Fact]
        public void WholeDiskFatIsMountedAndPathsResolveInsideIt()
        {
            using var tools = new DiskImageTools();
            string image = tools.MakeFat("disk.img", 32, 40 * 1024);
            tools.Mmd(image, "/docs");
            tools.Mcopy(image, tools.HostFile("note.txt", Encoding.UTF8.GetBytes("hi")), "/docs/note.txt");
            var vfs = new VirtualFileSystem();
            vfs.MountDevice("vda", new MemoryBlockDevice(File.ReadAllBytes(image)));

            Mount mount = Assert.Single(vfs.Mounts);
            Assert.Equal("/vda", mount.Path);
            Assert.Empty(vfs.Problems);
            var resolved = vfs.Resolve("/vda/docs/note.txt");
            Assert.NotNull(resolved);
            Assert.Equal("/docs/note.txt", resolved.Value.InnerPath);
            Assert.Equal("hi", Encoding.UTF8.GetString(resolved.Value.Mount.FileSystem.ReadAllBytes(resolved.Value.InnerPath)));
            Assert.Equal("/", vfs.Resolve("/vda")!.Value.InnerPath);
            Assert.Null(vfs.Resolve("/vdab/x"));
            Assert.Null(vfs.Resolve("/other"));
        }

        [Fact]
        public void EachFatPartitionIsMountedWithItsNumber()
        {
            using var tools = new DiskImageTools();
            string part = tools.MakeFat("part.img", 12, 4 * 1024);
            byte[] partition = File.ReadAllBytes(part);
            string disk = tools.PathOf("disk.img");
            File.WriteAllBytes(disk, new byte[(2048 * 512) + partition.Length + (1024 * 1024)]);
            tools.Run("sfdisk", "label: dos\nstart=2048, size=" + (partition.Length / 512) + ", type=1\n", disk);
            using (FileStream stream = File.OpenWrite(disk))
            {
                stream.Seek(2048 * 512, SeekOrigin.Begin);
                stream.Write(partition);
            }

            var vfs = new VirtualFileSystem();
            vfs.MountDevice("vdb", new MemoryBlockDevice(File.ReadAllBytes(disk)));
            Assert.Equal("/vdb1", Assert.Single(vfs.Mounts).Path);
        }

        [Fact]
        public void ADiskWithoutAFileSystemIsRecordedNotFatal()
        {
            var vfs = new VirtualFileSystem();
            vfs.MountDevice("vdc", new MemoryBlockDevice(new byte[512 * 64]));
            Assert.Empty(vfs.Mounts);
            Assert.Contains(vfs.Problems, problem => problem.StartsWith("vdc", global::System.StringComparison.Ordinal));
        }

        [Fact]
        public void ADiskThatLeavesHasItsVolumesUnmountedAndTheOthersStay()
        {
            using var tools = new DiskImageTools();
            string first = tools.MakeFat("first.img", 16, 16 * 1024);
            string second = tools.MakeFat("second.img", 12, 4 * 1024);
            var log = new global::System.Collections.Generic.List<string>();
            var vfs = new VirtualFileSystem { Log = log.Add };
            vfs.MountDevice("vda", new MemoryBlockDevice(File.ReadAllBytes(first)));
            var leaving = new MemoryBlockDevice(File.ReadAllBytes(second));
            vfs.MountDevice("vdb", leaving);
            global::System.Collections.Generic.IReadOnlyList<Mount> before = vfs.Mounts;
            vfs.Resolve("/vdb")!.Value.Mount.FileSystem.WriteAllBytes("/KEPT.TXT", Encoding.ASCII.GetBytes("kept"));

            Assert.Equal(new[] { "/vdb" }, vfs.UnmountDevice("vdb"));
            Assert.Equal("/vda", Assert.Single(vfs.Mounts).Path);
            Assert.Null(vfs.Resolve("/vdb/KEPT.TXT"));
            Assert.NotNull(vfs.Resolve("/vda"));
            Assert.Equal(2, before.Count);                         // a snapshot taken before is not changed under its reader
            Assert.Contains("[vfs] /vdb unmounted: vdb is being removed", log);
            Assert.Empty(vfs.UnmountDevice("vdb"));

            // What was written before the disk left is on it.
            var again = new VirtualFileSystem();
            again.MountDevice("vdc", new MemoryBlockDevice(leaving.Image));
            Assert.Equal("kept", Encoding.ASCII.GetString(again.Resolve("/vdc")!.Value.Mount.FileSystem.ReadAllBytes("/KEPT.TXT")));
        }
    }
}
