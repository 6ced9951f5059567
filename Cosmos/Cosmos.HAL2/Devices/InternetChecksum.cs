using System;
using System.Buffers.Binary;

namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
    /// Here because both sides of the network use it: the IP stack, and NICs that complete a checksum the
    /// device left partial (virtio-net NEEDS_CSUM).
    /// </summary>
    public static class InternetChecksum
    {
        /// <summary>Adds <paramref name="data"/> to a running 32-bit sum (an odd last byte is padded with zero).</summary>
        public static uint Add(uint sum, ReadOnlySpan<byte> data)
        {
            ulong wide = sum;
            int i = 0;
            // Eight bytes at a time; the carries are folded at the end (RFC 1071 §2 (B) and (C)).
            for (; i + 8 <= data.Length; i += 8)
            {
                ulong chunk = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(i));
                wide += (chunk >> 48) + ((chunk >> 32) & 0xFFFF) + ((chunk >> 16) & 0xFFFF) + (chunk & 0xFFFF);
            }

            for (; i + 2 <= data.Length; i += 2)
            {
                wide += BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
            }

            if (i < data.Length)
            {
                wide += (ulong)data[i] << 8;
            }

            while ((wide >> 32) != 0)
            {
                wide = (wide & 0xFFFFFFFF) + (wide >> 32);
            }

            return (uint)wide;
        }

        /// <summary>Folds a running sum to 16 bits and complements it: the value to put in a checksum field.</summary>
        public static ushort Finish(uint sum)
        {
            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }

            return (ushort)~sum;
        }

        /// <summary>The checksum of <paramref name="data"/> alone; 0 when verifying data that contains its own correct checksum.</summary>
        public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));
    }
}
