using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// A FAT volume in an image file: the whole image, or a partition <see cref="ByteOffset"/> bytes in.
/// <see cref="MtoolsDrive"/> is how mtools names it (<c>disk.img@@1048576</c>).
/// </summary>
internal sealed record FatVolume(string Image, long ByteOffset, long ByteLength)
{
    public string MtoolsDrive => ByteOffset == 0 ? Image : $"{Image}@@{ByteOffset.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>The outcome of fsck.fat -n on a volume.</summary>
internal sealed record FsckResult(int ExitCode, string Output)
{
    /// <summary>Exit status 0 and nothing but the version banner and the summary line.</summary>
    public bool IsClean => ExitCode == 0 && Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 2;
}

/// <summary>
/// Makes disk images with the host's Debian tools only (dosfstools' mkfs.fat and fsck.fat, mtools,
/// fdisk's sfdisk, gdisk's sgdisk), never with Cosmos code, in a temporary directory deleted on
/// dispose; reads them back with the same tools. Corruptions are made by patching bytes of what
/// mkfs.fat and mtools wrote (<see cref="PatchFatEntry"/>, <see cref="PatchRootEntryCluster"/>).
/// </summary>
internal sealed class FatImageWorkspace : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    public FatImageWorkspace(string purpose)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"cosmos-{purpose}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Runs <paramref name="tool"/>; a non-zero exit throws with what it said.</summary>
    public string Run(string tool, params string[] arguments)
    {
        ProcessResult result = TryRun(tool, arguments);
        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} {(result.TimedOut ? "timed out" : $"exited {result.ExitCode}")}: {result.StandardError}{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs <paramref name="tool"/> in a UTF-8 locale (mtools needs it for long names) with /usr/sbin on PATH.</summary>
    public ProcessResult TryRun(string tool, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["LC_ALL"] = "C.UTF-8",
            ["MTOOLS_SKIP_CHECK"] = "1",
            ["MTOOLS_NO_VFAT"] = null,
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin",
        };
        return ProcessRunner.Run(Resolve(tool), arguments, Directory, ToolTimeout, environment);
    }

    // mkfs.fat, fsck.fat and sfdisk live in /usr/sbin, which a test host's PATH may lack.
    private static string Resolve(string tool)
    {
        if (tool.Contains('/'))
        {
            return tool;
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{tool} is not installed; the storage tests need Debian's dosfstools, mtools, fdisk and gdisk (./cosmos setup installs them)");
    }

    /// <summary>A new sparse image of <paramref name="bytes"/> bytes.</summary>
    public string NewImage(string name, long bytes)
    {
        string image = PathOf(name);
        using (FileStream file = File.Create(image))
        {
            file.SetLength(bytes);
        }

        return image;
    }

    /// <summary>An MBR partition table written by sfdisk: (first sector, sectors, type byte in hex).</summary>
    public void PartitionMbr(string image, params (long Start, long Sectors, string Type)[] partitions)
    {
        var script = new StringBuilder("label: dos\n");
        foreach ((long start, long sectors, string type) in partitions)
        {
            script.Append(CultureInfo.InvariantCulture, $"start={start}, size={sectors}, type={type}\n");
        }

        string scriptFile = PathOf(Path.GetFileName(image) + ".sfdisk");
        File.WriteAllText(scriptFile, script.ToString());
        Run("/bin/sh", "-c", "sfdisk --quiet \"$1\" < \"$2\"", "sh", image, scriptFile);
    }

    /// <summary>A GPT written by sgdisk: (first sector, sectors), each of type 0700 (Microsoft basic data).</summary>
    public void PartitionGpt(string image, params (long Start, long Sectors)[] partitions)
    {
        var arguments = new List<string>();
        for (int i = 0; i < partitions.Length; i++)
        {
            (long start, long sectors) = partitions[i];
            int number = i + 1;
            arguments.Add($"--new={number}:{start}:{start + sectors - 1}");
            arguments.Add($"--typecode={number}:0700");
        }

        arguments.Add(image);
        Run("sgdisk", arguments.ToArray());
    }

    /// <summary>mkfs.fat on a whole image (start 0) or on a partition of it (--offset, hidden sectors).</summary>
    public FatVolume Format(string image, int fatBits, long startSector, long sectors, string label, params string[] extra)
    {
        var arguments = new List<string> { "-F", fatBits.ToString(CultureInfo.InvariantCulture), "-n", label };
        if (startSector != 0)
        {
            arguments.AddRange(["--offset", startSector.ToString(CultureInfo.InvariantCulture), "-h", startSector.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(extra);
        arguments.Add(image);
        arguments.Add((sectors / 2).ToString(CultureInfo.InvariantCulture));
        Run("mkfs.fat", arguments.ToArray());
        return new FatVolume(image, startSector * 512, sectors * 512);
    }

    /// <summary>Copies <paramref name="tree"/> onto the volume with one recursive mcopy (empty directories included).</summary>
    public void Populate(FatVolume volume, FileTree tree)
    {
        string staging = PathOf("staging-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(staging);
        tree.WriteTo(staging);
        var arguments = new List<string> { "-s", "-i", volume.MtoolsDrive };
        arguments.AddRange(System.IO.Directory.EnumerateFileSystemEntries(staging).Order(StringComparer.Ordinal));
        arguments.Add("::/");
        if (arguments.Count > 4)
        {
            Run("mcopy", arguments.ToArray());
        }

        System.IO.Directory.Delete(staging, recursive: true);
    }

    /// <summary>mcopy of one file to <paramref name="volumePath"/> (its directory must exist).</summary>
    public void Copy(FatVolume volume, string volumePath, byte[] content)
    {
        string source = PathOf("file-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(source, content);
        Run("mcopy", "-i", volume.MtoolsDrive, source, "::" + volumePath);
        File.Delete(source);
    }

    public void MakeDirectory(FatVolume volume, string volumePath) => Run("mmd", "-i", volume.MtoolsDrive, "::" + volumePath);

    public void Delete(FatVolume volume, params string[] volumePaths) =>
        Run("mdel", new[] { "-i", volume.MtoolsDrive }.Concat(volumePaths.Select(p => "::" + p)).ToArray());

    /// <summary>The cluster runs of a file as mshowfat prints them (<c>&lt;5-7&gt; &lt;12-14&gt;</c>).</summary>
    public List<(uint First, uint Last)> ClusterRuns(FatVolume volume, string volumePath)
    {
        string output = Run("mshowfat", "-i", volume.MtoolsDrive, "::" + volumePath);
        var runs = new List<(uint, uint)>();
        foreach (Match match in Regex.Matches(output, @"<(\d+)(?:-(\d+))?>"))
        {
            uint first = uint.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            uint last = match.Groups[2].Success ? uint.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : first;
            runs.Add((first, last));
        }

        if (runs.Count == 0)
        {
            throw new InvalidOperationException($"mshowfat printed no clusters for {volumePath}: {output}");
        }

        return runs;
    }

    /// <summary>Every file and directory of the volume, copied out with mcopy -s.</summary>
    public FileTree Extract(FatVolume volume)
    {
        string target = PathOf("extract-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(target);
        string listing = Run("mdir", "-b", "-a", "-i", volume.MtoolsDrive, "::/");
        if (listing.Trim().Length > 0)
        {
            Run("mcopy", "-s", "-n", "-m", "-i", volume.MtoolsDrive, "::/*", target + "/");
        }

        FileTree tree = FileTree.ReadFrom(target);
        System.IO.Directory.Delete(target, recursive: true);
        return tree;
    }

    /// <summary>
    /// Every path mdir -/ -b -a prints (recursive, bare), as volume paths; directories end in '/'.
    /// </summary>
    public SortedSet<string> BareListing(FatVolume volume)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in Run("mdir", "-/", "-b", "-a", "-i", volume.MtoolsDrive, "::/").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("::/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"unexpected mdir line \"{line}\"");
            }

            paths.Add(line[2..]);
        }

        return paths;
    }

    /// <summary>fsck.fat -n -v on the volume (a partition is copied out first: fsck.fat takes no offset).</summary>
    public FsckResult Check(FatVolume volume)
    {
        string target = volume.Image;
        if (volume.ByteOffset != 0)
        {
            target = PathOf("fsck-" + Guid.NewGuid().ToString("N") + ".img");
            using FileStream source = File.OpenRead(volume.Image);
            using FileStream copy = File.Create(target);
            source.Position = volume.ByteOffset;
            byte[] buffer = new byte[1 << 20];
            for (long left = volume.ByteLength; left > 0;)
            {
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new EndOfStreamException($"{volume.Image} ends inside the partition at {volume.ByteOffset}");
                }

                copy.Write(buffer, 0, read);
                left -= read;
            }
        }

        ProcessResult result = TryRun("fsck.fat", "-n", target);
        if (target != volume.Image)
        {
            File.Delete(target);
        }

        return new FsckResult(result.TimedOut ? -1 : result.ExitCode, (result.StandardOutput + result.StandardError).Replace("\r", "", StringComparison.Ordinal));
    }

    public static string Sha256OfFile(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>The BPB fields the patches need, read from the volume's boot sector.</summary>
    public static FatLayout ReadLayout(FatVolume volume)
    {
        byte[] boot = ReadBytes(volume.Image, volume.ByteOffset, 512);
        return FatLayout.Parse(boot);
    }

    /// <summary>Sets the FAT16 entry of <paramref name="cluster"/> to <paramref name="value"/> in every FAT copy.</summary>
    public static void PatchFatEntry(FatVolume volume, uint cluster, ushort value)
    {
        FatLayout layout = ReadLayout(volume);
        if (layout.FatBits != 16)
        {
            throw new InvalidOperationException($"PatchFatEntry handles FAT16 only; the volume is FAT{layout.FatBits}");
        }

        byte[] entry = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(entry, value);
        for (int copy = 0; copy < layout.FatCount; copy++)
        {
            long fat = volume.ByteOffset + (layout.ReservedSectors + (long)copy * layout.SectorsPerFat) * layout.BytesPerSector;
            WriteBytes(volume.Image, fat + cluster * 2L, entry);
        }
    }

    /// <summary>The first cluster of root entry <paramref name="shortName"/> ("LOOPDIR", "OUTSIDE.BIN") of a FAT12/16 volume.</summary>
    public static uint RootEntryCluster(FatVolume volume, string shortName)
    {
        long entry = FindRootEntry(volume, shortName);
        return BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(volume.Image, entry + 26, 2));
    }

    /// <summary>Points root entry <paramref name="shortName"/> of a FAT12/16 volume at <paramref name="cluster"/>.</summary>
    public static void PatchRootEntryCluster(FatVolume volume, string shortName, ushort cluster)
    {
        byte[] low = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(low, cluster);
        WriteBytes(volume.Image, FindRootEntry(volume, shortName) + 26, low);
    }

    public static void WriteBytes(string image, long offset, byte[] bytes)
    {
        using FileStream file = new(image, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(bytes);
    }

    public static byte[] ReadBytes(string image, long offset, int count)
    {
        using FileStream file = File.OpenRead(image);
        file.Position = offset;
        byte[] bytes = new byte[count];
        file.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; a test must not fail over it.
        }
    }

    // The byte offset of the root directory entry whose 8.3 name is shortName (FAT12/16 fixed root).
    private static long FindRootEntry(FatVolume volume, string shortName)
    {
        FatLayout layout = ReadLayout(volume);
        if (layout.FatBits == 32)
        {
            throw new InvalidOperationException("FindRootEntry handles the fixed root of FAT12/16 only");
        }

        string[] parts = shortName.Split('.');
        string raw = parts[0].PadRight(8) + (parts.Length > 1 ? parts[1] : "").PadRight(3);
        long root = volume.ByteOffset + (layout.ReservedSectors + (long)layout.FatCount * layout.SectorsPerFat) * layout.BytesPerSector;
        byte[] entries = ReadBytes(volume.Image, root, layout.RootEntryCount * 32);
        for (int offset = 0; offset < entries.Length; offset += 32)
        {
            if ((entries[offset + 11] & 0x0F) != 0x0F && Encoding.ASCII.GetString(entries, offset, 11) == raw)
            {
                return root + offset;
            }
        }

        throw new InvalidOperationException($"no root directory entry \"{raw}\" in {volume.Image}");
    }
}

/// <summary>The boot sector fields the host-side patches need (fatgen103 "BPB").</summary>
internal sealed record FatLayout(int BytesPerSector, int SectorsPerCluster, int ReservedSectors, int FatCount, int RootEntryCount,
    long SectorsPerFat, long TotalSectors, int FatBits)
{
    public int BytesPerCluster => BytesPerSector * SectorsPerCluster;

    public long ClusterCount =>
        (TotalSectors - ReservedSectors - FatCount * SectorsPerFat - (RootEntryCount * 32 + BytesPerSector - 1) / BytesPerSector) / SectorsPerCluster;

    public static FatLayout Parse(byte[] boot)
    {
        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(11));
        int sectorsPerCluster = boot[13];
        int reserved = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(14));
        int fats = boot[16];
        int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(17));
        long total = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(19));
        if (total == 0)
        {
            total = BinaryPrimitives.ReadUInt32LittleEndian(boot.AsSpan(32));
        }

        long fatSize = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(22));
        if (fatSize == 0)
        {
            fatSize = BinaryPrimitives.ReadUInt32LittleEndian(boot.AsSpan(36));
        }

        var layout = new FatLayout(bytesPerSector, sectorsPerCluster, reserved, fats, rootEntries, fatSize, total, 0);
        long clusters = layout.ClusterCount;
        return layout with { FatBits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32 };
    }
}
