using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cosmos.System.Storage.Fat;
using Cosmos.System.Tests.Storage;
using CsCheck;
using Xunit;

namespace Cosmos.System.Tests.Properties
{
    /// <summary>
    /// Random trees written through the FAT layer to a fresh mkfs.fat image read back the same after a remount,
    /// and fsck.fat finds nothing to fix. Names mix short and long, case, spaces and non-ASCII; contents span
    /// zero to several clusters.
    /// </summary>
    public class FatRoundTripProperties
    {
        private const string NameCharacters = "abcXYZ019_-+ ~!#é日ü";

        // A name FAT accepts (no leading or trailing space or dot) built from varied characters.
        private static readonly Gen<string> Name =
            Gen.Select(Gen.Char["abcdefgXYZ0123"], Gen.String[Gen.Char[NameCharacters], 0, 30], Gen.Char["kLm9é"], (first, middle, last) => first + middle + last);

        private static readonly Gen<(string[] Directories, (int Directory, string Name, byte[] Content)[] Files)> Tree =
            Gen.Select(
                Name.Array[0, 3],
                Gen.Select(Gen.Int[-1, 2], Name, Gen.Byte.Array[0, 9000]).Array[1, 12],
                (directories, files) => (directories, files));

        [Theory]
        [InlineData(12, 2048)]
        [InlineData(16, 16384)]
        public void WrittenTreesReadBackEqualAndCleanForFsck(int fatBits, int kilobytes)
        {
            using var tools = new DiskImageTools();
            byte[] blank = File.ReadAllBytes(tools.MakeFat("blank.img", fatBits, kilobytes));
            Tree.Sample(tree =>
            {
                var device = new MemoryBlockDevice((byte[])blank.Clone());
                FatFileSystem fs = FatFileSystem.Mount(device);
                var expectedListings = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase) { ["/"] = new(StringComparer.OrdinalIgnoreCase) };
                var expectedFiles = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
                var directories = new List<string>();
                foreach (string directory in tree.Directories)
                {
                    if (expectedListings["/"].Add(directory))
                    {
                        fs.CreateDirectory("/" + directory);
                        expectedListings["/" + directory] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                        directories.Add("/" + directory);
                    }
                }

                foreach ((int directoryIndex, string name, byte[] content) in tree.Files)
                {
                    string parent = directoryIndex >= 0 && directoryIndex < directories.Count ? directories[directoryIndex] : "/";
                    string path = (parent == "/" ? "" : parent) + "/" + name;
                    if (expectedListings.ContainsKey(path))
                    {
                        continue; // the name of a directory
                    }

                    expectedListings[parent].Add(name);
                    expectedFiles[path] = content;   // a repeated name overwrites: the last content wins
                    fs.WriteAllBytes(path, content);
                }

                fs.Flush();

                FatFileSystem again = FatFileSystem.Mount(new MemoryBlockDevice(device.Image));
                foreach ((string directory, HashSet<string> names) in expectedListings)
                {
                    List<string> listed = again.ListDirectory(directory).Select(e => e.Name).ToList();
                    Assert.Equal(names.Count, listed.Count);
                    Assert.All(listed, name => Assert.Contains(name, names));
                }

                foreach ((string path, byte[] content) in expectedFiles)
                {
                    Assert.Equal(content, again.ReadAllBytes(path));
                }

                string image = tools.PathOf($"written-{Guid.NewGuid():N}.img");   // samples run on several threads
                File.WriteAllBytes(image, device.Image);
                tools.Run("fsck.fat", null, "-n", image);
                File.Delete(image);
            }, iter: 15);
        }
    }
}
