using System;
using System.Buffers.Binary;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>
    /// The Internet checksum (RFC 1071) as virtio-net's partial checksums use it (§5.1.6.2): the ones'
    /// complement of the ones' complement sum of the bytes from csum_start to the end of the frame,
    /// stored big-endian at csum_start + csum_offset, where the frame already holds the pseudo-header sum.
    /// </summary>
    internal static class VirtioNetChecksum
    {
        /// <summary>True when a checksum field at <paramref name="start"/> + <paramref name="offset"/> lies inside a frame of <paramref name="length"/> bytes.</summary>
        public static bool FitsInFrame(int start, int offset, int length) =>
            start >= 0 && offset >= 0 && (long)start + offset + 2 <= length;

        /// <summary>Completes a partial checksum in <paramref name="frame"/> (the caller checked <see cref="FitsInFrame"/>).</summary>
        public static void Complete(Span<byte> frame, int start, int offset)
        {
            ushort folded = Fold(Sum(frame[start..]));
            BinaryPrimitives.WriteUInt16BigEndian(frame[(start + offset)..], (ushort)~folded);
        }

        /// <summary>The 32-bit running sum of big-endian 16-bit words (an odd last byte is the high half of a word).</summary>
        public static uint Sum(ReadOnlySpan<byte> data)
        {
            ulong sum = 0;
            int i = 0;
            for (; i + 1 < data.Length; i += 2)
            {
                sum += (uint)((data[i] << 8) | data[i + 1]);
            }

            if (i < data.Length)
            {
                sum += (uint)(data[i] << 8);
            }

            while ((sum >> 32) != 0)
            {
                sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
            }

            return (uint)sum;
        }

        /// <summary>Folds a running sum to 16 bits with end-around carry.</summary>
        public static ushort Fold(uint sum)
        {
            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }

            return (ushort)sum;
        }
    }
}
