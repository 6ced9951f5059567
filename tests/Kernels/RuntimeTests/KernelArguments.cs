namespace RuntimeTests
{
    /// <summary>Reads <c>key=value</c> words from the kernel command line.</summary>
    internal static class KernelArguments
    {
        /// <summary>The value of the first <c>key=value</c> word, or null.</summary>
        public static string? Get(string commandLine, string key)
        {
            foreach (string word in commandLine.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Length > key.Length && word[key.Length] == '=' && word.StartsWith(key, System.StringComparison.Ordinal))
                {
                    return word.Substring(key.Length + 1);
                }
            }

            return null;
        }
    }
}
