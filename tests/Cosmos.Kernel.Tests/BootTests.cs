using System;
using System.IO;
using System.Text.RegularExpressions;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// CosmosKernel itself: it boots through PVH (-kernel), through GRUB from the ISO under SeaBIOS
/// and under OVMF (UEFI), its boot transcript matches the golden log with timings masked, and
/// its shell answers commands typed on the serial console.
/// </summary>
public sealed class BootTests
{
    private const string Prompt = "cosmos> ";
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(120);

    private static KernelBuildResult CosmosKernel()
    {
        KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
        build.EnsureSucceeded();
        return build;
    }

    /// <summary>Boots CosmosKernel (PVH) with <paramref name="image"/> as a virtio-blk disk.</summary>
    private static QemuSession BootWithDisk(string description, string image, bool readOnly, params string[] extra)
    {
        var arguments = new System.Collections.Generic.List<string>
        {
            "-kernel", CosmosKernel().KernelElf,
            "-drive", $"file={image},if=none,id=d0,format=raw{(readOnly ? ",readonly=on" : "")}", "-device", "virtio-blk-pci,drive=d0",
        };
        arguments.AddRange(extra);
        return QemuSession.Start(description, arguments, Lifetime);
    }

    /// <summary>The transcript with what changes from boot to boot masked.</summary>
    internal static string MaskTimings(string transcript) =>
        Regex.Replace(transcript, @"Ready in \d+ ms", "Ready in <ms> ms");

    [Fact]
    public void PvhBootTranscriptMatchesTheGoldenLog()
    {
        using QemuSession session = QemuSession.Start("CosmosKernel (PVH)", ["-kernel", CosmosKernel().KernelElf], Lifetime);
        int end = session.WaitFor(Prompt);
        string transcript = MaskTimings(session.Serial[..end]);
        string goldenPath = Path.Combine(RepositoryPaths.Root, "tests", "golden", "boot-pvh.log");
        if (Environment.GetEnvironmentVariable("COSMOS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(goldenPath, transcript);
        }

        Assert.True(File.Exists(goldenPath), $"no golden log at {goldenPath}; run with COSMOS_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(goldenPath), transcript);
    }

    [Fact]
    public void IsoBootsThroughGrubUnderBios()
    {
        string iso = Path.Combine(Path.GetDirectoryName(CosmosKernel().KernelElf)!, "kernel.iso");
        using QemuSession session = QemuSession.Start("CosmosKernel ISO (SeaBIOS)", ["-cdrom", iso], Lifetime);
        int ready = session.WaitFor(Prompt);
        Assert.Contains("Booted via Multiboot2 (GRUB", session.Serial);
        // No GPU here (QEMU's standard VGA): GRUB's framebuffer, which the kernel asked for, carries the screen.
        session.TypeLine("lsdev");
        session.WaitFor(Prompt, ready);
        Assert.Matches(@"fb0\s+\S*.*(firmware|framebuffer)", session.Serial[ready..]);
    }

    [Fact]
    public void IsoBootsThroughGrubUnderUefi()
    {
        const string firmware = "/usr/share/ovmf/OVMF.fd";
        Assert.True(File.Exists(firmware), $"OVMF firmware missing at {firmware} (./cosmos setup installs ovmf)");
        string iso = Path.Combine(Path.GetDirectoryName(CosmosKernel().KernelElf)!, "kernel.iso");
        using QemuSession session = QemuSession.Start("CosmosKernel ISO (OVMF)", ["-bios", firmware, "-cdrom", iso], TimeSpan.FromSeconds(180));
        int ready = session.WaitFor(Prompt);
        Assert.Contains("Booted via Multiboot2 (GRUB", session.Serial);
        session.TypeLine("lsdev");
        session.WaitFor(Prompt, ready);
        Assert.Matches(@"fb0\s+\S*.*(firmware|framebuffer)", session.Serial[ready..]);     // GOP's framebuffer through GRUB
    }

    [Fact]
    public void ShellAnswersCommandsAndShutsDown()
    {
        string image = Path.Combine(Path.GetTempPath(), $"cosmos-shell-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(image, new byte[1 << 20]);
        try
        {
            RunShellSession(image);
        }
        finally
        {
            File.Delete(image);
        }
    }

    private static void RunShellSession(string image)
    {
        using QemuSession session = BootWithDisk("CosmosKernel shell", image, readOnly: false, "-device", "virtio-keyboard-pci");
        int at = session.WaitFor(Prompt);

        session.TypeLine("lsdev");
        at = session.WaitFor("vda      Block    virtio-blk     MsiX    pci-modern 0000:00:", at);
        at = session.WaitFor("kbd0     Input    virtio-input", at);
        at = session.WaitFor(Prompt, at);

        session.TypeLine("lspci");
        at = session.WaitFor("1af4:1001 [010000] Mass storage controller / SCSI storage controller rev 00  driver: virtio\n    BARs 0:io 0x", at);
        at = session.WaitFor("1af4:1052", at);
        at = session.WaitFor(Prompt, at);

        session.TypeLine("echo \"hello   world\" again");
        at = session.WaitFor("hello   world again\n", at);
        at = session.WaitFor(Prompt, at);

        session.TypeLine("help");
        foreach (string command in new[] { "echo", "help", "lsdev", "lspci", "mem", "reboot", "shutdown", "uptime" })
        {
            session.WaitFor("  " + command + " ", at);
        }

        at = session.WaitFor(Prompt, at);
        session.TypeLine("frobnicate");
        at = session.WaitFor("frobnicate: command not found", at);
        at = session.WaitFor(Prompt, at);

        session.TypeLine("mem");
        at = session.WaitFor("physical: ", at);
        at = session.WaitFor("heap:", at);
        at = session.WaitFor(Prompt, at);

        session.TypeLine("shutdown");
        session.WaitFor("Powering off.", at);
        Assert.Equal(0, session.WaitForExit(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void UptimeShowsTheClockAndTheTimeSinceBoot()
    {
        DateTime started = DateTime.UtcNow;
        using QemuSession session = QemuSession.Start("CosmosKernel uptime", ["-kernel", CosmosKernel().KernelElf], Lifetime);
        int at = session.WaitFor(Prompt);

        // procps' format without users and load: " HH:MM:SS up [N day(s), ]{H:MM | M min}".
        session.TypeLine("uptime");
        int end = session.WaitFor(Prompt, at);
        DateTime now = DateTime.UtcNow;
        string output = session.Serial[at..end];
        Match classic = Regex.Match(output, @"^ (\d\d):(\d\d):(\d\d) up (?:\d+ days?, )?(?:[ \d]\d:\d\d|\d+ min)$", RegexOptions.Multiline);
        Assert.True(classic.Success, $"uptime printed:\n{output}");
        if (now - started < TimeSpan.FromSeconds(55))
        {
            Assert.EndsWith(" up 0 min", classic.Value);
        }

        // The time of day is the host's (QEMU's RTC starts from it; local time is UTC), within 10 s.
        var kernelTime = new TimeSpan(int.Parse(classic.Groups[1].Value), int.Parse(classic.Groups[2].Value), int.Parse(classic.Groups[3].Value));
        double apart = Math.Abs((now.TimeOfDay - kernelTime).TotalSeconds);
        apart = Math.Min(apart, TimeSpan.FromDays(1).TotalSeconds - apart);
        Assert.True(apart <= 10, $"the kernel's time of day {kernelTime} is {apart:F0} s from the host's {now.TimeOfDay:hh\\:mm\\:ss}");

        // -s: the moment it booted, between QEMU's start and now (each within 10 s).
        session.TypeLine("uptime -s");
        at = end;
        end = session.WaitFor(Prompt, at);
        output = session.Serial[at..end];
        Match since = Regex.Match(output, @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", RegexOptions.Multiline);
        Assert.True(since.Success, $"uptime -s printed:\n{output}");
        DateTime booted = DateTime.ParseExact(since.Value, "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(booted, started.AddSeconds(-10), DateTime.UtcNow.AddSeconds(10));

        // -p: pretty, in minutes at least.
        session.TypeLine("uptime -p");
        at = end;
        end = session.WaitFor(Prompt, at);
        output = session.Serial[at..end];
        Assert.Matches(new Regex(@"^up \d+ (?:week|day|hour|minute)s?(?:, \d+ (?:day|hour|minute)s?)*$", RegexOptions.Multiline), output);

        session.TypeLine("uptime --bogus");
        session.WaitFor("uptime: usage: uptime [-p|-s]", end);
    }

    [Fact]
    public void DefaultDiskIsMountedAndItsFilesRead()
    {
        string disk = Path.Combine(Path.GetDirectoryName(CosmosKernel().KernelElf)!, "disk.img");
        Assert.True(File.Exists(disk), $"the build made no default disk at {disk}");
        using QemuSession session = BootWithDisk("CosmosKernel with its default disk", disk, readOnly: true);
        int at = session.WaitFor(Prompt);
        session.TypeLine("mount");
        at = session.WaitFor("vda on /vda type fat32 (ro, label \"COSMOS\")", at);
        at = session.WaitFor(Prompt, at);
        session.TypeLine("cd /vda/samples");
        at = session.WaitFor(Prompt, at);
        session.TypeLine("ls");
        at = session.WaitFor("Long File Name Example.txt", at);
        at = session.WaitFor(Prompt, at);
        session.TypeLine("cat hello.txt ../README.TXT");
        at = session.WaitFor("Hello from a file on the CosmosKernel disk.\nCosmosKernel default disk", at);
        at = session.WaitFor(Prompt, at);
        session.TypeLine("cat missing.txt");
        at = session.WaitFor("cat: Could not find file '/vda/samples/missing.txt'", at);
        at = session.WaitFor(Prompt, at);
        session.TypeLine("write new.txt on a read-only disk");
        session.WaitFor("write: Read-only file system", at);
    }

    [Fact]
    public void ShellFileCommandsChangeTheDiskAsTheHostSeesIt()
    {
        string original = Path.Combine(Path.GetDirectoryName(CosmosKernel().KernelElf)!, "disk.img");
        string disk = Path.Combine(Path.GetTempPath(), $"cosmos-shell-files-{Guid.NewGuid():N}.img");
        File.Copy(original, disk);
        try
        {
            const string content = "Hello shell\nsecond line\n";
            string sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
            using (QemuSession session = BootWithDisk("CosmosKernel changing a copy of its disk", disk, readOnly: false))
            {
                int at = session.WaitFor(Prompt);
                foreach ((string command, string? expect) in new (string, string?)[]
                {
                    ("cd /vda", null),
                    ("mkdir -p work/deep", null),
                    ("write work/note.txt Hello shell", null),
                    ("write -a work/note.txt second line", null),
                    ("cat work/note.txt", "Hello shell\nsecond line\n"),
                    ("cp work/note.txt work/deep/copy.txt", null),
                    ("mv work/note.txt work/renamed.txt", null),
                    ("hexdump -n 5 work/renamed.txt", "00000000  48 65 6c 6c 6f"),
                    ("sha256 work/renamed.txt", sha256 + "  work/renamed.txt"),
                    ("rm work/deep", "rm: /vda/work/deep is a directory"),
                    ("rmdir work/deep", "Directory not empty"),
                    ("cp -r work copied", null),
                    ("ls copied/deep", "copy.txt"),
                    ("rm -r copied", null),
                    ("mkdir gone", null),
                    ("rmdir gone", null),
                    ("cat work/note.txt", "Could not find file '/vda/work/note.txt'"),
                    ("mkdir /vda/work", "mkdir: /vda/work: already exists"),
                    ("pwd", "/vda\n"),
                    ("cp work/renamed.txt", "cp: usage: cp [-r] SRC DEST\n"),
                    ("write", "write: usage: write [-a] FILE TEXT\n"),
                    ("sync", null),
                })
                {
                    session.TypeLine(command);
                    if (expect != null)
                    {
                        at = session.WaitFor(expect, at);
                    }

                    at = session.WaitFor(Prompt, at);
                }

                session.TypeLine("shutdown");
                session.WaitFor("Powering off.", at);
                Assert.Equal(0, session.WaitForExit(TimeSpan.FromSeconds(20)));
            }

            ProcessResult fsck = ProcessRunner.Run("/usr/sbin/fsck.fat", ["-n", disk], Path.GetTempPath(), TimeSpan.FromSeconds(60));
            Assert.True(fsck.ExitCode == 0, $"fsck.fat -n found damage:\n{fsck.StandardOutput}{fsck.StandardError}");
            Assert.Equal(content, Mtools("mtype", "-i", disk, "::/work/renamed.txt"));
            Assert.Equal(content, Mtools("mtype", "-i", disk, "::/work/deep/copy.txt"));
            string root = Mtools("mdir", "-i", disk, "-b", "::/");
            Assert.DoesNotContain("copied", root);
            Assert.DoesNotContain("gone", root);
            Assert.Equal("::/work/deep/\n::/work/renamed.txt\n", Mtools("mdir", "-i", disk, "-b", "::/work").Replace("\r", ""));
        }
        finally
        {
            File.Delete(disk);
        }
    }

    private static string Mtools(string tool, params string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(tool, arguments, Path.GetTempPath(), TimeSpan.FromSeconds(60),
            new System.Collections.Generic.Dictionary<string, string?> { ["MTOOLS_SKIP_CHECK"] = "1", ["LC_ALL"] = "C.UTF-8" });
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput;
    }

    [Fact]
    public void TemplateKernelBootsAndEchoesALine()
    {
        KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "templates", "MyKernel", "MyKernel.csproj"));
        build.EnsureSucceeded();
        using QemuSession session = QemuSession.Start("MyKernel template", ["-kernel", build.KernelElf], Lifetime);
        int at = session.WaitFor("Input: ");
        session.TypeLine("typed on the serial line");
        at = session.WaitFor("Text typed: typed on the serial line\n", at);
        session.WaitFor("Input: ", at);
    }
}
