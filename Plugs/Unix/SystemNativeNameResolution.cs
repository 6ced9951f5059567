using System;
using System.Runtime.InteropServices;
using System.Text;
using Cosmos.Core.Pal;
using Cosmos.System.Network;

namespace Cosmos.Plugs.Unix
{
    /// <summary>
    /// System.Net.Dns's seam: getaddrinfo and getnameinfo as libSystem.Native wraps them, over
    /// <see cref="SocketCalls.Resolve"/> (literals, localhost, the host's own name, then the DNS client). Results are
    /// GetAddrInfoErrorFlags values: a name that does not exist, or that cannot be asked about because DHCP gave no DNS
    /// server, is EAI_NONAME (SocketError.HostNotFound); a server that failed or did not answer is EAI_AGAIN (TryAgain).
    /// </summary>
    internal static unsafe class SystemNativeNameResolution
    {
        private const int EaiSuccess = 0, EaiAgain = 1, EaiFail = 3, EaiFamily = 4, EaiNoName = 5, EaiBadArg = 6, EaiMemory = 8;
        private const int FamilyUnspecified = 0;
        private const int NameRequired = 0x1;
        private const long TimeoutMilliseconds = 10_000;

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetHostEntryForName")]
        private static int GetHostEntryForName(byte* address, int addressFamily, HostEntry* entry)
        {
            if (address == null || entry == null)
            {
                return EaiBadArg;
            }

            *entry = default;
            if (addressFamily is not (FamilyUnspecified or SocketAddressLayout.FamilyInet or SocketAddressLayout.FamilyInet6))
            {
                return EaiFamily;
            }

            string name = Marshal.PtrToStringUTF8((nint)address) ?? "";
            DnsLookupStatus status = SystemNativeSockets.Calls.Resolve(name, TimeoutMilliseconds, out Ipv4Address[] addresses);
            if (status != DnsLookupStatus.Succeeded)
            {
                return status is DnsLookupStatus.ServerFailure or DnsLookupStatus.TimedOut ? EaiAgain : EaiNoName;
            }

            // The kernel has no IPv6: an IPv6-only question has no answer.
            if (addressFamily == SocketAddressLayout.FamilyInet6 || addresses.Length == 0)
            {
                return EaiNoName;
            }

            entry->CanonicalName = CopyString(name);
            entry->IPAddressList = (IPAddress*)NativeMemory.Alloc((nuint)addresses.Length * (nuint)sizeof(IPAddress));
            if (entry->CanonicalName == null || entry->IPAddressList == null)
            {
                Free(entry);
                return EaiMemory;
            }

            new Span<byte>(entry->IPAddressList, addresses.Length * sizeof(IPAddress)).Clear();
            for (int i = 0; i < addresses.Length; i++)
            {
                addresses[i].Write(new Span<byte>(entry->IPAddressList[i].Address, 4));
            }

            entry->IPAddressCount = addresses.Length;
            return EaiSuccess;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_FreeHostEntry")]
        private static void FreeHostEntry(HostEntry* entry) => Free(entry);

        /// <summary>Reverse lookups are not asked of DNS: the numeric host is given unless a name is required (then EAI_NONAME).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetNameInfo")]
        private static int GetNameInfo(byte* address, int addressLength, sbyte isIPv6, byte* host, int hostLength, byte* service, int serviceLength, int flags)
        {
            if (address == null || (host == null && service == null))
            {
                return EaiBadArg;
            }

            if (isIPv6 != 0 || addressLength != 4)
            {
                return EaiFamily;
            }

            var ip = Ipv4Address.Read(new ReadOnlySpan<byte>(address, 4));
            string? name = ip.IsLoopback ? "localhost" : null;
            if (name == null)
            {
                lock (SystemNativeSockets.Calls.Network.SyncRoot)
                {
                    if (SystemNativeSockets.Calls.FindInterfaceAddress(ip))
                    {
                        name = SocketCalls.HostName;
                    }
                }
            }

            if (name == null && (flags & NameRequired) != 0)
            {
                return EaiNoName;
            }

            if (host != null && !CopyTo(name ?? ip.ToString(), host, hostLength))
            {
                return EaiFail;
            }

            if (service != null && serviceLength > 0)
            {
                *service = 0;
            }

            return EaiSuccess;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetHostName")]
        private static int GetHostName(byte* name, int nameLength)
        {
            if (!CopyTo(SocketCalls.HostName, name, nameLength))
            {
                Errno.Value = Errno.ENAMETOOLONG;
                return -1;
            }

            return 0;
        }

        [UnmanagedCallersOnly(EntryPoint = "SystemNative_GetDomainName")]
        private static int GetDomainName(byte* name, int nameLength)
        {
            if (nameLength < 1)
            {
                Errno.Value = Errno.ENAMETOOLONG;
                return -1;
            }

            *name = 0;
            return 0;
        }

        /// <summary>Interface indexes: only "lo" (1) and the network devices' names in order (eth0 = 2, ...).</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_InterfaceNameToIndex")]
        private static uint InterfaceNameToIndex(byte* interfaceName)
        {
            string name = Marshal.PtrToStringUTF8((nint)interfaceName) ?? "";
            if (name == "lo")
            {
                return 1;
            }

            lock (SystemNativeSockets.Calls.Network.SyncRoot)
            {
                var interfaces = SystemNativeSockets.Calls.Network.Stack.Interfaces;
                for (int i = 0; i < interfaces.Count; i++)
                {
                    if (interfaces[i].Name == name)
                    {
                        return (uint)(i + 2);
                    }
                }
            }

            return 0;
        }

        private static bool CopyTo(string text, byte* destination, int length)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            if (destination == null || bytes.Length + 1 > length)
            {
                return false;
            }

            bytes.CopyTo(new Span<byte>(destination, bytes.Length));
            destination[bytes.Length] = 0;
            return true;
        }

        private static byte* CopyString(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            byte* copy = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            if (copy != null)
            {
                bytes.CopyTo(new Span<byte>(copy, bytes.Length));
                copy[bytes.Length] = 0;
            }

            return copy;
        }

        private static void Free(HostEntry* entry)
        {
            if (entry == null)
            {
                return;
            }

            NativeMemory.Free(entry->CanonicalName);
            NativeMemory.Free(entry->IPAddressList);
            *entry = default;
        }

        /// <summary>Interop.Sys.IPAddress.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct IPAddress
        {
            public fixed byte Address[16];
            public uint IsIPv6;
            public uint ScopeId;
        }

        /// <summary>Interop.Sys.HostEntry.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct HostEntry
        {
            public byte* CanonicalName;
            public byte** Aliases;
            public IPAddress* IPAddressList;
            public int IPAddressCount;
        }
    }
}
