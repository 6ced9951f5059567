using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// The ISO boots on every firmware, machine and medium a PC offers (issue 9, "boot everywhere"): SeaBIOS and
/// OVMF, QEMU's <c>pc</c> (PIIX, IDE) and <c>q35</c> (ICH9, AHCI: its <c>ide.N</c> buses are SATA ports), from a
/// CD-ROM drive and from the ISO written byte for byte to a disk (a USB stick on xHCI, or a hard disk).
/// Each boot must reach the shell through GRUB and report its display.
/// </summary>
/// <remarks>
/// The full product (2 firmwares × 2 machines × 3 media) is 12 boots of 17–30 s under TCG; this matrix is 6
/// beside <see cref="BootTests"/>' two (pc, IDE CD, SeaBIOS and OVMF), so that every firmware × machine pair
/// boots from a CD and each disk kind boots under both firmwares and both machines:
/// <list type="table">
/// <item>pc   SeaBIOS IDE CD (BootTests) · OVMF IDE CD (BootTests) · SeaBIOS USB stick · OVMF IDE hard disk</item>
/// <item>q35  SeaBIOS SATA CD · OVMF SATA CD · OVMF USB stick · SeaBIOS SATA hard disk</item>
/// </list>
/// </remarks>
public sealed class BootMatrixTests
{
    private const string Prompt = "cosmos> ";
    private const string Ovmf = "/usr/share/ovmf/OVMF.fd";

    /// <summary>Where the ISO sits: a CD drive, a USB stick on xHCI, or a hard disk on the machine's own controller.</summary>
    public enum Medium
    {
        /// <summary>A CD-ROM drive on the machine's first IDE bus (PIIX IDE on pc, an AHCI port on q35).</summary>
        CdRom,

        /// <summary>The ISO written to a raw image, attached as a usb-storage stick behind qemu-xhci.</summary>
        UsbStick,

        /// <summary>The ISO written to a raw image, attached as an ide-hd (PIIX IDE on pc, SATA on q35).</summary>
        HardDisk,
    }

    [Theory]
    [InlineData("q35", false, Medium.CdRom)]
    [InlineData("q35", true, Medium.CdRom)]
    [InlineData("pc", false, Medium.UsbStick)]
    [InlineData("q35", true, Medium.UsbStick)]
    [InlineData("pc", true, Medium.HardDisk)]
    [InlineData("q35", false, Medium.HardDisk)]
    public void IsoBootsToTheShellAndReportsItsDisplay(string machine, bool uefi, Medium medium)
    {
        string iso = CosmosKernelIso();
        string? copy = null;
        try
        {
            var arguments = new List<string> { "-M", machine };
            if (uefi)
            {
                Assert.True(File.Exists(Ovmf), $"OVMF firmware missing at {Ovmf} (./cosmos setup installs ovmf)");
                arguments.AddRange(["-bios", Ovmf]);
            }

            switch (medium)
            {
                case Medium.CdRom:
                    arguments.AddRange(["-drive", $"if=none,id=cd,media=cdrom,readonly=on,format=raw,file={iso}", "-device", "ide-cd,bus=ide.0,drive=cd,bootindex=0"]);
                    break;
                case Medium.UsbStick:
                    copy = WrittenToADisk(iso);
                    arguments.AddRange(["-device", "qemu-xhci,id=xhci", "-drive", $"if=none,id=stick,format=raw,file={copy}", "-device", "usb-storage,bus=xhci.0,drive=stick,bootindex=0"]);
                    break;
                case Medium.HardDisk:
                    copy = WrittenToADisk(iso);
                    arguments.AddRange(["-drive", $"if=none,id=hd,format=raw,file={copy}", "-device", "ide-hd,bus=ide.0,drive=hd,bootindex=0"]);
                    break;
            }

            string description = $"CosmosKernel ISO on {machine}, {(uefi ? "OVMF" : "SeaBIOS")}, {medium}";
            using QemuSession session = QemuSession.Start(description, [], TimeSpan.FromSeconds(uefi ? 200 : 150), arguments);
            int ready = session.WaitFor(Prompt);
            Assert.Contains("Booted via Multiboot2 (GRUB", session.Serial);

            // QEMU's standard VGA: GRUB set a graphics mode through VBE (SeaBIOS) or GOP (OVMF) and the kernel draws there.
            session.TypeLine("lsdev");
            int end = session.WaitFor(Prompt, ready);
            Assert.Matches(@"fb0\s+Display\s+firmware-fb", session.Serial[ready..end]);
        }
        finally
        {
            if (copy != null)
            {
                File.Delete(copy);
            }
        }
    }

    /// <summary>
    /// With <c>gfxpayload=text</c> GRUB leaves VGA text mode and says so (multiboot2 framebuffer tag of type EGA text):
    /// the console then writes the text cells at 0xB8000, read here from guest memory through QMP's pmemsave.
    /// </summary>
    [Fact]
    public void WithoutAGraphicsModeTheConsoleWritesVgaTextMode()
    {
        string elf = Path.Combine(Path.GetDirectoryName(CosmosKernelIso())!, "kernel.elf");
        string root = Path.Combine(Path.GetTempPath(), $"cosmos-textiso-{Guid.NewGuid():N}");
        string iso = root + ".iso", socket = root + ".sock", cells = root + ".cells";
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "boot", "grub"));
            File.Copy(elf, Path.Combine(root, "boot", "kernel.elf"));
            // gfxpayload after multiboot2: the multiboot2 command sets it from the kernel's framebuffer request.
            File.WriteAllText(Path.Combine(root, "boot", "grub", "grub.cfg"),
                "set timeout=0\nmenuentry \"CosmosKernel (text mode)\" {\n    multiboot2 /boot/kernel.elf\n    set gfxpayload=text\n    boot\n}\n");
            ProcessResult mkrescue = ProcessRunner.Run("grub-mkrescue", ["-o", iso, root], Path.GetTempPath(), TimeSpan.FromSeconds(120));
            Assert.True(mkrescue.ExitCode == 0, $"grub-mkrescue failed: {mkrescue.StandardError}");

            using QemuSession session = QemuSession.Start("CosmosKernel ISO in VGA text mode (SeaBIOS)", ["-cdrom", iso], TimeSpan.FromSeconds(150),
                ["-M", "pc", "-qmp", $"unix:{socket},server=on,wait=off"]);
            int at = session.WaitFor(Prompt);
            session.TypeLine("echo typed on COM1, shown in text mode");
            at = session.WaitFor(Prompt, session.WaitFor("\ntyped on COM1, shown in text mode\n", at));
            session.TypeLine("lsdev");
            int end = session.WaitFor(Prompt, at);
            string listing = session.Serial[at..end];
            Assert.Matches(@"vgatext0\s+Other\s+vga-text\s+Polled\s+multiboot2 EGA text 80x25", listing);
            Assert.DoesNotContain("fb0", listing);

            using QmpClient qmp = QmpClient.Connect(socket, TimeSpan.FromSeconds(20));
            qmp.Execute("pmemsave", new System.Text.Json.Nodes.JsonObject { ["val"] = 0xB8000, ["size"] = 80 * 25 * 2, ["filename"] = cells });
            byte[] memory = File.ReadAllBytes(cells);
            var rows = new List<string>();
            for (int row = 0; row < 25; row++)
            {
                var text = new System.Text.StringBuilder();
                for (int column = 0; column < 80; column++)
                {
                    text.Append((char)memory[((row * 80) + column) * 2]);
                    Assert.True(memory[(((row * 80) + column) * 2) + 1] == 0x07, $"cell ({column},{row}) has attribute 0x{memory[(((row * 80) + column) * 2) + 1]:x2}, not light grey on black");
                }

                rows.Add(text.ToString().TrimEnd());
            }

            string screen = string.Join("\n", rows).TrimEnd('\n');
            // The screen holds what the console wrote since it attached: the banner first, then the session.
            Assert.StartsWith("CosmosKernel 0.1 - a C# operating system on NativeAOT\nBooted via Multiboot2 (GRUB", screen);
            Assert.Contains("\ncosmos> echo typed on COM1, shown in text mode\ntyped on COM1, shown in text mode\ncosmos> lsdev\n", screen);
            Assert.Matches(@"\nvgatext0\s+Other\s+vga-text", screen);
            Assert.EndsWith("\ncosmos>", screen);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(iso);
            File.Delete(socket);
            File.Delete(cells);
        }
    }

    internal static string CosmosKernelIso()
    {
        KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
        build.EnsureSucceeded();
        string iso = Path.Combine(Path.GetDirectoryName(build.KernelElf)!, "kernel.iso");
        Assert.True(File.Exists(iso), $"the build made no ISO at {iso}");
        return iso;
    }

    // grub-mkrescue's image is an isohybrid: an MBR (and a GPT with the EFI partition) lead the ISO, so `dd` of it
    // to a stick boots on both firmwares. A copy, since QEMU writes to a disk.
    private static string WrittenToADisk(string iso)
    {
        string copy = Path.Combine(Path.GetTempPath(), $"cosmos-stick-{Guid.NewGuid():N}.img");
        File.Copy(iso, copy);
        return copy;
    }
}
