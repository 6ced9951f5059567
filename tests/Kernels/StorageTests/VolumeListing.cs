using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using Cosmos.Core.IO;
using Cosmos.System.FileSystem;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// Prints what System.IO sees on a volume, for the host to compare with its own list and with
    /// what mtools reads back. Lines (besides the test protocol; paths are on the volume, start
    /// with '/', come last and are escaped like protocol messages; partition 0 is a whole disk):
    /// <code>
    /// #MOUNT &lt;serial&gt; &lt;partition&gt; &lt;mount path&gt; &lt;Fat12|Fat16|Fat32&gt; &lt;label or -&gt;
    /// #DIR &lt;serial&gt; &lt;partition&gt; &lt;path&gt;
    /// #FILE &lt;serial&gt; &lt;partition&gt; &lt;size&gt; &lt;sha256 hex&gt; &lt;path&gt;
    /// #LISTED &lt;serial&gt; &lt;partition&gt; &lt;directories&gt; &lt;files&gt;
    /// </code>
    /// Directories come from Directory.EnumerateDirectories and files from Directory.EnumerateFiles,
    /// both with SearchOption.AllDirectories; every file is read through a FileStream and hashed
    /// with SHA256.HashData(Stream).
    /// </summary>
    public static class VolumeListing
    {
        /// <summary>Prints every mount of every disk.</summary>
        public static void PrintAll(TestDisks disks)
        {
            foreach (string serial in disks.Serials)
            {
                foreach (Mount mount in disks.VolumesOf(serial))
                {
                    Print(serial, PartitionOf(disks, serial, mount), mount);
                }
            }
        }

        /// <summary>Prints one volume: its mount line, its directories, its files with their hashes.</summary>
        public static void Print(string serial, int partition, Mount mount)
        {
            string volume = serial + " " + partition.ToString(CultureInfo.InvariantCulture);
            string label = mount.FileSystem.BootSector.VolumeLabel;
            WriteLine($"#MOUNT {volume} {mount.Path} {mount.FileSystem.Type} {(label.Length == 0 ? "-" : TestProtocol.Escape(label))}");
            var directories = new List<string>(Directory.EnumerateDirectories(mount.Path, "*", SearchOption.AllDirectories));
            directories.Sort(StringComparer.Ordinal);
            foreach (string directory in directories)
            {
                WriteLine($"#DIR {volume} {TestProtocol.Escape(OnVolume(mount, directory))}");
            }

            var files = new List<string>(Directory.EnumerateFiles(mount.Path, "*", SearchOption.AllDirectories));
            files.Sort(StringComparer.Ordinal);
            foreach (string file in files)
            {
                byte[] hash;
                long size;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
                {
                    hash = SHA256.HashData(stream);
                    size = stream.Position;
                }

                WriteLine($"#FILE {volume} {size.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(hash)} {TestProtocol.Escape(OnVolume(mount, file))}");
            }

            WriteLine($"#LISTED {volume} {directories.Count.ToString(CultureInfo.InvariantCulture)} {files.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        /// <summary>The partition number of <paramref name="mount"/> on disk <paramref name="serial"/> (0: whole disk).</summary>
        public static int PartitionOf(TestDisks disks, string serial, Mount mount)
        {
            string name = disks.Device(serial).Name;
            return mount.Source.Length == name.Length ? 0 : int.Parse(mount.Source.AsSpan(name.Length), CultureInfo.InvariantCulture);
        }

        /// <summary>"/vdb1/a/b.txt" on mount /vdb1 is "/a/b.txt".</summary>
        public static string OnVolume(Mount mount, string path)
        {
            if (!path.StartsWith(mount.Path + "/", StringComparison.Ordinal))
            {
                Assert.Fail($"System.IO gave \"{path}\", which is not under the mount point {mount.Path}");
            }

            return path.Substring(mount.Path.Length);
        }

        // Straight to the UART, like the protocol lines: a listing must not depend on Console.
        private static void WriteLine(string line)
        {
            SerialPort.WriteAscii(SerialPort.Com1, line);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
        }
    }
}
