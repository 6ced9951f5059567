using System;
using System.Collections.Generic;
using System.Globalization;
using Cosmos.TestKit;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>One volume as the StorageTests kernel listed it through System.IO.</summary>
internal sealed class KernelVolume
{
    public string MountPath { get; set; } = "";

    public string Type { get; set; } = "";

    public string Label { get; set; } = "";

    public SortedSet<string> Directories { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, (long Size, string Sha256)> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The #LISTED counts, or null when the kernel never finished the listing.</summary>
    public (int Directories, int Files)? Listed { get; set; }
}

/// <summary>
/// Parses the listing lines of tests/Kernels/StorageTests (VolumeListing.cs) out of the serial
/// output, by (disk serial, partition number; 0 for a whole disk):
/// <c>#MOUNT serial partition mountpath type label</c>, <c>#DIR serial partition path</c>,
/// <c>#FILE serial partition size sha256 path</c>, <c>#LISTED serial partition directories files</c>.
/// Paths and labels are escaped as protocol messages are.
/// </summary>
internal static class KernelVolumeListing
{
    public static Dictionary<(string Serial, int Partition), KernelVolume> Parse(string serial)
    {
        var volumes = new Dictionary<(string, int), KernelVolume>();
        foreach (string line in serial.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            string[] words = line.Split(' ');
            if (words.Length < 3 || !line.StartsWith('#') || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int partition))
            {
                continue;
            }

            (string, int) key = (words[1], partition);
            switch (words[0])
            {
                case "#MOUNT" when words.Length >= 6:
                    KernelVolume volume = Volume(volumes, key);
                    volume.MountPath = words[3];
                    volume.Type = words[4];
                    volume.Label = TestProtocol.Unescape(string.Join(' ', words, 5, words.Length - 5));
                    break;
                case "#DIR" when words.Length >= 4:
                    Volume(volumes, key).Directories.Add(TestProtocol.Unescape(RestFrom(line, 3)));
                    break;
                case "#FILE" when words.Length >= 6:
                    Volume(volumes, key).Files[TestProtocol.Unescape(RestFrom(line, 5))] =
                        (long.Parse(words[3], CultureInfo.InvariantCulture), words[4]);
                    break;
                case "#LISTED" when words.Length == 5:
                    Volume(volumes, key).Listed = (int.Parse(words[3], CultureInfo.InvariantCulture), int.Parse(words[4], CultureInfo.InvariantCulture));
                    break;
            }
        }

        return volumes;
    }

    private static KernelVolume Volume(Dictionary<(string, int), KernelVolume> volumes, (string, int) key)
    {
        if (!volumes.TryGetValue(key, out KernelVolume? volume))
        {
            volume = new KernelVolume();
            volumes[key] = volume;
        }

        return volume;
    }

    // The text after the first `count` space-separated words (a path may hold spaces).
    private static string RestFrom(string line, int count)
    {
        int index = 0;
        for (int i = 0; i < count; i++)
        {
            index = line.IndexOf(' ', index) + 1;
        }

        return line[index..];
    }
}
