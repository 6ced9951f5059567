using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>One disk the StorageTests kernel is given: an image file, the serial it is found by, read-only or not.</summary>
internal sealed class ScenarioDisk(string serial, string image, bool readOnly = false)
{
    public string Serial { get; } = serial;

    public string Image { get; } = image;

    public bool ReadOnly { get; } = readOnly;

    public string? Sha256Before { get; set; }

    public string? Sha256After { get; set; }
}

/// <summary>
/// One FAT volume of a scenario: where it is, what the host put there (or, for the write scenario,
/// what the kernel's steps must leave), and what the host's tools found on it after the boot.
/// </summary>
internal sealed class ScenarioVolume(string serial, int partition, FatVolume volume, FileTree expected)
{
    public string Serial { get; } = serial;

    /// <summary>The partition number, 0 for a whole disk.</summary>
    public int Partition { get; } = partition;

    /// <summary>"rd12" for a whole disk, "rd16p1" for a partition.</summary>
    public string Key => Partition == 0 ? Serial : Serial + "p" + Partition.ToString(CultureInfo.InvariantCulture);

    public FatVolume Volume { get; } = volume;

    public FileTree Expected { get; } = expected;

    /// <summary>The fragmented file and its cluster runs as mshowfat saw them when the host made it.</summary>
    public (string Path, List<(uint First, uint Last)> Runs)? Fragmented { get; set; }

    /// <summary>After the boot: everything mcopy -s copied out.</summary>
    public FileTree? ReadBack { get; set; }

    /// <summary>After the boot: mdir -/ -b -a.</summary>
    public SortedSet<string>? BareListing { get; set; }

    /// <summary>After the boot: fsck.fat -n.</summary>
    public FsckResult? Fsck { get; set; }

    /// <summary>Why a tool could not examine the volume after the boot, by what was wanted ("mcopy -s"), if it could not.</summary>
    public Dictionary<string, string> ExamineErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs one examination; a tool that fails is recorded against this volume alone.</summary>
    public void Examine(string what, Action examine)
    {
        try
        {
            examine();
        }
        catch (Exception error)
        {
            ExamineErrors[what] = error.Message;
        }
    }

    /// <summary>Returns <paramref name="evidence"/>, or fails saying why the tool could not produce it.</summary>
    public T Evidence<T>(string what, T? evidence)
        where T : class =>
        evidence ?? throw new Xunit.Sdk.XunitException(
            ExamineErrors.TryGetValue(what, out string? error) ? $"{what} on {Key} failed: {error}" : $"{what} was not run on {Key}");
}

/// <summary>
/// A StorageTests boot and everything around it: the images made on the host, the kernel's report
/// and listing, and the host's view of the images after it. Made once per scenario; the images
/// are deleted before the tests look at the evidence.
/// </summary>
internal sealed class StorageScenario
{
    private const string KernelName = "StorageTests";

    private StorageScenario(string name) => Name = name;

    public string Name { get; }

    public List<ScenarioDisk> Disks { get; } = new();

    public List<ScenarioVolume> Volumes { get; } = new();

    /// <summary>Why the kernel was not booted (images, build or QEMU), or null.</summary>
    public string? StartFailure { get; private set; }

    /// <summary>Why the host could not examine the images after the boot, or null.</summary>
    public string? AfterBootFailure { get; private set; }

    public QemuRun? Boot { get; private set; }

    /// <summary>How long making the images took.</summary>
    public TimeSpan ImagesElapsed { get; private set; }

    public TestKernelRun? Kernel { get; private set; }

    public Dictionary<(string Serial, int Partition), KernelVolume> Listing { get; private set; } = new();

    public ScenarioVolume Volume(string key) =>
        Volumes.FirstOrDefault(v => v.Key == key) ?? throw new ArgumentException($"scenario {Name} has no volume {key}", nameof(key));

    public ScenarioDisk Disk(string serial) =>
        Disks.FirstOrDefault(d => d.Serial == serial) ?? throw new ArgumentException($"scenario {Name} has no disk {serial}", nameof(serial));

    /// <summary>
    /// Makes the images with <paramref name="make"/>, boots the kernel with <c>scenario=</c><paramref name="name"/>
    /// and every disk on virtio-blk (or, with <paramref name="onAhci"/>, on an AHCI controller), then lets <paramref name="afterBoot"/> examine the images.
    /// </summary>
    public static StorageScenario Run(string name, TimeSpan timeout, Action<FatImageWorkspace, StorageScenario> make,
        Action<FatImageWorkspace, StorageScenario>? afterBoot = null, bool onAhci = false)
    {
        var scenario = new StorageScenario(name);
        using var workspace = new FatImageWorkspace("storage-" + name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            make(workspace, scenario);
            scenario.ImagesElapsed = clock.Elapsed;
        }
        catch (Exception error)
        {
            scenario.StartFailure = $"making the {name} images failed: {error}";
            return scenario;
        }

        if (!ProcessRunner.IsOnPath(Qemu.Executable))
        {
            scenario.StartFailure = $"{Qemu.Executable} is not on PATH; install Debian's qemu-system-x86 package";
            return scenario;
        }

        KernelBuildResult build = KernelBuild.Get(KernelName);
        if (!build.Succeeded)
        {
            scenario.StartFailure = build.FailureDescription;
            return scenario;
        }

        var arguments = new List<string>();
        if (onAhci)
        {
            // QEMU's ich9-ahci has six ports, one drive each; the scenario's disks go on ports 0.. in order.
            arguments.AddRange(["-device", "ahci,id=ahci"]);
        }

        for (int i = 0; i < scenario.Disks.Count; i++)
        {
            ScenarioDisk disk = scenario.Disks[i];
            disk.Sha256Before = FatImageWorkspace.Sha256OfFile(disk.Image);
            arguments.AddRange([
                "-drive", $"file={disk.Image},if=none,id=d{i},format=raw{(disk.ReadOnly ? ",readonly=on" : "")}",
                "-device", onAhci ? $"ide-hd,drive=d{i},bus=ahci.{i},serial={disk.Serial}" : $"virtio-blk-pci,drive=d{i},serial={disk.Serial}",
            ]);
        }

        scenario.Boot = Qemu.Boot(KernelName, build.KernelElf, "scenario=" + name, timeout, arguments);
        scenario.Kernel = TestKernelRun.FromBoot(KernelName, scenario.Boot);
        scenario.Listing = KernelVolumeListing.Parse(scenario.Boot.Serial);
        foreach (ScenarioDisk disk in scenario.Disks)
        {
            disk.Sha256After = FatImageWorkspace.Sha256OfFile(disk.Image);
        }

        try
        {
            afterBoot?.Invoke(workspace, scenario);
        }
        catch (Exception error)
        {
            scenario.AfterBootFailure = $"examining the {name} images after the boot failed: {error}";
        }

        return scenario;
    }

    /// <summary>Names of the kernel's checks (or one placeholder when it never booted).</summary>
    public IReadOnlyList<string> CaseNames() => Kernel == null ? ["(not-booted)"] : Kernel.CaseNames();

    /// <summary>Throws the start failure, if any, for tests that need the boot.</summary>
    public void EnsureBooted()
    {
        if (StartFailure != null)
        {
            throw new Xunit.Sdk.XunitException(StartFailure);
        }
    }

    /// <summary>Throws the start or after-boot failure, if any, for tests that need the host's evidence.</summary>
    public void EnsureExamined()
    {
        EnsureBooted();
        if (AfterBootFailure != null)
        {
            throw new Xunit.Sdk.XunitException(AfterBootFailure);
        }
    }

    /// <summary>The last serial lines, for messages.</summary>
    public string Summary() => Boot?.Summary(15) ?? StartFailure ?? "";
}
