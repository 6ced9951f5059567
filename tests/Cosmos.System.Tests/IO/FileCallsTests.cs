using System;
using System.IO;
using System.Linq;
using System.Text;
using Cosmos.Core.Pal;
using Cosmos.System.FileSystem;
using Cosmos.System.IO;
using Cosmos.System.Tests.Storage;
using Xunit;

namespace Cosmos.System.Tests.IO
{
    /// <summary>
    /// The Unix file calls the class library's System.IO runs on, over a FAT volume made by mkfs.fat:
    /// their results and errno values, then fsck.fat and mtools on the changed image.
    /// </summary>
    public sealed class FileCallsTests : IDisposable
    {
        private readonly DiskImageTools _tools = new();
        private readonly string _image;
        private readonly MemoryBlockDevice _device;
        private readonly FileCalls _calls;

        public FileCallsTests()
        {
            _image = _tools.MakeFat("disk.img", 16, 16 * 1024);
            _tools.Mmd(_image, "/docs");
            _tools.Mcopy(_image, _tools.HostFile("a.txt", Encoding.UTF8.GetBytes("alpha")), "/docs/a.txt");
            _device = new MemoryBlockDevice(File.ReadAllBytes(_image));
            var mounts = new VirtualFileSystem();
            mounts.MountDevice("vda", _device);
            _calls = new FileCalls(mounts);
        }

        public void Dispose() => _tools.Dispose();

        [Fact]
        public void StatReportsFilesDirectoriesMountPointsAndTheRoot()
        {
            Assert.Equal(0, _calls.Stat("/vda/docs/a.txt", out FileStatus file));
            Assert.Equal(FileKind.File, file.Kind);
            Assert.Equal(5, file.Size);
            Assert.Equal(0x8000, file.Mode & 0xF000);
            Assert.Equal(0, _calls.Stat("/vda/docs", out FileStatus directory));
            Assert.Equal(FileKind.Directory, directory.Kind);
            Assert.Equal(0, _calls.Stat("/vda", out FileStatus mountPoint));
            Assert.Equal(FileKind.Directory, mountPoint.Kind);
            Assert.Equal(0, _calls.Stat("/", out FileStatus root));
            Assert.Equal(FileKind.Directory, root.Kind);
            Assert.Equal(-Errno.ENOENT, _calls.Stat("/vda/docs/missing", out _));
            Assert.Equal(-Errno.ENOENT, _calls.Stat("/vdb/x", out _));
        }

        [Fact]
        public void WritesThroughOpenFilesAtOffsetsWithHolesAndTruncation()
        {
            Assert.Equal(0, _calls.Open("/vda/docs/new.bin", OpenFlags.ReadWrite | OpenFlags.Create, out OpenFile? file));
            byte[] first = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
            Assert.Equal(3000, file!.Write(first));
            Assert.Equal(3000, file.Seek(0, 1));
            Assert.Equal(4, file.WriteAt(10000, new byte[] { 1, 2, 3, 4 }));
            Assert.Equal(10004, file.Status.Size);
            byte[] back = new byte[10004];
            Assert.Equal(10004, file.ReadAt(0, back));
            Assert.Equal(first, back[..3000]);
            Assert.All(back[3000..10000], b => Assert.Equal(0, b));
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, back[10000..]);
            Assert.Equal(0, file.SetLength(1500));
            Assert.Equal(1500, file.Status.Size);
            Assert.Equal(0, file.ReadAt(1500, new byte[10]));
            file.Release();

            string written = _tools.PathOf("written.img");
            File.WriteAllBytes(written, _device.Image);
            _tools.Run("fsck.fat", null, "-n", written);
            string copy = _tools.PathOf("new.bin");
            _tools.Run("mcopy", null, "-i", written, "::/docs/new.bin", copy);
            Assert.Equal(first[..1500], File.ReadAllBytes(copy));
        }

        [Fact]
        public void OpenFollowsTheFlags()
        {
            Assert.Equal(-Errno.ENOENT, _calls.Open("/vda/docs/none.txt", OpenFlags.ReadOnly, out _));
            Assert.Equal(-Errno.EEXIST, _calls.Open("/vda/docs/a.txt", OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, out _));
            Assert.Equal(-Errno.EISDIR, _calls.Open("/vda/docs", OpenFlags.WriteOnly, out _));
            Assert.Equal(-Errno.ENOENT, _calls.Open("/vda/nodir/x.txt", OpenFlags.WriteOnly | OpenFlags.Create, out _));
            Assert.Equal(0, _calls.Open("/vda/docs", OpenFlags.ReadOnly, out OpenFile? directory));
            Assert.Equal(FileKind.Directory, directory!.Status.Kind);

            Assert.Equal(0, _calls.Open("/vda/docs/a.txt", OpenFlags.ReadOnly, out OpenFile? readOnly));
            Assert.Equal(-Errno.EBADF, readOnly!.Write(new byte[] { 1 }));
            Assert.Equal(0, _calls.Open("/vda/docs/a.txt", OpenFlags.WriteOnly | OpenFlags.Truncate, out OpenFile? truncated));
            Assert.Equal(0, truncated!.Status.Size);
            Assert.Equal(-Errno.EBADF, truncated.Read(new byte[1]));
        }

        [Fact]
        public void DirectoriesAreMadeListedRenamedAndRemoved()
        {
            Assert.Equal(0, _calls.MakeDirectory("/vda/docs/sub"));
            Assert.Equal(-Errno.EEXIST, _calls.MakeDirectory("/vda/docs/sub"));
            Assert.Equal(-Errno.ENOENT, _calls.MakeDirectory("/vda/x/y"));
            Assert.Equal(0, _calls.Open("/vda/docs/sub/f.txt", OpenFlags.WriteOnly | OpenFlags.Create, out OpenFile? file));
            file!.Write(Encoding.ASCII.GetBytes("file in sub"));
            Assert.Equal(-Errno.ENOTEMPTY, _calls.RemoveDirectory("/vda/docs/sub"));
            Assert.Equal(-Errno.ENOTDIR, _calls.RemoveDirectory("/vda/docs/a.txt"));
            Assert.Equal(-Errno.EISDIR, _calls.Unlink("/vda/docs/sub"));

            Assert.Equal(0, _calls.OpenDirectory("/vda/docs", out var entries));
            Assert.Equal(new[] { ("a.txt", FileKind.File), ("sub", FileKind.Directory) }, entries!.OrderBy(e => e.Name).ToArray());
            Assert.Equal(0, _calls.OpenDirectory("/", out var top));
            Assert.Equal(("vda", FileKind.Directory), Assert.Single(top!));
            Assert.Equal(-Errno.ENOTDIR, _calls.OpenDirectory("/vda/docs/a.txt", out _));

            // A directory moves to the root and its ".." follows; then a file moves into it, replacing one.
            Assert.Equal(0, _calls.Rename("/vda/docs/sub", "/vda/moved"));
            Assert.Equal(0, _calls.Rename("/vda/docs/a.txt", "/vda/moved/f.txt"));
            Assert.Equal(-Errno.ENOENT, _calls.Stat("/vda/docs/a.txt", out _));
            Assert.Equal(-Errno.EINVAL, _calls.Rename("/vda/moved", "/vda/moved/inner"));
            Assert.Equal(-Errno.EXDEV, _calls.Rename("/vda/moved/f.txt", "/vdb/f.txt"));
            Assert.Equal(0, _calls.Unlink("/vda/docs/../moved/f.txt"));
            Assert.Equal(0, _calls.RemoveDirectory("/vda/moved"));
            Assert.Equal(0, _calls.RemoveDirectory("/vda/docs"));

            string written = _tools.PathOf("written.img");
            File.WriteAllBytes(written, _device.Image);
            _tools.Run("fsck.fat", null, "-n", written);
            Assert.DoesNotContain("docs", _tools.Run("mdir", null, "-i", written, "-b", "::/"));
        }

        [Fact]
        public void MovedDirectoryKeepsItsContentAndFsckAgrees()
        {
            Assert.Equal(0, _calls.MakeDirectory("/vda/top"));
            Assert.Equal(0, _calls.MakeDirectory("/vda/top/deep"));
            Assert.Equal(0, _calls.Open("/vda/top/deep/x.txt", OpenFlags.WriteOnly | OpenFlags.Create, out OpenFile? file));
            file!.Write(Encoding.ASCII.GetBytes("deep content"));
            Assert.Equal(0, _calls.Rename("/vda/top/deep", "/vda/docs/deep"));

            string written = _tools.PathOf("written.img");
            File.WriteAllBytes(written, _device.Image);
            _tools.Run("fsck.fat", null, "-n", written);
            string copy = _tools.PathOf("x.txt");
            _tools.Run("mcopy", null, "-i", written, "::/docs/deep/x.txt", copy);
            Assert.Equal("deep content", File.ReadAllText(copy));
            Assert.Equal(0, _calls.ChangeDirectory("/vda/docs/deep/.."));
            Assert.Equal("/vda/docs", _calls.CurrentDirectory);
            Assert.Equal(0, _calls.Stat("deep/x.txt", out FileStatus status));
            Assert.Equal(12, status.Size);
        }

        [Fact]
        public void ChangesOutsideVolumesAndOnReadOnlyDevicesAreRefusedWithAReason()
        {
            Assert.Equal(-Errno.EACCES, _calls.MakeDirectory("/newtop"));
            Assert.Contains("mount", Errno.Message(Errno.EACCES), StringComparison.Ordinal);

            var mounts = new VirtualFileSystem();
            var readOnly = new MemoryBlockDevice(File.ReadAllBytes(_image), readOnly: true);
            mounts.MountDevice("vdb", readOnly);
            var calls = new FileCalls(mounts);
            byte[] before = (byte[])readOnly.Image.Clone();
            Assert.Equal(-Errno.EROFS, calls.Open("/vdb/docs/a.txt", OpenFlags.WriteOnly, out _));
            Assert.Equal(-Errno.EROFS, calls.Open("/vdb/docs/b.txt", OpenFlags.WriteOnly | OpenFlags.Create, out _));
            Assert.Equal(-Errno.EROFS, calls.Unlink("/vdb/docs/a.txt"));
            Assert.Equal(-Errno.EROFS, calls.MakeDirectory("/vdb/new"));
            Assert.Equal(0, calls.Open("/vdb/docs/a.txt", OpenFlags.ReadOnly, out OpenFile? reader));
            byte[] text = new byte[5];
            Assert.Equal(5, reader!.Read(text));
            Assert.Equal("alpha", Encoding.ASCII.GetString(text));
            Assert.Equal(before, readOnly.Image);
        }

        [Fact]
        public void ReadOnlyAttributeRefusesWritingButNotReading()
        {
            Assert.Equal(0, _calls.SetMode("/vda/docs/a.txt", 0x124));
            Assert.Equal(0, _calls.Stat("/vda/docs/a.txt", out FileStatus status));
            Assert.True(status.ReadOnly);
            Assert.Equal(-Errno.EACCES, _calls.Open("/vda/docs/a.txt", OpenFlags.WriteOnly, out _));
            Assert.Equal(0, _calls.Open("/vda/docs/a.txt", OpenFlags.ReadOnly, out _));
            Assert.Equal(0, _calls.SetMode("/vda/docs/a.txt", 0x1B6));
            Assert.Equal(0, _calls.Open("/vda/docs/a.txt", OpenFlags.WriteOnly, out _));
        }

        [Fact]
        public void ACorruptFileGivesEioWithTheFileSystemsReason()
        {
            // Point a.txt's chain at itself: its first cluster's FAT entry names the cluster again.
            var mounts = new VirtualFileSystem();
            mounts.MountDevice("vda", _device);
            var entry = mounts.Mounts[0].FileSystem.GetEntry("/docs/a.txt");
            mounts.Mounts[0].FileSystem.Table.WriteEntry(entry.FirstCluster, entry.FirstCluster);
            var calls = new FileCalls(mounts);
            Assert.Equal(-Errno.EIO, calls.Open("/vda/docs/a.txt", OpenFlags.ReadOnly, out _));
            Assert.Contains("a.txt", Errno.Message(Errno.EIO), StringComparison.Ordinal);
            Assert.StartsWith("Input/output error (FAT:", Errno.Message(Errno.EIO), StringComparison.Ordinal);
        }
    }
}
