using System.Runtime.InteropServices;
using Cosmos.Core.Pal;
using Cosmos.System.Network;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// Socket options (getsockopt/setsockopt with System.Net.Sockets' level and name values), linger, timeouts, SO_ERROR,
    /// and fcntl's O_NONBLOCK and FD_CLOEXEC on descriptors. An option the kernel has no use for is refused with
    /// ENOPROTOOPT, as Linux does for an unknown one; the class library turns that into SocketError.ProtocolOption.
    /// </summary>
    internal static unsafe class SystemNativeSocketOptions
    {
        private const int LevelSocket = 0xFFFF, LevelIP = 0, LevelTcp = 6, LevelUdp = 17;
        private const int ReuseAddress = 0x4, KeepAlive = 0x8, Broadcast = 0x20, Linger = 0x80, SendBuffer = 0x1001, ReceiveBuffer = 0x1002,
            SendTimeout = 0x1005, ReceiveTimeout = 0x1006, Error = 0x1007, Type = 0x1008, AcceptConnection = 0x2, ExclusiveAddressUse = ~ReuseAddress;
        private const int IPTimeToLive = 4, IPTypeOfService = 3, IPDontFragment = 14, IPMulticastTimeToLive = 10, IPMulticastLoopback = 11;
        private const int TcpNoDelay = 1, TcpKeepAliveTime = 3, TcpKeepAliveRetryCount = 16, TcpKeepAliveInterval = 17;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetSockOpt")]
        private static int GetSockOpt(nint fd, int level, int name, byte* value, int* length)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return SystemNativeSockets.Error(result);
            }

            if (value == null || length == null || *length < sizeof(int))
            {
                return Errno.EFAULT;
            }

            int option;
            lock (socket!.SyncRoot)
            {
                switch ((level, name))
                {
                    case (LevelSocket, ReuseAddress): option = socket.ReuseAddress ? 1 : 0; break;
                    case (LevelSocket, ExclusiveAddressUse): option = socket.ReuseAddress ? 0 : 1; break;
                    case (LevelSocket, KeepAlive): option = socket.KeepAlive ? 1 : 0; break;
                    case (LevelSocket, Broadcast): option = socket.Broadcast ? 1 : 0; break;
                    case (LevelSocket, SendBuffer): option = socket.SendBufferSize; break;
                    case (LevelSocket, ReceiveBuffer): option = socket.ReceiveBufferSize; break;
                    case (LevelSocket, SendTimeout): option = socket.SendTimeout; break;
                    case (LevelSocket, ReceiveTimeout): option = socket.ReceiveTimeout; break;
                    case (LevelSocket, Type): option = socket.SocketType; break;
                    case (LevelSocket, AcceptConnection): option = socket.IsListening ? 1 : 0; break;
                    case (LevelSocket, Error): option = -socket.TakeError(); break;
                    case (LevelTcp, TcpNoDelay) when socket.SocketType == 1: option = socket.NoDelay ? 1 : 0; break;
                    case (LevelIP, IPTimeToLive): option = 64; break;
                    case (LevelIP, IPTypeOfService): option = 0; break;
                    case (LevelIP, IPDontFragment): option = 0; break;
                    default: return Errno.ENOPROTOOPT;
                }
            }

            *(int*)value = option;
            *length = sizeof(int);
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetSockOpt")]
        private static int SetSockOpt(nint fd, int level, int name, byte* value, int length)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return SystemNativeSockets.Error(result);
            }

            if (value == null || length < sizeof(int))
            {
                return Errno.EFAULT;
            }

            int option = *(int*)value;
            switch ((level, name))
            {
                case (LevelSocket, ReuseAddress): socket!.ReuseAddress = option != 0; break;
                case (LevelSocket, ExclusiveAddressUse): socket!.ReuseAddress = option == 0; break;
                case (LevelSocket, KeepAlive): socket!.KeepAlive = option != 0; break;
                case (LevelSocket, Broadcast): socket!.Broadcast = option != 0; break;
                case (LevelSocket, SendBuffer): socket!.SendBufferSize = option; break;
                case (LevelSocket, ReceiveBuffer): socket!.ReceiveBufferSize = option; break;
                case (LevelTcp, TcpNoDelay) when socket!.SocketType == 1: socket.NoDelay = option != 0; break;
                case (LevelTcp, TcpKeepAliveTime or TcpKeepAliveInterval or TcpKeepAliveRetryCount) when socket!.SocketType == 1: break;
                case (LevelIP, IPTimeToLive or IPTypeOfService or IPDontFragment or IPMulticastTimeToLive or IPMulticastLoopback): break;
                case (LevelUdp, _): return Errno.ENOPROTOOPT;
                default: return Errno.ENOPROTOOPT;
            }

            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetSocketErrorOption")]
        private static int GetSocketErrorOption(nint fd, int* error)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return SystemNativeSockets.Error(result);
            }

            *error = -socket!.TakeError();
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetLingerOption")]
        private static int GetLingerOption(nint fd, LingerOption* option)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return SystemNativeSockets.Error(result);
            }

            option->OnOff = socket!.LingerEnabled ? 1 : 0;
            option->Seconds = socket.LingerSeconds;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetLingerOption")]
        private static int SetLingerOption(nint fd, LingerOption* option)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result < 0)
            {
                return SystemNativeSockets.Error(result);
            }

            if (option == null || option->Seconds < 0)
            {
                return Errno.EINVAL;
            }

            socket!.LingerEnabled = option->OnOff != 0;
            socket.LingerSeconds = option->Seconds;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetReceiveTimeout")]
        private static int SetReceiveTimeout(nint fd, int milliseconds)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                socket!.ReceiveTimeout = milliseconds < 0 ? 0 : milliseconds;
            }

            return SystemNativeSockets.Error(result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetSendTimeout")]
        private static int SetSendTimeout(nint fd, int milliseconds)
        {
            int result = SystemNativeSockets.Lookup(fd, out KernelSocket? socket);
            if (result == 0)
            {
                socket!.SendTimeout = milliseconds < 0 ? 0 : milliseconds;
            }

            return SystemNativeSockets.Error(result);
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetIPv4MulticastOption")]
        private static int GetIPv4MulticastOption(nint fd, int option, byte* value) => Errno.ENOPROTOOPT;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetIPv4MulticastOption")]
        private static int SetIPv4MulticastOption(nint fd, int option, byte* value) => Errno.ENOPROTOOPT;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetIPv6MulticastOption")]
        private static int GetIPv6MulticastOption(nint fd, int option, byte* value) => Errno.ENOPROTOOPT;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetIPv6MulticastOption")]
        private static int SetIPv6MulticastOption(nint fd, int option, byte* value) => Errno.ENOPROTOOPT;

        /// <summary>fcntl(F_SETFL, O_NONBLOCK): sockets honour it; other descriptors accept it (their calls never block for long).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FcntlSetIsNonBlocking")]
        private static int FcntlSetIsNonBlocking(nint fd, int isNonBlocking)
        {
            Cosmos.System.IO.OpenFile? file = Cosmos.System.IO.FileDescriptorTable.Get(fd);
            if (file == null)
            {
                Errno.Value = Errno.EBADF;
                return -1;
            }

            if (file is KernelSocket socket)
            {
                socket.NonBlocking = isNonBlocking != 0;
            }

            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FcntlGetIsNonBlocking")]
        private static int FcntlGetIsNonBlocking(nint fd, int* isNonBlocking)
        {
            Cosmos.System.IO.OpenFile? file = Cosmos.System.IO.FileDescriptorTable.Get(fd);
            if (file == null)
            {
                Errno.Value = Errno.EBADF;
                return -1;
            }

            *isNonBlocking = file is KernelSocket { NonBlocking: true } ? 1 : 0;
            return 0;
        }

        /// <summary>F_GETFD: FD_CLOEXEC is always set (there is no exec).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FcntlGetFD")]
        private static int FcntlGetFD(nint fd)
        {
            if (Cosmos.System.IO.FileDescriptorTable.Get(fd) == null)
            {
                Errno.Value = Errno.EBADF;
                return -1;
            }

            return 1;
        }

        /// <summary>Interop.Sys.LingerOption.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct LingerOption
        {
            public int OnOff;
            public int Seconds;
        }
    }
}
