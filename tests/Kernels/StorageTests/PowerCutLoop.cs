using System;
using System.Globalization;
using System.IO;
using Cosmos.System.FileSystem;

namespace StorageTests
{
    /// <summary>
    /// <c>scenario=powercut start=N</c>: writes files until the host kills QEMU (issue 10, part 3). File n is
    /// <c>/CUT/Fnnnnnn.BIN</c> on the disk with serial <c>cut</c>, holding the pattern of seed n (<see cref="Content"/>) and
    /// <see cref="LengthOf"/> bytes, written in 4 KiB pieces through a FileStream and fsync'd; every fifth file also
    /// appends the line "n" to <c>/CUT/APPEND.LOG</c> (a file that grows across boots), and every seventh deletes file
    /// n - 3. Each step is announced before it starts and confirmed once it is durable (after fsync or the volume's
    /// flush), on COM1, so the host knows which files must read back exactly after a cut:
    /// <code>
    /// #CUT-READY start
    /// #WRITING n        #SYNCED n length
    /// #APPENDING n      #APPENDED n
    /// #DELETING k       #DELETED k
    /// </code>
    /// </summary>
    public static class PowerCutLoop
    {
        private const string Serial = "cut";
        private const int PieceBytes = 4096;

        /// <summary>Both sides' rule for the length of file <paramref name="n"/>: 1 byte to 40 KiB, spread by a hash of n.</summary>
        public static int LengthOf(int n) => 1 + (int)(((uint)n * 2654435761u) % (40 * 1024));

        /// <summary>Never returns: the host ends the boot by killing QEMU.</summary>
        public static void Run(TestDisks disks, int start)
        {
            Mount mount = disks.Volume(Serial);
            string directory = mount.Path + "/CUT";
            Directory.CreateDirectory(directory);
            mount.FileSystem.Flush();
            Report($"#CUT-READY {start}");
            byte[] piece = new byte[PieceBytes];
            for (int n = start; ; n++)
            {
                string path = $"{directory}/F{n.ToString("D6", CultureInfo.InvariantCulture)}.BIN";
                int length = LengthOf(n);
                Report($"#WRITING {n}");
                using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                {
                    for (int offset = 0; offset < length; offset += PieceBytes)
                    {
                        int count = Math.Min(PieceBytes, length - offset);
                        Content.FillPattern((uint)n, offset, piece.AsSpan(0, count));
                        stream.Write(piece, 0, count);
                    }

                    stream.Flush(flushToDisk: true);
                }

                Report($"#SYNCED {n} {length}");

                if (n % 5 == 0)
                {
                    Report($"#APPENDING {n}");
                    using (var log = new FileStream(directory + "/APPEND.LOG", FileMode.Append, FileAccess.Write, FileShare.None, 1))
                    {
                        byte[] line = System.Text.Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture) + "\n");
                        log.Write(line, 0, line.Length);
                        log.Flush(flushToDisk: true);
                    }

                    Report($"#APPENDED {n}");
                }

                string old = $"{directory}/F{(n - 3).ToString("D6", CultureInfo.InvariantCulture)}.BIN";
                if (n % 7 == 0 && File.Exists(old))
                {
                    Report($"#DELETING {n - 3}");
                    File.Delete(old);
                    mount.FileSystem.Flush();
                    Report($"#DELETED {n - 3}");
                }
            }
        }

        // Straight to COM1 through the console, one line at a time, so a line is out before the next step starts.
        private static void Report(string line) => Console.WriteLine(line);
    }
}
