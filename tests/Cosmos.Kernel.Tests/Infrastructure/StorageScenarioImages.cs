using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// The disks of each StorageTests scenario, made with mkfs.fat, mtools, sfdisk and sgdisk; the
/// kernel's checks (tests/Kernels/StorageTests) rely on these layouts, names and contents.
/// </summary>
internal static class StorageScenarioImages
{
    private const long MiB = 1 << 20;
    private const int SectorsPerMiB = 2048;

    // ---- scenario=read -------------------------------------------------------------------------

    /// <summary>
    /// rd12: whole-disk FAT12 (4 MiB); rd16: MBR with FAT16 (40 MiB) and FAT12 (2 MiB) partitions;
    /// rd32: GPT with a FAT32 partition (100 MiB, 1 KiB clusters) holding a 64 MiB file.
    /// </summary>
    public static void MakeReadDisks(FatImageWorkspace tools, StorageScenario scenario)
    {
        string rd12 = tools.NewImage("rd12.img", 4 * MiB);
        FatVolume fat12 = tools.Format(rd12, 12, 0, 4 * SectorsPerMiB, "READ12");
        var tree12 = new FileTree();
        foreach (string text in new[]
        {
            "/README.TXT", "/Grüße – 日本.txt", "/dir with space/a name with  two spaces.txt",
            "/case/lower/readme.txt", "/case/Mixed/ReadMe.txt", "/case/UPPER/README.TXT",
            DeepPath("level-", 14) + "/leaf.txt",
        })
        {
            tree12.AddText(text);
        }

        tree12.AddFile("/empty.txt", []);
        foreach (int size in new[] { 1, 511, 512, 513, 2047, 2048, 2049, 4096, 4097, 10000 })
        {
            tree12.AddPattern($"/sizes/s{size}.bin", (uint)size, size);
        }

        tools.Populate(fat12, tree12);
        var volume12 = new ScenarioVolume("rd12", 0, fat12, tree12);
        Fragment(tools, volume12, fillers: 10, fillerClusters: 4, seed: 12, length: 24000);
        scenario.Disks.Add(new ScenarioDisk("rd12", rd12));
        scenario.Volumes.Add(volume12);

        string rd16 = tools.NewImage("rd16.img", 48 * MiB);
        tools.PartitionMbr(rd16, (2048, 40 * SectorsPerMiB, "6"), (42 * SectorsPerMiB, 2 * SectorsPerMiB, "1"));
        FatVolume fat16 = tools.Format(rd16, 16, 2048, 40 * SectorsPerMiB, "READ16");
        FatVolume fat16p2 = tools.Format(rd16, 12, 42 * SectorsPerMiB, 2 * SectorsPerMiB, "READ16P2");
        var tree16 = new FileTree();
        foreach (string text in new[] { "/unicode/Ελληνικά.txt", "/unicode/Русский текст.txt", "/unicode/中文文件名.txt", "/unicode/Grüße – 日本.txt" })
        {
            tree16.AddText(text);
        }

        for (int i = 0; i < 1000; i++)
        {
            tree16.AddText("/many/" + i.ToString("D4", CultureInfo.InvariantCulture) + " small file.txt");
        }

        tools.Populate(fat16, tree16);
        var volume16 = new ScenarioVolume("rd16", 1, fat16, tree16);
        Fragment(tools, volume16, fillers: 20, fillerClusters: 16, seed: 16, length: 300000);
        var tree16p2 = new FileTree();
        tree16p2.AddText("/hello.txt");
        tools.Populate(fat16p2, tree16p2);
        scenario.Disks.Add(new ScenarioDisk("rd16", rd16));
        scenario.Volumes.Add(volume16);
        scenario.Volumes.Add(new ScenarioVolume("rd16", 2, fat16p2, tree16p2));

        string rd32 = tools.NewImage("rd32.img", 102 * MiB);
        tools.PartitionGpt(rd32, (2048, 100 * SectorsPerMiB));
        FatVolume fat32 = tools.Format(rd32, 32, 2048, 100 * SectorsPerMiB, "READ32", "-s", "2");
        var tree32 = new FileTree();
        tree32.AddPattern("/big/big.bin", 64, (int)(64 * MiB));
        tree32.AddText("/long/Long name " + string.Concat(Enumerable.Repeat("0123456789", 19)) + ".txt");
        tree32.AddText(DeepPath("d", 16) + "/leaf.txt");
        tree32.AddText("/Grüße – 日本.txt");
        tree32.AddDirectory("/emptydir");
        tools.Populate(fat32, tree32);
        scenario.Disks.Add(new ScenarioDisk("rd32", rd32));
        scenario.Volumes.Add(new ScenarioVolume("rd32", 1, fat32, tree32));
    }

    // Real fragmentation made by mtools: fillers written in a row, every second one deleted, then a
    // file larger than one hole written into the holes. mshowfat records where it went.
    private static void Fragment(FatImageWorkspace tools, ScenarioVolume volume, int fillers, int fillerClusters, uint seed, int length)
    {
        int clusterBytes = FatImageWorkspace.ReadLayout(volume.Volume).BytesPerCluster;
        tools.MakeDirectory(volume.Volume, "/frag");
        volume.Expected.AddDirectory("/frag");
        for (int i = 1; i <= fillers; i++)
        {
            string filler = $"/frag/filler-{i:D2}.bin";
            byte[] content = StorageContent.Pattern((uint)(100 + i), fillerClusters * clusterBytes - 100);
            tools.Copy(volume.Volume, filler, content);
            if (i % 2 == 1)
            {
                volume.Expected.AddFile(filler, content);
            }
        }

        tools.Delete(volume.Volume, Enumerable.Range(1, fillers).Where(i => i % 2 == 0).Select(i => $"/frag/filler-{i:D2}.bin").ToArray());
        volume.Expected.AddPattern("/frag/fragmented.bin", seed, length);
        tools.Copy(volume.Volume, "/frag/fragmented.bin", volume.Expected.Files["/frag/fragmented.bin"]);
        volume.Fragmented = ("/frag/fragmented.bin", tools.ClusterRuns(volume.Volume, "/frag/fragmented.bin"));
    }

    private static string DeepPath(string prefix, int levels)
    {
        var builder = new StringBuilder("/deep");
        for (int level = 1; level <= levels; level++)
        {
            builder.Append('/').Append(prefix).Append(level.ToString("D2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    // ---- scenario=write ------------------------------------------------------------------------

    /// <summary>wr12: whole-disk FAT12 (4 MiB); wr16: FAT16 in an MBR partition (32 MiB); wr32: FAT32 in a GPT partition (40 MiB).</summary>
    public static void MakeWriteDisks(FatImageWorkspace tools, StorageScenario scenario)
    {
        string wr12 = tools.NewImage("wr12.img", 4 * MiB);
        AddWriteVolume(tools, scenario, "wr12", 0, tools.Format(wr12, 12, 0, 4 * SectorsPerMiB, "WRITE12"));
        scenario.Disks.Add(new ScenarioDisk("wr12", wr12));

        string wr16 = tools.NewImage("wr16.img", 34 * MiB);
        tools.PartitionMbr(wr16, (2048, 32 * SectorsPerMiB, "6"));
        AddWriteVolume(tools, scenario, "wr16", 1, tools.Format(wr16, 16, 2048, 32 * SectorsPerMiB, "WRITE16"));
        scenario.Disks.Add(new ScenarioDisk("wr16", wr16));

        string wr32 = tools.NewImage("wr32.img", 42 * MiB);
        tools.PartitionGpt(wr32, (2048, 40 * SectorsPerMiB));
        AddWriteVolume(tools, scenario, "wr32", 1, tools.Format(wr32, 32, 2048, 40 * SectorsPerMiB, "WRITE32", "-s", "1"));
        scenario.Disks.Add(new ScenarioDisk("wr32", wr32));
    }

    private static void AddWriteVolume(FatImageWorkspace tools, StorageScenario scenario, string serial, int partition, FatVolume volume)
    {
        FileTree initial = WriteScript.Initial();
        tools.Populate(volume, initial);
        scenario.Volumes.Add(new ScenarioVolume(serial, partition, volume, WriteScript.Expected(initial)));
    }

    /// <summary>After the write boot: fsck.fat -n, mcopy -s and mdir -/ on every volume.</summary>
    public static void ExamineWrittenVolumes(FatImageWorkspace tools, StorageScenario scenario)
    {
        foreach (ScenarioVolume volume in scenario.Volumes)
        {
            volume.Examine("fsck.fat -n", () => volume.Fsck = tools.Check(volume.Volume));
            volume.Examine("mcopy -s", () => volume.ReadBack = tools.Extract(volume.Volume));
            volume.Examine("mdir -/ -b -a", () => volume.BareListing = tools.BareListing(volume.Volume));
        }
    }

    // ---- scenario=corrupt ----------------------------------------------------------------------

    /// <summary>Cluster numbers the chains image points past its end (CorruptChecks in the kernel uses the same).</summary>
    public const ushort PastEndCluster = 65000, OutsideFileCluster = 65001, OutsideDirectoryCluster = 65002;

    /// <summary>
    /// bad-bpb: FAT16 with BPB_BytsPerSec 300; truncated: FAT32 cut to half; chains: FAT16 whose
    /// LOOP.BIN loops, PASTEND.BIN links past the end, OUTSIDE.BIN starts past the end, LOOPDIR's
    /// cluster links to itself and BADDIR starts past the end; GOOD.TXT is intact.
    /// </summary>
    public static void MakeCorruptDisks(FatImageWorkspace tools, StorageScenario scenario)
    {
        var good = new FileTree();
        good.AddText("/GOOD.TXT");

        string badBpb = tools.NewImage("bad-bpb.img", 32 * MiB);
        tools.Populate(tools.Format(badBpb, 16, 0, 32 * SectorsPerMiB, "BADBPB"), good);
        FatImageWorkspace.WriteBytes(badBpb, 11, [0x2C, 0x01]);
        scenario.Disks.Add(new ScenarioDisk("bad-bpb", badBpb));

        string truncated = tools.NewImage("truncated.img", 40 * MiB);
        tools.Populate(tools.Format(truncated, 32, 0, 40 * SectorsPerMiB, "TRUNC", "-s", "1"), good);
        using (FileStream file = new(truncated, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(20 * MiB);
        }

        scenario.Disks.Add(new ScenarioDisk("truncated", truncated));

        string chains = tools.NewImage("chains.img", 32 * MiB);
        FatVolume volume = tools.Format(chains, 16, 0, 32 * SectorsPerMiB, "CHAINS");
        FatLayout layout = FatImageWorkspace.ReadLayout(volume);
        if (layout.ClusterCount + 1 >= PastEndCluster)
        {
            throw new InvalidOperationException($"the chains volume has {layout.ClusterCount} clusters; cluster {PastEndCluster} must lie past its end");
        }

        var tree = new FileTree();
        tree.AddText("/GOOD.TXT");
        tree.AddPattern("/LOOP.BIN", 21, 3 * layout.BytesPerCluster);
        tree.AddPattern("/PASTEND.BIN", 22, 3 * layout.BytesPerCluster);
        tree.AddPattern("/OUTSIDE.BIN", 23, 2 * layout.BytesPerCluster);
        tree.AddText("/LOOPDIR/INNER.TXT");
        tree.AddText("/BADDIR/INNER.TXT");
        tools.Populate(volume, tree);

        (uint loopFirst, uint loopLast) = SingleRun(tools, volume, "/LOOP.BIN", 3);
        FatImageWorkspace.PatchFatEntry(volume, loopLast, (ushort)loopFirst);
        (uint pastFirst, _) = SingleRun(tools, volume, "/PASTEND.BIN", 3);
        FatImageWorkspace.PatchFatEntry(volume, pastFirst, PastEndCluster);
        FatImageWorkspace.PatchRootEntryCluster(volume, "OUTSIDE.BIN", OutsideFileCluster);
        uint loopDirectory = FatImageWorkspace.RootEntryCluster(volume, "LOOPDIR");
        FatImageWorkspace.PatchFatEntry(volume, loopDirectory, (ushort)loopDirectory);
        FatImageWorkspace.PatchRootEntryCluster(volume, "BADDIR", OutsideDirectoryCluster);
        scenario.Disks.Add(new ScenarioDisk("chains", chains));
        scenario.Volumes.Add(new ScenarioVolume("chains", 0, volume, tree));
    }

    private static (uint First, uint Last) SingleRun(FatImageWorkspace tools, FatVolume volume, string path, int clusters)
    {
        List<(uint First, uint Last)> runs = tools.ClusterRuns(volume, path);
        if (runs.Count != 1 || runs[0].Last - runs[0].First + 1 != clusters)
        {
            throw new InvalidOperationException($"{path}: expected one run of {clusters} clusters, mshowfat says {string.Join(' ', runs)}");
        }

        return runs[0];
    }

    // ---- scenario=readonly ---------------------------------------------------------------------

    /// <summary>ro: whole-disk FAT16 (32 MiB) with /keep.txt, /dir/inner.txt and the empty /dir/sub, attached readonly=on.</summary>
    public static void MakeReadOnlyDisk(FatImageWorkspace tools, StorageScenario scenario)
    {
        string image = tools.NewImage("ro.img", 32 * MiB);
        FatVolume volume = tools.Format(image, 16, 0, 32 * SectorsPerMiB, "READONLY");
        var tree = new FileTree();
        tree.AddText("/keep.txt");
        tree.AddText("/dir/inner.txt");
        tree.AddDirectory("/dir/sub");
        tools.Populate(volume, tree);
        scenario.Disks.Add(new ScenarioDisk("ro", image, readOnly: true));
        scenario.Volumes.Add(new ScenarioVolume("ro", 0, volume, tree));
    }
}
