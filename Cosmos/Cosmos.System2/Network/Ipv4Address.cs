using System;
using System.Buffers.Binary;
using System.Net;

namespace Cosmos.System.Network
{
    /// <summary>An IPv4 address held as one 32-bit value (a.b.c.d is a&lt;&lt;24 | b&lt;&lt;16 | c&lt;&lt;8 | d).</summary>
    public readonly struct Ipv4Address : IEquatable<Ipv4Address>
    {
        /// <summary>Creates the address from its 32-bit value.</summary>
        public Ipv4Address(uint value)
        {
            Value = value;
        }

        /// <summary>Creates a.b.c.d.</summary>
        public Ipv4Address(byte a, byte b, byte c, byte d)
        {
            Value = ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;
        }

        /// <summary>0.0.0.0: no address, or any local address when binding.</summary>
        public static Ipv4Address Any => default;

        /// <summary>255.255.255.255, the limited broadcast.</summary>
        public static Ipv4Address Broadcast => new Ipv4Address(0xFFFFFFFF);

        /// <summary>The 32-bit value.</summary>
        public uint Value { get; }

        /// <summary>True for 0.0.0.0.</summary>
        public bool IsAny => Value == 0;

        /// <summary>True for 255.255.255.255.</summary>
        public bool IsBroadcast => Value == 0xFFFFFFFF;

        /// <summary>True for 224.0.0.0/4.</summary>
        public bool IsMulticast => (Value >> 28) == 0xE;

        /// <summary>True for 127.0.0.0/8.</summary>
        public bool IsLoopback => (Value >> 24) == 127;

        /// <summary>The number of leading one bits when this is a subnet mask, or -1 when the ones are not contiguous.</summary>
        public int PrefixLength
        {
            get
            {
                uint inverted = ~Value;
                if ((inverted & (inverted + 1)) != 0)
                {
                    return -1;
                }

                return 32 - global::System.Numerics.BitOperations.PopCount(inverted);
            }
        }

        /// <summary>The mask with <paramref name="prefixLength"/> leading ones (0..32).</summary>
        public static Ipv4Address MaskFromPrefixLength(int prefixLength)
        {
            if ((uint)prefixLength > 32)
            {
                throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "an IPv4 prefix length is 0..32");
            }

            return new Ipv4Address(prefixLength == 0 ? 0u : 0xFFFFFFFFu << (32 - prefixLength));
        }

        /// <summary>Reads the address from four bytes in network order.</summary>
        public static Ipv4Address Read(ReadOnlySpan<byte> source) => new Ipv4Address(BinaryPrimitives.ReadUInt32BigEndian(source));

        /// <summary>Writes the address as four bytes in network order.</summary>
        public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

        /// <summary>True when this address and <paramref name="other"/> share the bits set in <paramref name="mask"/>.</summary>
        public bool IsInSameSubnet(Ipv4Address other, Ipv4Address mask) => ((Value ^ other.Value) & mask.Value) == 0;

        /// <summary>Parses dotted-decimal text ("10.0.2.15"); false for anything else.</summary>
        public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
        {
            address = default;
            uint value = 0;
            int part = 0;
            int digits = 0;
            uint current = 0;
            foreach (char c in text)
            {
                if (c >= '0' && c <= '9')
                {
                    current = current * 10 + (uint)(c - '0');
                    digits++;
                    if (digits > 3 || current > 255)
                    {
                        return false;
                    }
                }
                else if (c == '.' && digits > 0 && part < 3)
                {
                    value = (value << 8) | current;
                    part++;
                    digits = 0;
                    current = 0;
                }
                else
                {
                    return false;
                }
            }

            if (part != 3 || digits == 0)
            {
                return false;
            }

            address = new Ipv4Address((value << 8) | current);
            return true;
        }

        /// <summary>Parses dotted-decimal text; throws <see cref="FormatException"/> for anything else.</summary>
        public static Ipv4Address Parse(string text)
        {
            if (!TryParse(text, out Ipv4Address address))
            {
                throw new FormatException($"'{text}' is not a dotted-decimal IPv4 address");
            }

            return address;
        }

        /// <summary>The same address as a <see cref="IPAddress"/>, for presentation and the socket plugs.</summary>
        public IPAddress ToIPAddress()
        {
            Span<byte> bytes = stackalloc byte[4];
            Write(bytes);
            return new IPAddress(bytes);
        }

        /// <summary>Converts an IPv4 <see cref="IPAddress"/>; throws for other families.</summary>
        public static Ipv4Address FromIPAddress(IPAddress address)
        {
            Span<byte> bytes = stackalloc byte[16];
            if (address.AddressFamily != global::System.Net.Sockets.AddressFamily.InterNetwork
                || !address.TryWriteBytes(bytes, out int written) || written != 4)
            {
                throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
            }

            return Read(bytes);
        }

        /// <inheritdoc/>
        public bool Equals(Ipv4Address other) => Value == other.Value;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Ipv4Address other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => (int)(Value * 2654435761u);

        /// <summary>Dotted-decimal text.</summary>
        public override string ToString() =>
            $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}";

        /// <summary>Equal values.</summary>
        public static bool operator ==(Ipv4Address left, Ipv4Address right) => left.Value == right.Value;

        /// <summary>Different values.</summary>
        public static bool operator !=(Ipv4Address left, Ipv4Address right) => left.Value != right.Value;
    }
}
