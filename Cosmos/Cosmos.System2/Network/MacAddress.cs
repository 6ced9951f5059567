using System;

namespace Cosmos.System.Network
{
    /// <summary>A 48-bit Ethernet address held in the low bits of one 64-bit value (first byte highest).</summary>
    public readonly struct MacAddress : IEquatable<MacAddress>
    {
        private const ulong Mask48 = 0xFFFF_FFFF_FFFFUL;

        /// <summary>Creates the address from its 48-bit value.</summary>
        public MacAddress(ulong value)
        {
            Value = value & Mask48;
        }

        /// <summary>ff:ff:ff:ff:ff:ff.</summary>
        public static MacAddress Broadcast => new MacAddress(Mask48);

        /// <summary>00:00:00:00:00:00 (the unknown target of an ARP request).</summary>
        public static MacAddress Zero => default;

        /// <summary>The 48-bit value.</summary>
        public ulong Value { get; }

        /// <summary>True for ff:ff:ff:ff:ff:ff.</summary>
        public bool IsBroadcast => Value == Mask48;

        /// <summary>True when the group bit (the low bit of the first byte) is set; broadcast included.</summary>
        public bool IsMulticast => (Value & 0x0100_0000_0000UL) != 0;

        /// <summary>Reads six bytes.</summary>
        public static MacAddress Read(ReadOnlySpan<byte> source)
        {
            ulong value = 0;
            for (int i = 0; i < 6; i++)
            {
                value = (value << 8) | source[i];
            }

            return new MacAddress(value);
        }

        /// <summary>Writes six bytes.</summary>
        public void Write(Span<byte> destination)
        {
            for (int i = 0; i < 6; i++)
            {
                destination[i] = (byte)(Value >> (40 - 8 * i));
            }
        }

        /// <inheritdoc/>
        public bool Equals(MacAddress other) => Value == other.Value;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => Value.GetHashCode();

        /// <summary>Colon-separated lower-case hex ("52:54:00:12:34:56").</summary>
        public override string ToString()
        {
            Span<char> text = stackalloc char[17];
            const string hex = "0123456789abcdef";
            for (int i = 0; i < 6; i++)
            {
                byte b = (byte)(Value >> (40 - 8 * i));
                text[i * 3] = hex[b >> 4];
                text[i * 3 + 1] = hex[b & 0xF];
                if (i < 5)
                {
                    text[i * 3 + 2] = ':';
                }
            }

            return new string(text);
        }

        /// <summary>Equal values.</summary>
        public static bool operator ==(MacAddress left, MacAddress right) => left.Value == right.Value;

        /// <summary>Different values.</summary>
        public static bool operator !=(MacAddress left, MacAddress right) => left.Value != right.Value;
    }
}
