using System;
using System.Collections.Generic;

namespace Cosmos.Fuzz
{
    /// <summary>Splits one fuzz input into several pieces (frames, segments, chunks).</summary>
    internal static class InputReader
    {
        /// <summary>
        /// Records of a 2-byte big-endian length and that many bytes; a length running past the end takes
        /// what is left. At most <paramref name="maxRecords"/> records.
        /// </summary>
        public static List<byte[]> LengthPrefixed(byte[] input, int maxRecords = 64)
        {
            var records = new List<byte[]>();
            int offset = 0;
            while (offset + 2 <= input.Length && records.Count < maxRecords)
            {
                int length = (input[offset] << 8) | input[offset + 1];
                offset += 2;
                length = Math.Min(length, input.Length - offset);
                records.Add(input.AsSpan(offset, length).ToArray());
                offset += length;
            }

            return records;
        }

        /// <summary>The inverse of <see cref="LengthPrefixed"/>, for writing seeds.</summary>
        public static byte[] JoinLengthPrefixed(IEnumerable<byte[]> records)
        {
            var bytes = new List<byte>();
            foreach (byte[] record in records)
            {
                bytes.Add((byte)(record.Length >> 8));
                bytes.Add((byte)record.Length);
                bytes.AddRange(record);
            }

            return bytes.ToArray();
        }
    }
}
