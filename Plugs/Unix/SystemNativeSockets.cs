using System;
using System.Buffers;
using System.Runtime.InteropServices;
using Cosmos.Core.Pal;
using Cosmos.System.IO;
using Cosmos.System.Network;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// libSystem.Native's socket calls over the kernel's <see cref="SocketCalls"/>: Socket, TcpListener, TcpClient,
    /// UdpClient and NetworkStream run unmodified on top. Socket descriptors live in the <see cref="FileDescriptorTable"/>
    /// (SystemNative_Close ends them). Unlike the descriptor calls these return the PAL error itself (Interop.Error),
    /// not -1 with errno, as pal_networking.c does.
    /// </summary>
    internal static unsafe class SystemNativeSockets
    {
        // System.Net.Sockets.SocketFlags values the PAL passes.
        private const int MsgOob = 0x1, MsgPeek = 0x2, MsgDontRoute = 0x4, MsgTrunc = 0x100, MsgDontWait = 0x1000;

        internal static SocketCalls Calls => SocketCalls.Current ?? throw new InvalidOperationException("the kernel has not started its socket calls");

        internal static int Error(int result) => result < 0 ? -result : 0;

        /// <summary>The socket behind <paramref name="fd"/>: EBADF for no descriptor, ENOTSOCK for a file.</summary>
        internal static int Lookup(nint fd, out KernelSocket? socket)
        {
            OpenFile? file = FileDescriptorTable.Get(fd);
            socket = file as KernelSocket;
            return file == null ? -Errno.EBADF : socket == null ? -Errno.ENOTSOCK : 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Socket")]
        private static int Socket(int addressFamily, int socketType, int protocolType, nint* createdSocket)
        {
            *createdSocket = -1;
            int result = Calls.Create(addressFamily, socketType, protocolType, out KernelSocket? socket);
            if (result < 0)
            {
                return Error(result);
            }

            int fd = FileDescriptorTable.Add(socket!);
            if (fd < 0)
            {
                socket!.Release();
                return Error(fd);
            }

            *createdSocket = fd;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Bind")]
        private static int Bind(nint fd, int protocolType, byte* address, int addressLength)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = SocketAddressLayout.Read(address, addressLength, out Ipv4EndPoint local);
                if (result == 0)
                {
                    result = socket!.Bind(local);
                }
            }

            return Error(result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Listen")]
        private static int Listen(nint fd, int backlog)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            return Error(result == 0 ? socket!.Listen(backlog) : result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Accept")]
        private static int Accept(nint fd, byte* address, int* addressLength, nint* acceptedSocket)
        {
            *acceptedSocket = -1;
            int result = Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return Error(result);
            }

            result = socket!.Accept(out KernelSocket? accepted, out Ipv4EndPoint peer);
            if (result < 0)
            {
                return Error(result);
            }

            int newFd = FileDescriptorTable.Add(accepted!);
            if (newFd < 0)
            {
                accepted!.Release();
                return Error(newFd);
            }

            if (address != null && addressLength != null)
            {
                SocketAddressLayout.Write(peer, address, addressLength);
            }

            *acceptedSocket = newFd;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Connect")]
        private static int Connect(nint fd, byte* address, int addressLength)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = SocketAddressLayout.Read(address, addressLength, out Ipv4EndPoint remote);
                if (result == 0)
                {
                    result = socket!.Connect(remote);
                }
            }

            return Error(result);
        }

        /// <summary>connectx with TCP Fast Open is macOS's: not supported here, and the class library falls back to connect.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Connectx")]
        private static int Connectx(nint fd, byte* address, int addressLength, byte* data, int dataLength, int fastOpen, int* sent)
        {
            *sent = 0;
            return Errno.ENOTSUP;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Disconnect")]
        private static int Disconnect(nint fd)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            return Error(result == 0 ? socket!.Disconnect() : result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Shutdown")]
        private static int Shutdown(nint fd, int how)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            return Error(result == 0 ? socket!.Shutdown(how) : result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Send")]
        private static int Send(nint fd, byte* buffer, int length, int flags, int* sent)
        {
            *sent = 0;
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = CheckFlags(flags, MsgDontRoute | MsgDontWait);
            }

            if (result == 0 && (length < 0 || (buffer == null && length > 0)))
            {
                result = -Errno.EFAULT;
            }

            if (result == 0)
            {
                result = socket!.Send(new ReadOnlySpan<byte>(buffer, length), null, (flags & MsgDontWait) != 0);
            }

            if (result < 0)
            {
                return Error(result);
            }

            *sent = result;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_Receive")]
        private static int Receive(nint fd, byte* buffer, int length, int flags, int* received)
        {
            *received = 0;
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = CheckFlags(flags, MsgPeek | MsgDontWait);
            }

            if (result == 0 && (length < 0 || (buffer == null && length > 0)))
            {
                result = -Errno.EFAULT;
            }

            if (result == 0)
            {
                result = socket!.Receive(new Span<byte>(buffer, length), (flags & MsgPeek) != 0, (flags & MsgDontWait) != 0, out _, out _);
            }

            if (result < 0)
            {
                return Error(result);
            }

            *received = result;
            return 0;
        }

        /// <summary>sendmsg: the vectors gathered into one datagram or stream write (a datagram must leave whole).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SendMessage")]
        private static int SendMessage(nint fd, MessageHeader* header, int flags, long* sent)
        {
            *sent = 0;
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = CheckFlags(flags, MsgDontRoute | MsgDontWait);
            }

            if (result == 0 && header == null)
            {
                result = -Errno.EFAULT;
            }

            Ipv4EndPoint? destination = null;
            if (result == 0 && header->SocketAddress != null && header->SocketAddressLen > 0)
            {
                result = SocketAddressLayout.Read(header->SocketAddress, header->SocketAddressLen, out Ipv4EndPoint target);
                destination = target;
            }

            if (result < 0)
            {
                return Error(result);
            }

            long total = TotalLength(header);
            if (total < 0)
            {
                return Errno.EFAULT;
            }

            if (total > int.MaxValue)
            {
                return Errno.EMSGSIZE;
            }

            byte[] gathered = ArrayPool<byte>.Shared.Rent((int)total);
            try
            {
                int offset = 0;
                for (int i = 0; i < header->IOVectorCount; i++)
                {
                    var vector = new ReadOnlySpan<byte>(header->IOVectors[i].Base, (int)header->IOVectors[i].Count);
                    vector.CopyTo(gathered.AsSpan(offset));
                    offset += vector.Length;
                }

                result = socket!.Send(gathered.AsSpan(0, offset), destination, (flags & MsgDontWait) != 0);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(gathered);
            }

            if (result < 0)
            {
                return Error(result);
            }

            *sent = result;
            return 0;
        }

        /// <summary>recvmsg: one receive scattered over the vectors; the source address and MSG_TRUNC reported; no control data.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ReceiveMessage")]
        private static int ReceiveMessage(nint fd, MessageHeader* header, int flags, long* received)
        {
            *received = 0;
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = CheckFlags(flags, MsgPeek | MsgDontWait);
            }

            if (result < 0)
            {
                return Error(result);
            }

            long total = TotalLength(header);
            if (total < 0)
            {
                return Errno.EFAULT;
            }

            byte[] scattered = ArrayPool<byte>.Shared.Rent((int)Math.Min(total, int.MaxValue));
            Ipv4EndPoint source;
            bool truncated;
            try
            {
                result = socket!.Receive(scattered.AsSpan(0, (int)Math.Min(total, int.MaxValue)), (flags & MsgPeek) != 0, (flags & MsgDontWait) != 0,
                    out source, out truncated);
                int offset = 0;
                for (int i = 0; i < header->IOVectorCount && offset < result; i++)
                {
                    int length = Math.Min((int)header->IOVectors[i].Count, result - offset);
                    scattered.AsSpan(offset, length).CopyTo(new Span<byte>(header->IOVectors[i].Base, length));
                    offset += length;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scattered);
            }

            if (result < 0)
            {
                return Error(result);
            }

            header->Flags = truncated ? MsgTrunc : 0;
            header->ControlBufferLen = 0;
            if (header->SocketAddress != null && header->SocketAddressLen > 0)
            {
                int length = header->SocketAddressLen;
                if (SocketAddressLayout.Write(source, header->SocketAddress, &length) == 0)
                {
                    header->SocketAddressLen = length;
                }
            }

            *received = result;
            return 0;
        }

        /// <summary>Error-queue messages (ICMP errors for Ping) are not kept: nothing to read.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_ReceiveSocketError")]
        private static int ReceiveSocketError(nint fd, MessageHeader* header) => Errno.EWOULDBLOCK;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetSockName")]
        private static int GetSockName(nint fd, byte* address, int* addressLength)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = socket!.GetLocalEndPoint(out Ipv4EndPoint local);
                if (result == 0)
                {
                    result = SocketAddressLayout.Write(local, address, addressLength);
                }
            }

            return Error(result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetPeerName")]
        private static int GetPeerName(nint fd, byte* address, int* addressLength)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                result = socket!.GetRemoteEndPoint(out Ipv4EndPoint remote);
                if (result == 0)
                {
                    result = SocketAddressLayout.Write(remote, address, addressLength);
                }
            }

            return Error(result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetSocketType")]
        private static int GetSocketType(nint fd, int* addressFamily, int* socketType, int* protocolType, int* isListening)
        {
            int result = Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return Error(result);
            }

            *addressFamily = SocketAddressLayout.FamilyInet;
            *socketType = socket!.SocketType;
            *protocolType = socket.Protocol;
            *isListening = socket.IsListening ? 1 : 0;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetBytesAvailable")]
        private static int GetBytesAvailable(nint fd, int* available)
        {
            *available = 0;
            int result = Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return Error(result);
            }

            lock (socket!.SyncRoot)
            {
                *available = socket.BytesAvailable;
            }

            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetAtOutOfBandMark")]
        private static int GetAtOutOfBandMark(nint fd, int* atMark)
        {
            *atMark = 0;
            return Error(Lookup(fd, out _));
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_PlatformSupportsDualModeIPv4PacketInfo")]
        private static int PlatformSupportsDualModeIPv4PacketInfo() => 0;

        private static int CheckFlags(int flags, int supported) =>
            (flags & MsgOob) != 0 || (flags & ~supported) != 0 ? -Errno.ENOTSUP : 0;

        /// <summary>The bytes the header's vectors describe, or -1 when the header is malformed (EFAULT for the caller).</summary>
        private static long TotalLength(MessageHeader* header)
        {
            if (header == null || header->IOVectorCount < 0 || (header->IOVectors == null && header->IOVectorCount > 0))
            {
                return -1;
            }

            long total = 0;
            for (int i = 0; i < header->IOVectorCount; i++)
            {
                nuint count = header->IOVectors[i].Count;
                if (count > int.MaxValue || (header->IOVectors[i].Base == null && count > 0))
                {
                    return -1;
                }

                total += (long)count;
            }

            return total;
        }

        /// <summary>Interop.Sys.MessageHeader.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct MessageHeader
        {
            public byte* SocketAddress;
            public SystemNativeIO.IOVector* IOVectors;
            public byte* ControlBuffer;
            public int SocketAddressLen;
            public int IOVectorCount;
            public int ControlBufferLen;
            public int Flags;
        }
    }
}
