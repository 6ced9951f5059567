using System.Globalization;
using System.Text;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>StringBuilder: appending, editing, growth across many chunks.</summary>
    internal static class StringBuilderChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("stringbuilder.append-kinds", AppendKinds);
            tests.Add("stringbuilder.insert-remove-replace", InsertRemoveReplace);
            tests.Add("stringbuilder.grows-across-chunks", GrowsAcrossChunks);
            tests.Add("stringbuilder.append-format-and-interpolation", AppendFormatAndInterpolation);
        }

        private static void AppendKinds()
        {
            var builder = new StringBuilder();
            builder.Append("text").Append(' ').Append(42).Append(' ').Append(2.5).Append(' ').Append(true).Append(' ').Append((object?)null).Append('|');
            builder.Append(new char[] { 'a', 'b', 'c' }, 1, 2).Append(-7L).AppendLine().Append("next");
            Assert.Equal("text 42 2.5 True |bc-7\nnext", builder.ToString(), "appended text");
            Assert.Equal(builder.ToString().Length, builder.Length, "Length");
            builder.Length = 4;
            Assert.Equal("text", builder.ToString(), "after setting Length");
            builder.Clear();
            Assert.Equal(0, builder.Length, "after Clear");
        }

        private static void InsertRemoveReplace()
        {
            var builder = new StringBuilder("hello world");
            builder.Insert(0, ">> ").Insert(builder.Length, '!');
            Assert.Equal(">> hello world!", builder.ToString(), "Insert");
            builder.Remove(0, 3);
            Assert.Equal("hello world!", builder.ToString(), "Remove");
            builder.Replace("world", "kernel").Replace('l', 'L');
            Assert.Equal("heLLo kerneL!", builder.ToString(), "Replace");
            builder[0] = 'H';
            Assert.Equal('H', builder[0], "indexer");
            Assert.Equal("HeLLo", builder.ToString(0, 5), "ToString(start, length)");
        }

        private static void GrowsAcrossChunks()
        {
            var builder = new StringBuilder(16);
            for (int i = 0; i < 5000; i++)
            {
                builder.Append((char)('a' + (i % 26)));
            }

            string text = builder.ToString();
            Assert.Equal(5000, text.Length, "Length after 5000 appends");
            Assert.Equal('a', text[0], "first char");
            Assert.Equal((char)('a' + (4999 % 26)), text[4999], "last char");
            Assert.Equal((char)('a' + (2600 % 26)), builder[2600], "indexer into a middle chunk");
            builder.Insert(2500, "MIDDLE");
            Assert.Equal(2500, builder.ToString().IndexOf("MIDDLE", System.StringComparison.Ordinal), "Insert in the middle of many chunks");
        }

        private static void AppendFormatAndInterpolation()
        {
            var builder = new StringBuilder();
            builder.AppendFormat(CultureInfo.InvariantCulture, "{0:F1}|{1,3}|{2:X}", 1.25, 7, 255);
            int value = Opaque.Value(9);
            builder.Append($" v={value:D3}");
            builder.AppendJoin(',', new[] { 1, 2, 3 });
            Assert.Equal("1.2|  7|FF v=0091,2,3", builder.ToString(), "AppendFormat, interpolated Append, AppendJoin");
        }
    }
}
