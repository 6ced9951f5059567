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
