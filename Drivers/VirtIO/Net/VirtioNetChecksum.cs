using System;
using System.Buffers.Binary;
using Cosmos.HAL.Devices;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>
    /// virtio-net's partial checksums (§5.1.6.2): the <see cref="InternetChecksum"/> of the bytes from
    /// csum_start to the end of the frame, stored big-endian at csum_start + csum_offset, where the frame
    /// already holds the pseudo-header sum.
    /// </summary>
    internal static class VirtioNetChecksum
    {
        /// <summary>True when a checksum field at <paramref name="start"/> + <paramref name="offset"/> lies inside a frame of <paramref name="length"/> bytes.</summary>
        public static bool FitsInFrame(int start, int offset, int length) =>
            start >= 0 && offset >= 0 && (long)start + offset + 2 <= length;

        /// <summary>Completes a partial checksum in <paramref name="frame"/> (the caller checked <see cref="FitsInFrame"/>).</summary>
        public static void Complete(Span<byte> frame, int start, int offset)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame[(start + offset)..], InternetChecksum.Compute(frame[start..]));
        }
    }
}
