using System;
using System.Collections.Generic;
using System.Text;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>Name rules for new entries: validity, 8.3 short names with "~n" tails, and long-name slots (fatgen103 "FAT Long Directory Entries").</summary>
    public static class FatNames
    {
        private const string ShortNameSpecials = "$%'-_@~`!(){}^#&";
        private const string LongNameForbidden = "\"*/:<>?\\|";

        /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> may name a file or directory.</summary>
        public static void Validate(string name)
        {
            if (string.IsNullOrEmpty(name) || name == "." || name == ".." || name.Length > 255 || name.TrimEnd(' ', '.').Length == 0)
            {
                throw new ArgumentException($"'{name}' is not a valid FAT name", nameof(name));
            }

            foreach (char c in name)
            {
                if (c < 0x20 || LongNameForbidden.IndexOf(c) >= 0)
                {
                    throw new ArgumentException($"'{name}' contains the character 0x{(int)c:x2}, which FAT names cannot hold", nameof(name));
                }
            }
        }

        /// <summary>
        /// The 11-byte short name for <paramref name="name"/>. A name that is already an upper-case 8.3 name is used as is
        /// (<paramref name="needsLongName"/> false); others get a basis name with a numeric tail unique among <paramref name="taken"/>.
        /// </summary>
        public static byte[] MakeShortName(string name, ICollection<string> taken, out bool needsLongName) =>
            MakeShortName(name, taken, out needsLongName, out _);

        /// <summary>
        /// As <see cref="MakeShortName(string, ICollection{string}, out bool)"/>, and an 8.3 name whose base and extension are
        /// each all lower case ("readme.txt") is stored as its upper-case short name with the Windows NT lower-case flags
        /// (<paramref name="caseFlags"/>, DIR_NTRes: 0x08 base, 0x10 extension) instead of a long name.
        /// </summary>
        public static byte[] MakeShortName(string name, ICollection<string> taken, out bool needsLongName, out byte caseFlags)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(taken);
            byte[]? exact = TryExactShortName(name, out caseFlags);
            if (exact != null && !taken.Contains(Encoding.ASCII.GetString(exact)))
            {
                needsLongName = false;
                return exact;
            }

            caseFlags = 0;

            needsLongName = true;
            string trimmed = name.TrimStart('.', ' ');
            int dot = trimmed.LastIndexOf('.');
            string basis = Clean(dot > 0 ? trimmed.Substring(0, dot) : trimmed);
            string extension = Clean(dot > 0 ? trimmed.Substring(dot + 1) : "");
            if (extension.Length > 3)
            {
                extension = extension.Substring(0, 3);
            }

            if (basis.Length == 0)
            {
                basis = "_";
            }

            for (int n = 1; n < 1000000; n++)
            {
                string tail = "~" + n;
                string stem = basis.Length + tail.Length > 8 ? basis.Substring(0, 8 - tail.Length) : basis;
                string candidate = (stem + tail).PadRight(8) + extension.PadRight(3);
                if (!taken.Contains(candidate))
                {
                    return Encoding.ASCII.GetBytes(candidate);
                }
            }

            throw new global::System.IO.IOException($"FAT: no free short name for '{name}'");
        }

        /// <summary>The long-name slots for <paramref name="name"/>, in on-disk order (highest ordinal first).</summary>
        public static byte[] MakeLongNameSlots(string name, byte checksum)
        {
            int slotCount = (name.Length + 12) / 13;
            byte[] slots = new byte[slotCount * FatDirectoryParser.EntrySize];
            for (int ordinal = 1; ordinal <= slotCount; ordinal++)
            {
                Span<byte> slot = slots.AsSpan((slotCount - ordinal) * FatDirectoryParser.EntrySize, FatDirectoryParser.EntrySize);
                slot[0] = (byte)(ordinal | (ordinal == slotCount ? 0x40 : 0));
                slot[11] = (byte)FatAttributes.LongName;
                slot[13] = checksum;
                for (int i = 0; i < 13; i++)
                {
                    int index = (ordinal - 1) * 13 + i;
                    ushort value = index < name.Length ? name[index] : index == name.Length ? (ushort)0 : (ushort)0xFFFF;
                    int offset = i < 5 ? 1 + i * 2 : i < 11 ? 14 + (i - 5) * 2 : 28 + (i - 11) * 2;
                    slot[offset] = (byte)value;
                    slot[offset + 1] = (byte)(value >> 8);
                }
            }

            return slots;
        }

        private static byte[]? TryExactShortName(string name, out byte caseFlags)
        {
            caseFlags = 0;
            int dot = name.IndexOf('.');
            string basis = dot < 0 ? name : name.Substring(0, dot);
            string extension = dot < 0 ? "" : name.Substring(dot + 1);
            if (basis.Length == 0 || basis.Length > 8 || extension.Length > 3 || extension.Contains('.'))
            {
                return null;
            }

            bool? basisLower = UniformCase(basis);
            bool? extensionLower = UniformCase(extension);
            if (basisLower == null || extensionLower == null)
            {
                return null;
            }

            caseFlags = (byte)((basisLower.Value ? 0x08 : 0) | (extensionLower.Value ? 0x10 : 0));
            return Encoding.ASCII.GetBytes(basis.ToUpperInvariant().PadRight(8) + extension.ToUpperInvariant().PadRight(3));
        }

        // True when the part's letters are all lower case, false when none is, null when mixed or not a short-name part.
        private static bool? UniformCase(string part)
        {
            bool lower = false, upper = false;
            foreach (char c in part)
            {
                if (c >= 'a' && c <= 'z')
                {
                    lower = true;
                }
                else if (c >= 'A' && c <= 'Z')
                {
                    upper = true;
                }
                else if (!((c >= '0' && c <= '9') || ShortNameSpecials.IndexOf(c) >= 0))
                {
                    return null;
                }
            }

            return lower && upper ? null : lower;
        }

        private static string Clean(string part)
        {
            var builder = new StringBuilder();
            foreach (char raw in part)
            {
                char c = char.ToUpperInvariant(raw);
                if (c == ' ' || c == '.')
                {
                    continue;
                }

                builder.Append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ShortNameSpecials.IndexOf(c) >= 0 ? c : '_');
            }

            return builder.ToString();
        }
    }
}
