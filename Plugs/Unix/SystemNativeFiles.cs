using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Cosmos.Core.Pal;
using Cosmos.System.IO;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// libSystem.Native's path calls (open, stat, unlink, mkdir, rename, opendir, chdir ...) over
    /// <see cref="FileCalls"/>: File, Directory, FileStream, FileInfo and Directory enumeration run
    /// unmodified on top. Failures return -1 with errno set, and errno's detail carries the file
    /// system's reason into the exception message.
    /// </summary>
    internal static unsafe class SystemNativeFiles
    {
        private const uint MsdosSuperMagic = 0x4D44;
        private const int NameBufferBytes = 1024;

        private static FileCalls Calls => FileCalls.Current ?? throw new InvalidOperationException("the kernel has not started its file system calls");

        private static int Result(int value)
        {
            if (value < 0)
            {
                Errno.Value = -value;
                return -1;
            }

            return value;
        }

        private static string PathOf(byte* path) => Marshal.PtrToStringUTF8((nint)path) ?? "";

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Open")]
        private static nint Open(byte* path, int flags, int mode)
        {
            int result = Calls.Open(PathOf(path), (OpenFlags)flags, out OpenFile? file);
            return result < 0 ? Result(result) : Result(FileDescriptorTable.Add(file!));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Stat")]
        private static int Stat(byte* path, FileStatusWriter.NativeFileStatus* output) => StatPath(path, output);

        /// <summary>FAT has no symbolic links, so lstat is stat.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LStat")]
        private static int LStat(byte* path, FileStatusWriter.NativeFileStatus* output) => StatPath(path, output);

        private static int StatPath(byte* path, FileStatusWriter.NativeFileStatus* output)
        {
            int result = Calls.Stat(PathOf(path), out FileStatus status);
            if (result < 0)
            {
                return Result(result);
            }

            FileStatusWriter.Fill(output, status);
            return 0;
        }

        /// <summary>access: F_OK (0) asks for existence, W_OK (2) also for writability.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Access")]
        private static int Access(byte* path, int mode)
        {
            int result = Calls.Stat(PathOf(path), out FileStatus status);
            if (result < 0)
            {
                return Result(result);
            }

            return (mode & 2) != 0 && status.ReadOnly ? Result(FileCalls.Fail(Errno.EACCES, "read-only")) : 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Unlink")]
        private static int Unlink(byte* path) => Result(Calls.Unlink(PathOf(path)));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_MkDir")]
        private static int MkDir(byte* path, int mode) => Result(Calls.MakeDirectory(PathOf(path)));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_RmDir")]
        private static int RmDir(byte* path) => Result(Calls.RemoveDirectory(PathOf(path)));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Rename")]
        private static int Rename(byte* oldPath, byte* newPath) => Result(Calls.Rename(PathOf(oldPath), PathOf(newPath)));

        /// <summary>FAT has no hard links; the class library then copies (File.Move without overwrite).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Link")]
        private static int Link(byte* source, byte* link) => Result(FileCalls.Fail(Errno.ENOTSUP, "FAT has no hard links"));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SymLink")]
        private static int SymLink(byte* target, byte* link) => Result(FileCalls.Fail(Errno.ENOTSUP, "FAT has no symbolic links"));

        /// <summary>Nothing is a symbolic link on FAT.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ReadLink")]
        private static int ReadLink(byte* path, byte* buffer, int size) => Result(FileCalls.Fail(Errno.EINVAL, null));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ChMod")]
        private static int ChMod(byte* path, int mode) => Result(Calls.SetMode(PathOf(path), mode));

        /// <summary>utimensat: times[1] is the modification time FAT keeps (times[0], access, is a date only and follows it).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_UTimensat")]
        private static int UTimensat(byte* path, TimeSpec* times)
        {
            DateTime modified = times == null
                ? DateTime.UtcNow
                : DateTime.UnixEpoch.AddTicks((times[1].Seconds * TimeSpan.TicksPerSecond) + (times[1].Nanoseconds / 100));
            return Result(Calls.SetModified(PathOf(path), modified));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CopyFile")]
        private static int CopyFile(nint source, nint destination, long sourceLength)
        {
            OpenFile? from = FileDescriptorTable.Get(source);
            OpenFile? to = FileDescriptorTable.Get(destination);
            if (from == null || to == null)
            {
                return Result(-Errno.EBADF);
            }

            byte[] buffer = new byte[64 * 1024];
            long offset = 0;
            while (true)
            {
                int read = from.ReadAt(offset, buffer);
                if (read <= 0)
                {
                    return read < 0 ? Result(read) : 0;
                }

                int written = to.WriteAt(offset, buffer.AsSpan(0, read));
                if (written < 0)
                {
                    return Result(written);
                }

                offset += read;
            }
        }

        /// <summary>posix_fallocate: makes the file at least offset + length bytes long (FAT allocates by writing).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FAllocate")]
        private static int FAllocate(nint fd, long offset, long length)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            if (file == null)
            {
                return Result(-Errno.EBADF);
            }

            long end = offset + length;
            return end > file.Status.Size ? Result(file.SetLength(end)) : 0;
        }

        /// <summary>Access-pattern advice; the kernel's reads do not depend on it.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_PosixFAdvise")]
        private static int PosixFAdvise(nint fd, long offset, long length, int advice) =>
            FileDescriptorTable.Get(fd) == null ? Errno.EBADF : 0;

        /// <summary>statfs's f_type: every volume is FAT (MSDOS_SUPER_MAGIC).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetFileSystemType")]
        private static uint GetFileSystemType(nint fd) => MsdosSuperMagic;

        /// <summary>BSD file flags (UF_HIDDEN) do not exist here; FAT's hidden attribute is not exposed through them.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CanGetHiddenFlag")]
        private static int CanGetHiddenFlag() => 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LChflagsCanSetHiddenFlag")]
        private static int LChflagsCanSetHiddenFlag() => 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LChflags")]
        private static int LChflags(byte* path, uint flags) => Result(FileCalls.Fail(Errno.ENOTSUP, null));

        /// <summary>The one user is root (uid 0, gid 0) with no supplementary groups.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetEGid")]
        private static uint GetEGid() => 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetGroups")]
        private static int GetGroups(int count, uint* groups) => 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetCwd")]
        private static byte* GetCwd(byte* buffer, int bufferLength)
        {
            string current = FileCalls.Current?.CurrentDirectory ?? "/";
            int needed = Encoding.UTF8.GetByteCount(current) + 1;
            if (bufferLength < needed)
            {
                Errno.Value = Errno.ERANGE;
                return null;
            }

            int length = Encoding.UTF8.GetBytes(current, new Span<byte>(buffer, bufferLength));
            buffer[length] = 0;
            return buffer;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ChDir")]
        private static int ChDir(byte* path) => Result(Calls.ChangeDirectory(PathOf(path)));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_OpenDir")]
        private static nint OpenDir(byte* path)
        {
            int result = Calls.OpenDirectory(PathOf(path), out IReadOnlyList<(string Name, FileKind Kind)>? entries);
            if (result < 0)
            {
                Result(result);
                return 0;
            }

            var stream = new DirectoryStream(entries!);
            return GCHandle.ToIntPtr(GCHandle.Alloc(stream));
        }

        /// <summary>0 with an entry, -1 at the end, an errno value on failure (this call does not use errno).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ReadDir")]
        private static int ReadDir(nint directory, DirectoryEntry* output)
        {
            *output = default;
            if (directory == 0 || GCHandle.FromIntPtr(directory).Target is not DirectoryStream stream)
            {
                return Errno.EBADF;
            }

            if (stream.Next >= stream.Entries.Count)
            {
                return -1;
            }

            (string name, FileKind kind) = stream.Entries[stream.Next++];
            int length = Encoding.UTF8.GetBytes(name, new Span<byte>(stream.Name, NameBufferBytes - 1));
            stream.Name[length] = 0;
            output->Name = stream.Name;
            output->NameLength = length;
            output->InodeType = kind == FileKind.Directory ? 4 : 8;     // DT_DIR, DT_REG
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CloseDir")]
        private static int CloseDir(nint directory)
        {
            if (directory == 0)
            {
                return Result(-Errno.EBADF);
            }

            GCHandle handle = GCHandle.FromIntPtr(directory);
            if (handle.Target is DirectoryStream stream)
            {
                stream.Dispose();
            }

            handle.Free();
            return 0;
        }

        /// <summary>Interop.Sys.DirectoryEntry.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct DirectoryEntry
        {
            public byte* Name;
            public int NameLength;
            public int InodeType;
        }

        /// <summary>Interop.Sys.TimeSpec.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        // An open directory: its names, read at opendir, and the buffer the current name is returned in.
        private sealed class DirectoryStream : IDisposable
        {
            public DirectoryStream(IReadOnlyList<(string Name, FileKind Kind)> entries)
            {
                Entries = entries;
                Name = (byte*)NativeMemory.Alloc(NameBufferBytes);
            }

            public IReadOnlyList<(string Name, FileKind Kind)> Entries { get; }

            public int Next { get; set; }

            public byte* Name { get; private set; }

            public void Dispose()
            {
                NativeMemory.Free(Name);
                Name = null;
            }
        }
    }
}
