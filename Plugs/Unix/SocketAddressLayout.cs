using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Cosmos.Core.Pal;
using Cosmos.System.Network;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// The kernel's sockaddr: Linux's layout (sockaddr_in 16 bytes, sockaddr_in6 28, sockaddr_un 110, storage 128)
    /// with the family field holding System.Net.Sockets.AddressFamily's value directly (2 InterNetwork, 23
    /// InterNetworkV6, 1 Unix), so no conversion table is needed. The class library never looks inside: it asks these
    /// functions (SystemNative_Get/SetAddressFamily, Port, IPv4Address, ...) for every field.
    /// </summary>
    internal static unsafe class SocketAddressLayout
    {
        public const int IPv4Size = 16, IPv6Size = 28, UnixPathOffset = 2, UnixPathSize = 108, UnixSize = 110, MaximumSize = 128;
        public const int FamilyUnix = 1, FamilyInet = 2, FamilyInet6 = 23;

        /// <summary>Reads an AF_INET endpoint; EFAULT when too short, EAFNOSUPPORT for another family.</summary>
        public static int Read(byte* address, int length, out Ipv4EndPoint endPoint)
        {
            endPoint = default;
            if (address == null || length < 2)
            {
                return -Errno.EFAULT;
            }

            if (*(ushort*)address != FamilyInet)
            {
                return -Errno.EAFNOSUPPORT;
            }

            if (length < IPv4Size)
            {
                return -Errno.EINVAL;
            }

            var span = new ReadOnlySpan<byte>(address, IPv4Size);
            endPoint = new Ipv4EndPoint(Ipv4Address.Read(span.Slice(4)), BinaryPrimitives.ReadUInt16BigEndian(span.Slice(2)));
            return 0;
        }

        /// <summary>Writes <paramref name="endPoint"/> as sockaddr_in into a buffer of <c>*length</c> bytes, setting <c>*length</c>; EFAULT when it does not fit.</summary>
        public static int Write(Ipv4EndPoint endPoint, byte* address, int* length)
        {
            if (address == null || length == null || *length < IPv4Size)
            {
                return -Errno.EFAULT;
            }

            var span = new Span<byte>(address, IPv4Size);
            span.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(span, FamilyInet);
            BinaryPrimitives.WriteUInt16BigEndian(span.Slice(2), endPoint.Port);
            endPoint.Address.Write(span.Slice(4));
            *length = IPv4Size;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetSocketAddressSizes")]
        private static int GetSocketAddressSizes(int* ipv4, int* ipv6, int* unix, int* maximum)
        {
            *ipv4 = IPv4Size;
            *ipv6 = IPv6Size;
            *unix = UnixSize;
            *maximum = MaximumSize;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetMaximumAddressSize")]
        private static int GetMaximumAddressSize() => MaximumSize;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetDomainSocketSizes")]
        private static void GetDomainSocketSizes(int* pathOffset, int* pathSize, int* addressSize)
        {
            *pathOffset = UnixPathOffset;
            *pathSize = UnixPathSize;
            *addressSize = UnixSize;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetAddressFamily")]
        private static int GetAddressFamily(byte* address, int length, int* family)
        {
            if (address == null || length < 2 || family == null)
            {
                return Errno.EFAULT;
            }

            *family = *(ushort*)address;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetAddressFamily")]
        private static int SetAddressFamily(byte* address, int length, int family)
        {
            if (address == null || length < 2)
            {
                return Errno.EFAULT;
            }

            if (family is not (FamilyInet or FamilyInet6 or FamilyUnix or 0))
            {
                return Errno.EAFNOSUPPORT;
            }

            *(ushort*)address = (ushort)family;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetPort")]
        private static int GetPort(byte* address, int length, ushort* port)
        {
            int check = CheckInet(address, length);
            if (check != 0)
            {
                return check;
            }

            *port = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(address + 2, 2));
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetPort")]
        private static int SetPort(byte* address, int length, ushort port)
        {
            int check = CheckInet(address, length);
            if (check != 0)
            {
                return check;
            }

            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(address + 2, 2), port);
            return 0;
        }

        /// <summary>The address in network byte order, as s_addr holds it.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetIPv4Address")]
        private static int GetIPv4Address(byte* address, int length, uint* value)
        {
            if (address == null || length < IPv4Size || *(ushort*)address != FamilyInet)
            {
                return Errno.EFAULT;
            }

            *value = *(uint*)(address + 4);
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetIPv4Address")]
        private static int SetIPv4Address(byte* address, int length, uint value)
        {
            if (address == null || length < IPv4Size)
            {
                return Errno.EFAULT;
            }

            *(ushort*)address = FamilyInet;
            *(uint*)(address + 4) = value;
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetIPv6Address")]
        private static int GetIPv6Address(byte* address, int length, byte* value, int valueLength, uint* scopeId)
        {
            if (address == null || length < IPv6Size || *(ushort*)address != FamilyInet6 || valueLength < 16)
            {
                return Errno.EFAULT;
            }

            new ReadOnlySpan<byte>(address + 8, 16).CopyTo(new Span<byte>(value, 16));
            *scopeId = *(uint*)(address + 24);
            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_SetIPv6Address")]
        private static int SetIPv6Address(byte* address, int length, byte* value, int valueLength, uint scopeId)
        {
            if (address == null || length < IPv6Size || valueLength < 16)
            {
                return Errno.EFAULT;
            }

            *(ushort*)address = FamilyInet6;
            new ReadOnlySpan<byte>(value, 16).CopyTo(new Span<byte>(address + 8, 16));
            *(uint*)(address + 24) = scopeId;
            return 0;
        }

        private static int CheckInet(byte* address, int length)
        {
            if (address == null || length < 2)
            {
                return Errno.EFAULT;
            }

            ushort family = *(ushort*)address;
            if (family == FamilyInet)
            {
                return length < IPv4Size ? Errno.EFAULT : 0;
            }

            if (family == FamilyInet6)
            {
                return length < IPv6Size ? Errno.EFAULT : 0;
            }

            return Errno.EAFNOSUPPORT;
        }
    }
}
