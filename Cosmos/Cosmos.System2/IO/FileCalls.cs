using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Cosmos.Core.Pal;
using Cosmos.System.FileSystem;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;

namespace Cosmos.System.IO
{
    /// <summary>Flags of open(2) as the class library's PAL passes them (Interop.Sys.OpenFlags).</summary>
    [Flags]
    public enum OpenFlags
    {
        /// <summary>Open for reading only.</summary>
        ReadOnly = 0x0000,

        /// <summary>Open for writing only.</summary>
        WriteOnly = 0x0001,

        /// <summary>Open for reading and writing.</summary>
        ReadWrite = 0x0002,

        /// <summary>The access-mode bits.</summary>
        AccessMask = 0x000F,

        /// <summary>Close on exec (meaningless here: there is one program).</summary>
        CloseOnExec = 0x0010,

        /// <summary>Create the file when it does not exist.</summary>
        Create = 0x0020,

        /// <summary>With <see cref="Create"/>: fail when the file exists.</summary>
        Exclusive = 0x0040,

        /// <summary>Truncate an existing file to length 0.</summary>
        Truncate = 0x0080,

        /// <summary>Every write reaches the device before the call returns.</summary>
        Synchronous = 0x0100,

        /// <summary>Do not follow a symbolic link (FAT has none).</summary>
        NoFollow = 0x0200,
    }

    /// <summary>
    /// The Unix file calls (open, stat, unlink, mkdir, rmdir, rename, opendir, chdir ...) over the mount
    /// table: one tree whose root lists the mount points (/vda1 ...). Results are 0 (or a count) on
    /// success and a negated <see cref="Errno"/> value on failure, with the file system's own reason
    /// recorded by <see cref="Errno.SetDetail"/> so that the class library's exception says why.
    /// Paths are made absolute against <see cref="CurrentDirectory"/>.
    /// </summary>
    public sealed class FileCalls
    {
        private readonly VirtualFileSystem _mounts;
        private string _currentDirectory = "/";

        /// <summary>Creates the calls over <paramref name="mounts"/>.</summary>
        public FileCalls(VirtualFileSystem mounts)
        {
            ArgumentNullException.ThrowIfNull(mounts);
            _mounts = mounts;
        }

        /// <summary>The calls the class library's file API reaches (set by the kernel at start).</summary>
        public static FileCalls? Current { get; set; }

        /// <summary>The working directory (getcwd), always absolute and normalised.</summary>
        public string CurrentDirectory => _currentDirectory;

        /// <summary><paramref name="path"/> made absolute against the working directory, without . and .. parts.</summary>
        public string FullPath(string path) => VirtualFileSystem.Normalize(_currentDirectory, path);

        /// <summary>chdir: the directory must exist.</summary>
        public int ChangeDirectory(string path)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            string full = FullPath(path);
            int result = Stat(full, out FileStatus status);
            if (result < 0)
            {
                return result;
            }

            if (status.Kind != FileKind.Directory)
            {
                return Fail(Errno.ENOTDIR, $"'{full}' is a file");
            }

            _currentDirectory = full;
            return 0;
        }

        /// <summary>stat: what <paramref name="path"/> names.</summary>
        public int Stat(string path, out FileStatus status)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            status = default;
            string full = FullPath(path);
            if (full == "/")
            {
                status = new FileStatus(FileKind.Directory, 0, FileStatus.NoTime, FileStatus.NoTime, true, 1);
                return 0;
            }

            if (_mounts.Resolve(full) is not { } target)
            {
                return Fail(Errno.ENOENT, $"'{full}' is on no mounted volume (see 'mount')");
            }

            try
            {
                FatDirectoryEntry? entry = target.Mount.FileSystem.FindEntry(target.InnerPath);
                if (entry == null)
                {
                    return Fail(Errno.ENOENT, null);
                }

                status = StatusOf(entry, IdOf(full));
                return 0;
            }
            catch (Exception error) when (IsFileSystemError(error))
            {
                return Fail(error, full);
            }
        }

        /// <summary>open: an open file description for <paramref name="path"/>.</summary>
        public int Open(string path, OpenFlags flags, out OpenFile? file)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            file = null;
            string full = FullPath(path);
            OpenFlags access = flags & OpenFlags.AccessMask;
            if (access != OpenFlags.ReadOnly && access != OpenFlags.WriteOnly && access != OpenFlags.ReadWrite)
            {
                return Fail(Errno.EINVAL, $"access mode 0x{(int)access:x}");
            }

            bool canRead = access != OpenFlags.WriteOnly;
            bool canWrite = access != OpenFlags.ReadOnly;
            if (full == "/")
            {
                return OpenDirectoryHandle(full, canWrite, new FileStatus(FileKind.Directory, 0, FileStatus.NoTime, FileStatus.NoTime, true, 1), out file);
            }

            if (_mounts.Resolve(full) is not { } target)
            {
                return Fail(Errno.ENOENT, $"'{full}' is on no mounted volume (see 'mount')");
            }

            FatFileSystem fileSystem = target.Mount.FileSystem;
            try
            {
                FatDirectoryEntry? entry = fileSystem.FindEntry(target.InnerPath);
                if (entry != null && (flags & (OpenFlags.Create | OpenFlags.Exclusive)) == (OpenFlags.Create | OpenFlags.Exclusive))
                {
                    return Fail(Errno.EEXIST, null);
                }

                if (entry != null && entry.IsDirectory)
                {
                    return OpenDirectoryHandle(full, canWrite, StatusOf(entry, IdOf(full)), out file);
                }

                if (entry == null)
                {
                    if ((flags & OpenFlags.Create) == 0)
                    {
                        return Fail(Errno.ENOENT, null);
                    }

                    int parentError = CheckParent(fileSystem, target.InnerPath, full);
                    if (parentError < 0)
                    {
                        return parentError;
                    }
                }
                else if (canWrite && (entry.Attributes & FatAttributes.ReadOnly) != 0)
                {
                    return Fail(Errno.EACCES, $"'{full}' has the read-only attribute");
                }

                if (canWrite && fileSystem.Device.IsReadOnly)
                {
                    return Fail(Errno.EROFS, $"{target.Mount.Source} is on a read-only device");
                }

                FatFile fatFile = entry == null ? fileSystem.OpenOrCreateFile(target.InnerPath) : fileSystem.OpenFile(entry);
                if (canWrite && (flags & OpenFlags.Truncate) != 0 && fatFile.Length != 0)
                {
                    fatFile.SetLength(0);
                }

                file = new FatOpenFile(fileSystem, fatFile, canRead, canWrite, (flags & OpenFlags.Synchronous) != 0, IdOf(full));
                return 0;
            }
            catch (Exception error) when (IsFileSystemError(error))
            {
                return Fail(error, full);
            }
        }

        /// <summary>unlink: removes a file (not a directory).</summary>
        public int Unlink(string path) => Change(path, (fileSystem, inner, full) =>
        {
            FatDirectoryEntry? entry = fileSystem.FindEntry(inner);
            if (entry == null)
            {
                return Fail(Errno.ENOENT, null);
            }

            if (entry.IsDirectory)
            {
                return Fail(Errno.EISDIR, $"'{full}' is a directory (use rmdir)");
            }

            fileSystem.Delete(inner);
            return 0;
        });

        /// <summary>mkdir: creates a directory whose parent exists.</summary>
        public int MakeDirectory(string path) => Change(path, (fileSystem, inner, full) =>
        {
            if (fileSystem.FindEntry(inner) != null)
            {
                return Fail(Errno.EEXIST, null);
            }

            int parentError = CheckParent(fileSystem, inner, full);
            if (parentError < 0)
            {
                return parentError;
            }

            fileSystem.CreateDirectory(inner);
            return 0;
        });

        /// <summary>rmdir: removes an empty directory.</summary>
        public int RemoveDirectory(string path) => Change(path, (fileSystem, inner, full) =>
        {
            FatDirectoryEntry? entry = fileSystem.FindEntry(inner);
            if (entry == null)
            {
                return Fail(Errno.ENOENT, null);
            }

            if (!entry.IsDirectory)
            {
                return Fail(Errno.ENOTDIR, $"'{full}' is a file");
            }

            if (entry == fileSystem.Root)
            {
                return Fail(Errno.EBUSY, $"'{full}' is a mount point");
            }

            if (fileSystem.ReadDirectory(entry).Count > 0)
            {
                return Fail(Errno.ENOTEMPTY, null);
            }

            fileSystem.Delete(inner);
            return 0;
        });

        /// <summary>
        /// rename: moves <paramref name="oldPath"/> to <paramref name="newPath"/> on the same volume, replacing a
        /// file (or an empty directory, when a directory moves) already there; across volumes EXDEV.
        /// </summary>
        public int Rename(string oldPath, string newPath)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            string newFull = FullPath(newPath);
            var destination = _mounts.Resolve(newFull);
            return Change(oldPath, (fileSystem, inner, full) =>
            {
                if (destination is not { } to || to.Mount.FileSystem != fileSystem)
                {
                    return Fail(Errno.EXDEV, $"'{full}' and '{newFull}' are on different volumes");
                }

                FatDirectoryEntry? source = fileSystem.FindEntry(inner);
                if (source == null)
                {
                    return Fail(Errno.ENOENT, null);
                }

                if (source == fileSystem.Root || to.InnerPath == "/")
                {
                    return Fail(Errno.EBUSY, "a mount point cannot be renamed");
                }

                FatDirectoryEntry? existing = fileSystem.FindEntry(to.InnerPath);
                bool sameEntry = existing != null && string.Equals(existing.Path, source.Path, StringComparison.OrdinalIgnoreCase);
                if (existing != null && !sameEntry)
                {
                    if (source.IsDirectory && !existing.IsDirectory)
                    {
                        return Fail(Errno.ENOTDIR, $"'{newFull}' is a file");
                    }

                    if (!source.IsDirectory && existing.IsDirectory)
                    {
                        return Fail(Errno.EISDIR, $"'{newFull}' is a directory");
                    }

                    if (existing.IsDirectory && fileSystem.ReadDirectory(existing).Count > 0)
                    {
                        return Fail(Errno.ENOTEMPTY, $"'{newFull}' is not empty");
                    }
                }

                if (source.IsDirectory && (to.InnerPath + "/").StartsWith(source.Path + "/", StringComparison.OrdinalIgnoreCase) && !sameEntry)
                {
                    return Fail(Errno.EINVAL, $"'{full}' cannot move into itself");
                }

                int parentError = CheckParent(fileSystem, to.InnerPath, newFull);
                if (parentError < 0)
                {
                    return parentError;
                }

                if (existing != null && !sameEntry)
                {
                    fileSystem.Delete(existing.Path);
                }

                fileSystem.Move(source.Path, to.InnerPath);
                return 0;
            });
        }

        /// <summary>chmod: FAT keeps only the read-only attribute, set when no write bit remains.</summary>
        public int SetMode(string path, int mode) => Change(path, (fileSystem, inner, full) =>
        {
            if (fileSystem.FindEntry(inner) == null)
            {
                return Fail(Errno.ENOENT, null);
            }

            fileSystem.SetReadOnly(inner, (mode & 0x92) == 0);
            return 0;
        });

        /// <summary>utimens: sets the last-write time (FAT keeps 2-second resolution and no zone).</summary>
        public int SetModified(string path, DateTime modified) => Change(path, (fileSystem, inner, full) =>
        {
            if (fileSystem.FindEntry(inner) == null)
            {
                return Fail(Errno.ENOENT, null);
            }

            fileSystem.SetModified(inner, modified);
            return 0;
        });

        /// <summary>opendir: the names in a directory, read at once (FAT directories are at most 2 MiB).</summary>
        public int OpenDirectory(string path, out IReadOnlyList<(string Name, FileKind Kind)>? entries)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            entries = null;
            string full = FullPath(path);
            var list = new List<(string, FileKind)>();
            if (full == "/")
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (Mount mount in _mounts.Mounts)
                {
                    string top = mount.Path.Substring(1).Split('/')[0];
                    if (seen.Add(top))
                    {
                        list.Add((top, FileKind.Directory));
                    }
                }

                entries = list;
                return 0;
            }

            if (_mounts.Resolve(full) is not { } target)
            {
                return Fail(Errno.ENOENT, $"'{full}' is on no mounted volume (see 'mount')");
            }

            try
            {
                FatDirectoryEntry? directory = target.Mount.FileSystem.FindEntry(target.InnerPath);
                if (directory == null)
                {
                    return Fail(Errno.ENOENT, null);
                }

                if (!directory.IsDirectory)
                {
                    return Fail(Errno.ENOTDIR, $"'{full}' is a file");
                }

                foreach (FatDirectoryEntry entry in target.Mount.FileSystem.ReadDirectory(directory))
                {
                    list.Add((entry.Name, entry.IsDirectory ? FileKind.Directory : FileKind.File));
                }

                entries = list;
                return 0;
            }
            catch (Exception error) when (IsFileSystemError(error))
            {
                return Fail(error, full);
            }
        }

        /// <summary>sync: asks every mounted volume's device to make its writes durable.</summary>
        public int SyncAll()
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            int result = 0;
            foreach (Mount mount in _mounts.Mounts)
            {
                if (mount.FileSystem.Device.IsReadOnly)
                {
                    continue;
                }

                try
                {
                    mount.FileSystem.Flush();
                }
                catch (Exception error) when (IsFileSystemError(error))
                {
                    result = Fail(error, mount.Path);
                }
            }

            return result;
        }

        /// <summary>True for the exceptions the storage stack throws for bad data, failing devices and bad names.</summary>
        public static bool IsFileSystemError(Exception error) =>
            error is IOException or StorageFormatException or UnauthorizedAccessException or ArgumentException;

        /// <summary>Records <paramref name="detail"/> for <paramref name="errno"/> and returns -errno.</summary>
        public static int Fail(int errno, string? detail)
        {
            Errno.SetDetail(errno, detail);
            return -errno;
        }

        /// <summary>The errno for an exception of the storage stack, with its message as the detail.</summary>
        public static int Fail(Exception error, string path)
        {
            ArgumentNullException.ThrowIfNull(error);
            int errno = error switch
            {
                StorageIOException { Result: Cosmos.HAL.Devices.BlockResult.ReadOnly } => Errno.EROFS,
                StorageFullException => Errno.ENOSPC,
                FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
                UnauthorizedAccessException => Errno.EACCES,
                ArgumentException => Errno.EINVAL,
                _ => Errno.EIO,
            };
            return Fail(errno, error.Message);
        }

        /// <summary>The status of a FAT entry.</summary>
        public static FileStatus StatusOf(FatDirectoryEntry entry, long id)
        {
            ArgumentNullException.ThrowIfNull(entry);
            return new FileStatus(entry.IsDirectory ? FileKind.Directory : FileKind.File, entry.IsDirectory ? 0 : entry.Size,
                Valid(entry.Modified), Valid(entry.Created), (entry.Attributes & FatAttributes.ReadOnly) != 0, id);
        }

        private static DateTime Valid(DateTime time) => time.Year < 1980 ? FileStatus.NoTime : time;

        // A stable identity (st_ino) for a path: FNV-1a over the upper-cased path, as FAT matches names without case.
        private static long IdOf(string fullPath)
        {
            ulong hash = 14695981039346656037UL;
            foreach (char c in fullPath.ToUpperInvariant())
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return (long)(hash >> 1) | 2;
        }

        private static int OpenDirectoryHandle(string full, bool canWrite, FileStatus status, out OpenFile? file)
        {
            file = null;
            if (canWrite)
            {
                return Fail(Errno.EISDIR, $"'{full}' is a directory");
            }

            file = new DirectoryHandle(status);
            return 0;
        }

        private static int CheckParent(FatFileSystem fileSystem, string inner, string full)
        {
            int slash = inner.LastIndexOf('/');
            string parentPath = slash <= 0 ? "/" : inner.Substring(0, slash);
            FatDirectoryEntry? parent = fileSystem.FindEntry(parentPath);
            if (parent == null)
            {
                return Fail(Errno.ENOENT, $"the directory holding '{full}' does not exist");
            }

            return parent.IsDirectory ? 0 : Fail(Errno.ENOTDIR, $"a part of '{full}' is a file");
        }

        // Runs a change on the volume holding `path`: the mount table's root and read-only devices refuse it first.
        private int Change(string path, Func<FatFileSystem, string, string, int> change)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            string full = FullPath(path);
            if (full == "/")
            {
                return Fail(Errno.EBUSY, "'/' is the mount table's root");
            }

            if (_mounts.Resolve(full) is not { } target)
            {
                return Fail(Errno.EACCES, $"'{full}' is on no mounted volume; '/' holds only mount points (see 'mount')");
            }

            if (target.Mount.FileSystem.Device.IsReadOnly)
            {
                return Fail(Errno.EROFS, $"{target.Mount.Source} is on a read-only device");
            }

            try
            {
                return change(target.Mount.FileSystem, target.InnerPath, full);
            }
            catch (Exception error) when (IsFileSystemError(error))
            {
                return Fail(error, full);
            }
        }

        private sealed class DirectoryHandle : OpenFile
        {
            private readonly FileStatus _status;

            public DirectoryHandle(FileStatus status) => _status = status;

            public override int Read(Span<byte> buffer) => -Errno.EISDIR;

            public override int ReadAt(long offset, Span<byte> buffer) => -Errno.EISDIR;

            public override long Seek(long offset, int whence) => 0;

            public override FileStatus Status => _status;
        }
    }
}
