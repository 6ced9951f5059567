using System;
using System.Text;

namespace Cosmos.System.Network
{
    /// <summary>Domain names in DNS messages (RFC 1035 §3.1, §4.1.4): labels, compression pointers, limits.</summary>
    public static class DnsName
    {
        /// <summary>Wire bytes a name may take (RFC 1035 §2.3.4).</summary>
        public const int MaximumWireLength = 255;

        /// <summary>Bytes of one label.</summary>
        public const int MaximumLabelLength = 63;

        /// <summary>
        /// Reads the name at <paramref name="offset"/>, following compression pointers; <paramref name="offset"/> moves
        /// past the name as it sits in the message (after the first pointer, if any). Every pointer must lead strictly
        /// backwards from the labels that contain it, so a loop is impossible; the decoded name is limited to 255 bytes.
        /// </summary>
        public static bool TryRead(ReadOnlySpan<byte> message, ref int offset, out string name)
        {
            name = string.Empty;
            var text = new StringBuilder();
            int position = offset;
            int end = -1;
            int wireLength = 0;
            int lowestReached = offset;
            while (true)
            {
                if (position >= message.Length)
                {
                    return false;
                }

                byte length = message[position];
                if ((length & 0xC0) == 0xC0)
                {
                    if (position + 1 >= message.Length)
                    {
                        return false;
                    }

                    int target = ((length & 0x3F) << 8) | message[position + 1];
                    if (target >= lowestReached)
                    {
                        // Forward or self pointers could loop; real compressors only point back.
                        return false;
                    }

                    if (end < 0)
                    {
                        end = position + 2;
                    }

                    position = target;
                    lowestReached = target;
                    continue;
                }

                if ((length & 0xC0) != 0)
                {
                    // 0x40 and 0x80 are the obsolete extended label types (RFC 6891 §5).
                    return false;
                }

                if (length == 0)
                {
                    if (end < 0)
                    {
                        end = position + 1;
                    }

                    break;
                }

                wireLength += length + 1;
                if (wireLength + 1 > MaximumWireLength || position + 1 + length > message.Length)
                {
                    return false;
                }

                if (text.Length > 0)
                {
                    text.Append('.');
                }

                for (int i = 0; i < length; i++)
                {
                    char c = (char)message[position + 1 + i];
                    text.Append(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
                }

                position += 1 + length;
            }

            offset = end;
            name = text.ToString();
            return true;
        }

        /// <summary>True for a name of 1..63-byte labels of printable ASCII without spaces, at most 253 characters (a trailing dot allowed).</summary>
        public static bool IsValid(string name)
        {
            string trimmed = name.EndsWith('.') ? name.Substring(0, name.Length - 1) : name;
            if (trimmed.Length == 0 || trimmed.Length > 253)
            {
                return false;
            }

            int labelLength = 0;
            foreach (char c in trimmed)
            {
                if (c == '.')
                {
                    if (labelLength == 0)
                    {
                        return false;
                    }

                    labelLength = 0;
                    continue;
                }

                if (c <= ' ' || c > '~' || ++labelLength > MaximumLabelLength)
                {
                    return false;
                }
            }

            return labelLength > 0;
        }

        /// <summary>Lower case, no trailing dot: the form names are compared and cached in.</summary>
        public static string Normalize(string name)
        {
            string trimmed = name.EndsWith('.') ? name.Substring(0, name.Length - 1) : name;
            return trimmed.ToLowerInvariant();
        }

        /// <summary>Writes <paramref name="name"/> (valid, see <see cref="IsValid"/>) uncompressed; returns the bytes written.</summary>
        public static int Write(Span<byte> destination, string name)
        {
            string normalized = Normalize(name);
            int position = 0;
            int labelStart = 0;
            for (int i = 0; i <= normalized.Length; i++)
            {
                if (i == normalized.Length || normalized[i] == '.')
                {
                    int length = i - labelStart;
                    destination[position++] = (byte)length;
                    for (int j = labelStart; j < i; j++)
                    {
                        destination[position++] = (byte)normalized[j];
                    }

                    labelStart = i + 1;
                }
            }

            destination[position++] = 0;
            return position;
        }
    }
}
