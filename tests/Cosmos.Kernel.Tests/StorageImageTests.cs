using System;
using System.Collections.Generic;
using System.Linq;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// Issue 4's tests from real images: FAT12/16/32 disks made on the host by mkfs.fat, mtools,
/// sfdisk and sgdisk (never by Cosmos code) and given to the StorageTests kernel on virtio-blk.
/// <list type="bullet">
/// <item>read: every file's SHA-256 as the kernel read it through System.IO equals the host's; Unicode,
/// spaces, letter case, 14 and 16 levels deep, 1,000 files in a directory, mtools-fragmented files,
/// a 64 MiB file, MBR and GPT partitions.</item>
/// <item>write: the kernel changes three volumes through System.IO; fsck.fat -n is clean and mtools
/// reads back exactly the tree the steps must leave, which is also what the kernel lists.</item>
/// <item>corrupt: patched images give errors naming the problem, and the kernel goes on.</item>
/// <item>readonly: a readonly=on disk refuses every change and its image is unchanged.</item>
/// </list>
/// Each scenario makes its images, boots once and examines the images afterwards; every kernel
/// check is one xunit case, and the host's comparisons are facts of their own.
/// </summary>
public sealed class StorageImageTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, Lazy<StorageScenario>> Scenarios = new()
    {
        ["read"] = new(() => StorageScenario.Run("read", TimeSpan.FromMinutes(4), StorageScenarioImages.MakeReadDisks)),
        ["write"] = new(() => StorageScenario.Run("write", TimeSpan.FromMinutes(4), StorageScenarioImages.MakeWriteDisks,
            StorageScenarioImages.ExamineWrittenVolumes)),
        ["corrupt"] = new(() => StorageScenario.Run("corrupt", TimeSpan.FromSeconds(90), StorageScenarioImages.MakeCorruptDisks)),
        ["readonly"] = new(() => StorageScenario.Run("readonly", TimeSpan.FromSeconds(90), StorageScenarioImages.MakeReadOnlyDisk)),
        // The same read and write checks on the fallback driver: disks on QEMU's AHCI controller, no virtio-blk.
        ["ahci-read"] = new(() => StorageScenario.Run("ahci-read", TimeSpan.FromMinutes(4), StorageScenarioImages.MakeReadDisks, onAhci: true)),
        ["ahci-write"] = new(() => StorageScenario.Run("ahci-write", TimeSpan.FromMinutes(4), StorageScenarioImages.MakeWriteDisks,
            StorageScenarioImages.ExamineWrittenVolumes, onAhci: true)),
    };

    /// <summary>Every (scenario, check) the kernel planned; images are made and the kernel booted at discovery.</summary>
    public static TheoryData<string, string> Checks
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach ((string scenario, Lazy<StorageScenario> run) in Scenarios)
            {
                foreach (string name in run.Value.CaseNames())
                {
                    data.Add(scenario, name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Check(string scenario, string name)
    {
        StorageScenario run = Scenarios[scenario].Value;
        run.EnsureBooted();
        run.Kernel!.AssertCheckPassed(name);
    }

    [Theory]
    [InlineData("read")]
    [InlineData("write")]
    [InlineData("corrupt")]
    [InlineData("readonly")]
    [InlineData("ahci-read")]
    [InlineData("ahci-write")]
    public void RanToCompletion(string scenario)
    {
        StorageScenario run = Scenarios[scenario].Value;
        run.EnsureBooted();
        output.WriteLine($"{scenario}: images made in {run.ImagesElapsed.TotalSeconds:F1} s, boot took {run.Boot!.Elapsed.TotalSeconds:F1} s");
        run.Kernel!.AssertRanToCompletion();
    }

    [Theory]
    [InlineData("rd12")]
    [InlineData("rd16p1")]
    [InlineData("rd16p2")]
    [InlineData("rd32p1")]
    public void KernelReadsEveryFileAsTheHostWroteIt(string volume) => AssertKernelListing("read", volume);

    [Theory]
    [InlineData("rd12")]
    [InlineData("rd16p1")]
    [InlineData("rd16p2")]
    [InlineData("rd32p1")]
    public void KernelReadsEveryFileOnAhciAsTheHostWroteIt(string volume) => AssertKernelListing("ahci-read", volume);

    [Theory]
    [InlineData("rd12")]
    [InlineData("rd16p1")]
    public void HostFragmentedTheFileForReal(string volume)
    {
        StorageScenario run = Scenarios["read"].Value;
        run.EnsureBooted();
        (string path, List<(uint First, uint Last)> runs) = run.Volume(volume).Fragmented!.Value;
        Assert.True(runs.Count >= 2, $"mshowfat shows {path} on {volume} in {runs.Count} run(s): {string.Join(' ', runs)}");
    }

    [Theory]
    [InlineData("write", "wr12")]
    [InlineData("write", "wr16p1")]
    [InlineData("write", "wr32p1")]
    [InlineData("ahci-write", "wr12")]
    [InlineData("ahci-write", "wr16p1")]
    [InlineData("ahci-write", "wr32p1")]
    public void FsckFindsTheWrittenVolumeClean(string scenario, string volume)
    {
        StorageScenario run = Scenarios[scenario].Value;
        run.EnsureExamined();
        ScenarioVolume examined = run.Volume(volume);
        FsckResult fsck = examined.Evidence("fsck.fat -n", examined.Fsck);
        Assert.True(fsck.IsClean, $"fsck.fat -n on {volume} exited {fsck.ExitCode}:\n{fsck.Output}");
    }

    [Theory]
    [InlineData("write", "wr12")]
    [InlineData("write", "wr16p1")]
    [InlineData("write", "wr32p1")]
    [InlineData("ahci-write", "wr12")]
    [InlineData("ahci-write", "wr16p1")]
    [InlineData("ahci-write", "wr32p1")]
    public void MtoolsReadsBackWhatTheKernelWrote(string scenario, string volume)
    {
        StorageScenario run = Scenarios[scenario].Value;
        run.EnsureExamined();
        ScenarioVolume examined = run.Volume(volume);
        List<string> differences = examined.Expected.DifferencesFrom(examined.Evidence("mcopy -s", examined.ReadBack));
        Assert.True(differences.Count == 0,
            $"mcopy -s of {volume} differs from what the kernel's steps must leave:\n{string.Join('\n', differences.Take(40))}\n{run.Summary()}");
    }

    [Theory]
    [InlineData("wr12")]
    [InlineData("wr16p1")]
    [InlineData("wr32p1")]
    public void MdirListsExactlyTheExpectedNames(string volume)
    {
        StorageScenario run = Scenarios["write"].Value;
        run.EnsureExamined();
        ScenarioVolume examined = run.Volume(volume);
        var expected = new SortedSet<string>(examined.Expected.Directories.Select(d => d + "/").Concat(examined.Expected.Files.Keys), StringComparer.Ordinal);
        SortedSet<string> listed = examined.Evidence("mdir -/ -b -a", examined.BareListing);
        string missing = string.Join('\n', expected.Except(listed).Take(20));
        string extra = string.Join('\n', listed.Except(expected).Take(20));
        Assert.True(missing.Length == 0 && extra.Length == 0, $"mdir -/ -b of {volume}:\nmissing:\n{missing}\nunexpected:\n{extra}");
    }

    [Theory]
    [InlineData("wr12")]
    [InlineData("wr16p1")]
    [InlineData("wr32p1")]
    public void KernelListsAfterWritingWhatMtoolsReadsBack(string volume)
    {
        StorageScenario run = Scenarios["write"].Value;
        run.EnsureExamined();
        ScenarioVolume examined = run.Volume(volume);
        FileTree readBack = examined.Evidence("mcopy -s", examined.ReadBack);
        KernelVolume listed = KernelVolumeFor(run, examined);
        List<string> differences = FileTree.Differences(readBack.Directories, readBack.Hashes(), listed.Directories, listed.Files);
        Assert.True(differences.Count == 0,
            $"the kernel's listing of {volume} differs from mcopy -s (expected: mtools, got: kernel):\n{string.Join('\n', differences.Take(40))}");
    }

    [Fact]
    public void KernelListsTheReadOnlyVolume() => AssertKernelListing("readonly", "ro");

    [Fact]
    public void ReadOnlyImageIsUnchanged() => AssertImagesUnchanged("readonly");

    [Fact]
    public void CorruptImagesAreUnchangedByReading() => AssertImagesUnchanged("corrupt");

    private static void AssertKernelListing(string scenario, string volume)
    {
        StorageScenario run = Scenarios[scenario].Value;
        run.EnsureBooted();
        ScenarioVolume examined = run.Volume(volume);
        KernelVolume listed = KernelVolumeFor(run, examined);
        List<string> differences = examined.Expected.DifferencesFrom(listed);
        Assert.True(differences.Count == 0,
            $"the kernel's listing of {volume} differs from what the host wrote (expected: host, got: kernel):\n{string.Join('\n', differences.Take(40))}");
    }

    private static KernelVolume KernelVolumeFor(StorageScenario run, ScenarioVolume volume)
    {
        Assert.True(run.Listing.TryGetValue((volume.Serial, volume.Partition), out KernelVolume? listed),
            $"the kernel printed no #MOUNT for {volume.Key}; volumes listed: {string.Join(", ", run.Listing.Keys)}\n{run.Summary()}");
        Assert.True(listed!.Listed.HasValue, $"the kernel's listing of {volume.Key} ({listed.MountPath}) did not finish (no #LISTED)\n{run.Summary()}");
        Assert.Equal((listed.Directories.Count, listed.Files.Count), listed.Listed!.Value);
        return listed;
    }

    private static void AssertImagesUnchanged(string scenario)
    {
        StorageScenario run = Scenarios[scenario].Value;
        run.EnsureBooted();
        int planned = run.Kernel!.Report.PlannedCount ?? 0;
        Assert.True(planned > 0 && run.Kernel.Report.Results.Count == planned,
            $"the {scenario} boot reported {run.Kernel.Report.Results.Count} of {planned} checks, so it did not try every change\n{run.Summary()}");
        foreach (ScenarioDisk disk in run.Disks)
        {
            Assert.True(disk.Sha256After == disk.Sha256Before,
                $"the image of disk {disk.Serial} changed during the {scenario} boot: sha256 {disk.Sha256Before} before, {disk.Sha256After} after");
        }
    }
}
