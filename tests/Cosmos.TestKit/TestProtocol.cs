using System;
using System.Globalization;
using System.Text;

namespace Cosmos.TestKit
{
    /// <summary>
    /// The line protocol a test kernel speaks on COM1, shared with the host (which compiles this
    /// file too). One line per record, and no other line starts with <see cref="Prefix"/>:
    /// <code>
    /// #TEST-PLAN &lt;count&gt;
    /// #TEST-PASS &lt;name&gt;
    /// #TEST-FAIL &lt;name&gt; &lt;message&gt;
    /// #TEST-DONE &lt;passed&gt; &lt;failed&gt;
    /// </code>
    /// Names contain no whitespace. A message is escaped to one line of printable ASCII: a
    /// backslash becomes <c>\\</c> and any other character outside 0x20-0x7E becomes <c>\uXXXX</c>.
    /// </summary>
    public static class TestProtocol
    {
        /// <summary>Every protocol line starts with this.</summary>
        public const string Prefix = "#TEST";

        /// <summary>Announces how many checks will run.</summary>
        public const string Plan = "#TEST-PLAN";

        /// <summary>A check that returned normally.</summary>
        public const string Pass = "#TEST-PASS";

        /// <summary>A check that threw; the message follows the name.</summary>
        public const string Fail = "#TEST-FAIL";

        /// <summary>The last line: passed and failed counts.</summary>
        public const string Done = "#TEST-DONE";

        /// <summary>isa-debug-exit code when every check passed (QEMU exits with 2*16+1 = 33).</summary>
        public const byte ExitCodeAllPassed = 16;

        /// <summary>isa-debug-exit code when at least one check failed (QEMU exits with 2*17+1 = 35).</summary>
        public const byte ExitCodeSomeFailed = 17;

        /// <summary>The process exit status QEMU reports for an isa-debug-exit <paramref name="code"/>.</summary>
        public static int QemuExitStatus(byte code) => (code << 1) | 1;

        /// <summary>True when <paramref name="name"/> can stand in a protocol line.</summary>
        public static bool IsValidName(string name)
        {
            if (name.Length == 0)
            {
                return false;
            }

            foreach (char c in name)
            {
                if (c <= ' ' || c > '~')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Escapes <paramref name="message"/> to one line of printable ASCII.</summary>
        public static string Escape(string message)
        {
            var builder = new StringBuilder(message.Length);
            foreach (char c in message)
            {
                if (c == '\\')
                {
                    builder.Append("\\\\");
                }
                else if (c >= ' ' && c <= '~')
                {
                    builder.Append(c);
                }
                else
                {
                    builder.Append("\\u");
                    builder.Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
            }

            return builder.ToString();
        }

        /// <summary>Reverses <see cref="Escape"/>; malformed escapes are kept as they are.</summary>
        public static string Unescape(string text)
        {
            if (text.IndexOf('\\') < 0)
            {
                return text;
            }

            var builder = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
                {
                    builder.Append('\\');
                    i++;
                }
                else if (c == '\\' && i + 5 < text.Length && text[i + 1] == 'u'
                    && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier,
                        CultureInfo.InvariantCulture, out int code))
                {
                    builder.Append((char)code);
                    i += 5;
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }
}
