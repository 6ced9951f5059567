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
    }
}
