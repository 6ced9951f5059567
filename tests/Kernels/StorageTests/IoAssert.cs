using System;
using System.IO;
using System.Text;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>Assertions about files and the errors System.IO reports.</summary>
    public static class IoAssert
    {
        /// <summary>
        /// Fails unless <paramref name="action"/> is refused the way System.IO refuses a write to a
        /// read-only volume: <see cref="UnauthorizedAccessException"/> or an <see cref="IOException"/>.
        /// </summary>
        public static Exception Refused(Action action, string what)
        {
            try
            {
                action();
            }
            catch (Exception caught) when (caught is UnauthorizedAccessException or IOException)
            {
                return caught;
            }
            catch (Exception other)
            {
                Assert.Fail($"{what}: expected UnauthorizedAccessException or IOException, got {Assert.Describe(other)}");
            }

            Assert.Fail($"{what}: expected UnauthorizedAccessException or IOException, but it succeeded");
            return null!;
        }

        /// <summary>
        /// Fails unless <paramref name="action"/> throws an <see cref="IOException"/> that is not a
        /// not-found error (the file or directory exists; its data is what is broken) and whose
        /// message names <paramref name="path"/> and says what is wrong (contains <paramref name="problem"/>).
        /// </summary>
        public static IOException ThrowsCorruptionError(Action action, string path, string problem, string what)
        {
            try
            {
                action();
            }
            catch (Exception caught) when (caught is FileNotFoundException or DirectoryNotFoundException)
            {
                Assert.Fail($"{what}: the entry exists, but System.IO said it was not found: {Assert.Describe(caught)}");
            }
            catch (IOException caught)
            {
                Assert.Contains(path, caught.Message, $"{what}: the error names the path");
                Assert.Contains(problem, caught.Message, $"{what}: the error says what is wrong");
                return caught;
            }
            catch (Exception other)
            {
                Assert.Fail($"{what}: expected an IOException, got {Assert.Describe(other)}");
            }

            Assert.Fail($"{what}: expected an IOException, but it succeeded");
            return null!;
        }

        /// <summary>Fails unless <paramref name="action"/> throws <typeparamref name="T"/> whose message contains <paramref name="problem"/>.</summary>
        public static T ThrowsWithMessage<T>(Action action, string problem, string what)
            where T : Exception
        {
            T caught = Assert.Throws<T>(action, what);
            Assert.Contains(problem, caught.Message, $"{what}: the message says what is wrong");
            return caught;
        }

        /// <summary>Fails unless the file at <paramref name="path"/> holds exactly <paramref name="expected"/>.</summary>
        public static void FileEquals(byte[] expected, string path)
        {
            Assert.True(File.Exists(path), $"File.Exists(\"{path}\")");
            byte[] actual = File.ReadAllBytes(path);
            Assert.Equal(expected.Length, actual.Length, $"length of {path}");
            for (int i = 0; i < actual.Length; i++)
            {
                if (actual[i] != expected[i])
                {
                    Assert.Fail($"{path}: byte {i} is 0x{actual[i]:x2}, expected 0x{expected[i]:x2}");
                }
            }
        }

        /// <summary>Fails unless the text file at <paramref name="path"/> holds <see cref="Content.TextOf"/>(<paramref name="volumePath"/>).</summary>
        public static void HoldsOwnPath(string path, string volumePath)
        {
            Assert.True(File.Exists(path), $"File.Exists(\"{path}\")");
            Assert.Equal(Content.TextOf(volumePath), File.ReadAllText(path, Encoding.UTF8), $"text of {path}");
        }

        /// <summary>Fails unless <paramref name="path"/> holds the pattern of <paramref name="seed"/>, <paramref name="length"/> bytes.</summary>
        public static void HoldsPattern(string path, uint seed, long length)
        {
            Assert.True(File.Exists(path), $"File.Exists(\"{path}\")");
            Assert.Equal(length, new FileInfo(path).Length, $"FileInfo.Length of {path}");
            byte[] actual = File.ReadAllBytes(path);
            Assert.Equal(length, (long)actual.Length, $"File.ReadAllBytes length of {path}");
            long mismatch = Content.FirstPatternMismatch(seed, 0, actual);
            Assert.Equal(-1L, mismatch, $"first byte of {path} that differs from pattern {seed}");
        }
    }
}
