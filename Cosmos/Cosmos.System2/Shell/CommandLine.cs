using System;
using System.Collections.Generic;
using System.Text;

namespace Cosmos.System.Shell
{
    /// <summary>
    /// Splits a shell command line into words: whitespace separates, double or single quotes
    /// group (no expansion inside single quotes), a backslash escapes the next character outside
    /// single quotes.
    /// </summary>
    public static class CommandLine
    {
        /// <summary>The words of <paramref name="line"/>.</summary>
        /// <exception cref="FormatException">A quote is not closed, or the line ends in a lone backslash.</exception>
        public static IReadOnlyList<string> Split(string line)
        {
            ArgumentNullException.ThrowIfNull(line);
            var words = new List<string>();
            var word = new StringBuilder();
            bool inWord = false;
            char quote = '\0';
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quote == '\'')
                {
                    if (c == '\'')
                    {
                        quote = '\0';
                    }
                    else
                    {
                        word.Append(c);
                    }

                    continue;
                }

                if (c == '\\')
                {
                    if (i + 1 >= line.Length)
                    {
                        throw new FormatException("the line ends with a lone backslash");
                    }

                    word.Append(line[++i]);
                    inWord = true;
                    continue;
                }

                if (quote == '"')
                {
                    if (c == '"')
                    {
                        quote = '\0';
                    }
                    else
                    {
                        word.Append(c);
                    }

                    continue;
                }

                if (c == '"' || c == '\'')
                {
                    quote = c;
                    inWord = true;
                    continue;
                }

                if (char.IsWhiteSpace(c))
                {
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    continue;
                }

                word.Append(c);
                inWord = true;
            }

            if (quote != '\0')
            {
                throw new FormatException($"the quote {quote} opened on this line is not closed");
            }

            if (inWord)
            {
                words.Add(word.ToString());
            }

            return words;
        }
    }
}
