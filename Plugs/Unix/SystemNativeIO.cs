using System;
using System.Runtime.InteropServices;
using Cosmos.Core.Pal;
using Cosmos.System.IO;
using Cosmos.System.Network;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// libSystem.Native's descriptor calls, at the lowest seam of the class library: FileStream,
    /// Console and SafeFileHandle run unmodified on top. Failures return -1 with errno set.
    /// </summary>
    internal static unsafe class SystemNativeIO
    {
        private static int Result(int value)
        {
            if (value < 0)
            {
                Errno.Value = -value;
                return -1;
            }

            return value;
        }

        private static long Result(long value)
        {
            if (value < 0)
            {
                Errno.Value = (int)-value;
                return -1;
            }

            return value;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Read")]
        private static int Read(nint fd, byte* buffer, int count)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-Errno.EBADF) : Result(file.Read(new Span<byte>(buffer, count)));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Write")]
        private static int Write(nint fd, byte* buffer, int count)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-Errno.EBADF) : Result(file.Write(new ReadOnlySpan<byte>(buffer, count)));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_PRead")]
        private static int PRead(nint fd, byte* buffer, int count, long offset)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-Errno.EBADF) : Result(file.ReadAt(offset, new Span<byte>(buffer, count)));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_PWrite")]
        private static int PWrite(nint fd, byte* buffer, int count, long offset)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-Errno.EBADF) : Result(file.WriteAt(offset, new ReadOnlySpan<byte>(buffer, count)));
        }

        /// <summary>Scatter read at an offset (RandomAccess.Read with several buffers): the vectors in turn, stopping at a short read.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_PReadV")]
        private static long PReadV(nint fd, IOVector* vectors, int count, long offset)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            if (file == null)
            {
                return Result(-(long)Errno.EBADF);
            }

            long total = 0;
            for (int i = 0; i < count; i++)
            {
                int length = (int)vectors[i].Count;
                int read = file.ReadAt(offset + total, new Span<byte>(vectors[i].Base, length));
                if (read < 0)
                {
                    return total > 0 ? total : Result((long)read);
                }

                total += read;
                if (read < length)
                {
                    break;
                }
            }

            return total;
        }

        /// <summary>Gather write at an offset (RandomAccess.Write with several buffers).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_PWriteV")]
        private static long PWriteV(nint fd, IOVector* vectors, int count, long offset)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            if (file == null)
            {
                return Result(-(long)Errno.EBADF);
            }

            long total = 0;
            for (int i = 0; i < count; i++)
            {
                int written = file.WriteAt(offset + total, new ReadOnlySpan<byte>(vectors[i].Base, (int)vectors[i].Count));
                if (written < 0)
                {
                    return total > 0 ? total : Result((long)written);
                }

                total += written;
            }

            return total;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FTruncate")]
        private static int FTruncate(nint fd, long length)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-Errno.EBADF) : Result(file.SetLength(length));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FSync")]
        private static int FSync(nint fd)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-Errno.EBADF) : Result(file.Sync());
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_LSeek")]
        private static long LSeek(nint fd, long offset, int whence)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            return file == null ? Result(-(long)Errno.EBADF) : Result(file.Seek(offset, whence));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Dup")]
        private static nint Dup(nint fd) => Result(FileDescriptorTable.Duplicate(fd));

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Close")]
        private static int Close(nint fd) => Result(FileDescriptorTable.Close(fd));

        /// <summary>Standard input is cooked by the kernel's line editor, so it is reported as not a
        /// terminal: the class library then reads lines through a plain StreamReader.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_IsATty")]
        private static int IsATty(nint fd) => fd != 0 && FileDescriptorTable.Get(fd)?.IsTerminal == true ? 1 : 0;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FStat")]
        private static int FStat(nint fd, FileStatusWriter.NativeFileStatus* status)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            if (file == null)
            {
                return Result(-Errno.EBADF);
            }

            FileStatusWriter.Fill(status, file.Status);
            return 0;
        }

        /// <summary>Advisory locks between processes: the kernel is one process, so every lock is granted.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FLock")]
        private static int FLock(nint fd, int operation) => FileDescriptorTable.Get(fd) == null ? Result(-Errno.EBADF) : 0;

        /// <summary>
        /// poll: files answer at once (a read of the console or a disk file does not wait for long); sockets wait, up to
        /// the timeout, for the network thread to make one ready (<see cref="SocketCalls.Poll"/>).
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Poll")]
        private static int Poll(PollEvent* events, uint count, int timeoutMilliseconds, uint* triggered)
        {
            const short PollIn = 0x01, PollOut = 0x04, PollInvalid = 0x20;
            var sockets = new KernelSocket?[count];
            var requested = new short[count];
            var socketEvents = new short[count];
            bool anySocket = false;
            uint ready = 0;
            for (uint i = 0; i < count; i++)
            {
                OpenFile? file = FileDescriptorTable.Get(events[i].FileDescriptor);
                short result = 0;
                if (file is KernelSocket socket)
                {
                    sockets[i] = socket;
                    requested[i] = events[i].Events;
                    anySocket = true;
                }
                else if (file == null)
                {
                    result = PollInvalid;
                }
                else
                {
                    if ((events[i].Events & PollIn) != 0 && file.CanReadWithoutBlocking)
                    {
                        result |= PollIn;
                    }

                    if ((events[i].Events & PollOut) != 0)
                    {
                        result |= PollOut;
                    }
                }

                events[i].TriggeredEvents = result;
                if (result != 0)
                {
                    ready++;
                }
            }

            if (anySocket && SocketCalls.Current != null)
            {
                SocketCalls.Current.Poll(sockets, requested, socketEvents, ready > 0 ? 0 : timeoutMilliseconds);
                for (uint i = 0; i < count; i++)
                {
                    if (sockets[i] != null)
                    {
                        events[i].TriggeredEvents = socketEvents[i];
                        if (socketEvents[i] != 0)
                        {
                            ready++;
                        }
                    }
                }
            }

            *triggered = ready;
            return 0;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct PollEvent
        {
            public int FileDescriptor;
            public short Events;
            public short TriggeredEvents;
        }

        /// <summary>Interop.Sys.IOVector.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct IOVector
        {
            public byte* Base;
            public nuint Count;
        }
    }
}
