using System;
using System.Runtime.InteropServices;
using Cosmos.Core.Pal;
using Cosmos.System.Network;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// The epoll-like event port under the class library's SocketAsyncEngine (the ".NET Sockets" thread), over
    /// <see cref="SocketEventPort"/>: a port is a GC handle to one, registrations name socket descriptors.
    /// </summary>
    internal static unsafe class SystemNativeSocketEvents
    {
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CreateSocketEventPort")]
        private static int CreateSocketEventPort(nint* port)
        {
            *port = GCHandle.ToIntPtr(GCHandle.Alloc(new SocketEventPort()));
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CloseSocketEventPort")]
        private static int CloseSocketEventPort(nint port)
        {
            if (!TryGetPort(port, out SocketEventPort? eventPort))
            {
                return Errno.EBADF;
            }

            eventPort!.Close();
            GCHandle.FromIntPtr(port).Free();
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CreateSocketEventBuffer")]
        private static int CreateSocketEventBuffer(int count, SocketEvent** buffer)
        {
            if (count <= 0)
            {
                return Errno.EINVAL;
            }

            // Alloc, not AllocZeroed: the kernel's PAL has malloc but no calloc.
            *buffer = (SocketEvent*)NativeMemory.Alloc((nuint)count * (nuint)sizeof(SocketEvent));
            if (*buffer == null)
            {
                return Errno.ENOMEM;
            }

            new Span<byte>(*buffer, count * sizeof(SocketEvent)).Clear();
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FreeSocketEventBuffer")]
        private static int FreeSocketEventBuffer(SocketEvent* buffer)
        {
            NativeMemory.Free(buffer);
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_TryChangeSocketEventRegistration")]
        private static int TryChangeSocketEventRegistration(nint port, nint fd, int currentEvents, int newEvents, nuint data)
        {
            if (!TryGetPort(port, out SocketEventPort? eventPort))
            {
                return Errno.EBADF;
            }

            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = SystemNativeSockets.Calls.ChangeRegistration(eventPort!, socket!, (SocketEvents)newEvents, data);
            }

            return SystemNativeSockets.Error(result);
        }

        /// <summary>Blocks the engine's thread until events come; <c>*count</c> is the buffer's room on entry and the events on return.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_WaitForSocketEvents")]
        private static int WaitForSocketEvents(nint port, SocketEvent* buffer, int* count)
        {
            if (!TryGetPort(port, out SocketEventPort? eventPort) || buffer == null || *count <= 0)
            {
                return Errno.EINVAL;
            }

            int room = Math.Min(*count, 64);
            Span<SocketEventRecord> records = stackalloc SocketEventRecord[room];
            int taken = eventPort!.Wait(records);

            for (int i = 0; i < taken; i++)
            {
                buffer[i] = new SocketEvent { Data = records[i].Data, Events = (int)records[i].Events };
            }

            *count = taken;
            return taken == 0 ? Errno.EBADF : 0;
        }

        private static bool TryGetPort(nint port, out SocketEventPort? eventPort)
        {
            eventPort = port == 0 ? null : GCHandle.FromIntPtr(port).Target as SocketEventPort;
            return eventPort != null;
        }

        /// <summary>Interop.Sys.SocketEvent.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SocketEvent
        {
            public nuint Data;
            public int Events;
            public uint Padding;
        }
    }
}
