using System;

namespace Cosmos.Drivers.VirtIO.Gpu
{
    /// <summary>
    /// Reads the preferred mode out of an EDID 1.x base block (VESA E-EDID): the first detailed timing
    /// descriptor at byte 54 is the preferred timing. The block is checked (header, checksum) before
    /// anything is believed.
    /// </summary>
    public static class EdidPreferredMode
    {
        private static ReadOnlySpan<byte> Magic => new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 };

        /// <summary>
        /// True with the preferred width and height when <paramref name="edid"/> holds a valid base block
        /// whose first descriptor is a timing; otherwise false and <paramref name="problem"/> says why.
        /// </summary>
        public static bool TryRead(ReadOnlySpan<byte> edid, out int width, out int height, out string? problem)
        {
            width = 0;
            height = 0;
            if (edid.Length < 128)
            {
                problem = $"EDID is {edid.Length} bytes, a base block is 128";
                return false;
            }

            if (!edid[..8].SequenceEqual(Magic))
            {
                problem = "EDID header is not 00 FF FF FF FF FF FF 00";
                return false;
            }

            byte sum = 0;
            for (int i = 0; i < 128; i++)
            {
                sum += edid[i];
            }

            if (sum != 0)
            {
                problem = $"EDID checksum is off by {sum}";
                return false;
            }

            // Detailed timing descriptor 1: pixel clock le16 (0 means a display descriptor instead),
            // horizontal active = byte 2 | (byte 4 high nibble) << 8, vertical active = byte 5 | (byte 7 high nibble) << 8.
            ReadOnlySpan<byte> timing = edid.Slice(54, 18);
            if (timing[0] == 0 && timing[1] == 0)
            {
                problem = "EDID's first descriptor is not a timing";
                return false;
            }

            width = timing[2] | ((timing[4] & 0xF0) << 4);
            height = timing[5] | ((timing[7] & 0xF0) << 4);
            if (width == 0 || height == 0)
            {
                problem = $"EDID's preferred timing is {width}x{height}";
                return false;
            }

            problem = null;
            return true;
        }
    }
}
