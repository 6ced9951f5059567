using System;
using System.Collections.Generic;
using System.Threading;
using Cosmos.Core.Pal;
using Cosmos.System.Console;

namespace Cosmos.System.IO
{
    /// <summary>
    /// The kernel's file descriptor table: small integers naming open file descriptions, with
    /// 0, 1 and 2 on the console. The class library's Unix PAL (SystemNative_Read, Write, Dup,
    /// Close, ...) works through it.
    /// </summary>
    public static class FileDescriptorTable
    {
        private const int MaxDescriptors = 1024;

        private static readonly List<OpenFile?> s_descriptors = new();
        private static readonly Dictionary<OpenFile, int> s_referenceCounts = new();

        // Threads open and close files concurrently; the table's lists are not safe for that alone.
        private static readonly Lock s_gate = new();

        /// <summary>Opens standard input, output and error on <paramref name="terminal"/>.</summary>
        public static void InitializeStandardStreams(Terminal terminal)
        {
            var console = new TerminalFile(terminal);
            while (s_descriptors.Count < 3)
            {
                Add(console);
            }
        }

        /// <summary>Allocates the lowest free descriptor for <paramref name="file"/>, or -EMFILE.</summary>
        public static int Add(OpenFile file)
        {
            ArgumentNullException.ThrowIfNull(file);
            using Lock.Scope scope = s_gate.EnterScope();
            int fd = s_descriptors.IndexOf(null);
            if (fd < 0)
            {
                if (s_descriptors.Count >= MaxDescriptors)
                {
                    return -Errno.EMFILE;
                }

                fd = s_descriptors.Count;
                s_descriptors.Add(null);
            }

            s_descriptors[fd] = file;
            s_referenceCounts[file] = s_referenceCounts.TryGetValue(file, out int count) ? count + 1 : 1;
            return fd;
        }

        /// <summary>The description behind <paramref name="fd"/>, or null.</summary>
        public static OpenFile? Get(long fd)
        {
            using Lock.Scope scope = s_gate.EnterScope();
            return fd >= 0 && fd < s_descriptors.Count ? s_descriptors[(int)fd] : null;
        }

        /// <summary>Another descriptor for the same description (dup), or -errno.</summary>
        public static int Duplicate(long fd)
        {
            OpenFile? file = Get(fd);
            return file == null ? -Errno.EBADF : Add(file);
        }

        /// <summary>Closes <paramref name="fd"/>; 0 or -EBADF.</summary>
        public static int Close(long fd)
        {
            using Lock.Scope scope = s_gate.EnterScope();
            OpenFile? file = Get(fd);
            if (file == null)
            {
                return -Errno.EBADF;
            }

            s_descriptors[(int)fd] = null;
            int remaining = s_referenceCounts[file] - 1;
            if (remaining == 0)
            {
                s_referenceCounts.Remove(file);
                file.Release();
            }
            else
            {
                s_referenceCounts[file] = remaining;
            }

            return 0;
        }

        /// <summary>Number of open descriptors.</summary>
        public static int OpenCount
        {
            get
            {
                int count = 0;
                foreach (OpenFile? file in s_descriptors)
                {
                    if (file != null)
                    {
                        count++;
                    }
                }

                return count;
            }
        }
    }
}
