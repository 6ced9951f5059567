using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Cosmos.TestKit;

namespace PciTests.Checks
{
    /// <summary>
    /// Enumeration on QEMU 7.2's i440fx (-M pc, port I/O) and q35 (ECAM). The expected BARs of the
    /// transitional virtio-blk were read from QEMU's own `info pci` for this device set: BAR0 I/O
    /// 0x80 bytes, BAR1 32-bit memory 4 KiB, BAR4 64-bit prefetchable memory 16 KiB.
    /// </summary>
    internal static class PciEnumerationChecks
    {
        public static void Register(TestRunner tests, MachineUnderTest machine)
        {
            tests.Add("pci.access-mechanism", () =>
            {
                if (machine.IsQ35)
                {
                    Assert.IsType<PciEcamConfigAccess>(machine.Bus.Access, "q35 enumerates through ECAM (MCFG)");
                }
                else
                {
                    Assert.IsType<PciPortConfigAccess>(machine.Bus.Access, "-M pc enumerates through 0xcf8/0xcfc");
                }

                Assert.Equal(0, machine.Bus.Warnings.Count, "enumeration warnings: " + string.Join("; ", machine.Bus.Warnings));
            });

            tests.Add("pci.host-bridge", () =>
            {
                PciFunction host = machine.At(0, 0, 0) ?? throw new CheckFailedException("nothing at 00:00.0");
                Assert.Equal((ushort)0x8086, host.VendorId, "host bridge vendor");
                Assert.Equal(machine.IsQ35 ? (ushort)0x29C0 : (ushort)0x1237, host.DeviceId, "host bridge device (q35 MCH / i440FX)");
                Assert.Equal((byte)0x06, host.ClassCode, "class: bridge");
                Assert.Equal((byte)0x00, host.Subclass, "subclass: host bridge");
                Assert.Equal("Bridge / Host bridge", host.ClassName, "class name");
            });

            tests.Add("pci.multi-function-device", () =>
            {
                // PIIX3 at 00:01.0 (ISA), .1 (IDE), .3 (ACPI); ICH9 at 00:1f.0 (LPC), .2 (SATA), .3 (SMBus).
                byte device = machine.IsQ35 ? (byte)0x1F : (byte)0x01;
                PciFunction first = machine.At(0, device, 0) ?? throw new CheckFailedException($"nothing at 00:{device:x2}.0");
                Assert.True(first.IsMultiFunction, "function 0 says multi-function");
                Assert.NotNull(machine.At(0, device, machine.IsQ35 ? (byte)2 : (byte)1), "the second function");
                Assert.NotNull(machine.At(0, device, 3), "function 3");
            });

            tests.Add("pci.bridge-followed-to-secondary-bus", () =>
            {
                PciFunction edu = machine.Edu;
                Assert.True(edu.Address.Bus > 0, $"edu sits behind a bridge, found at {edu.Address}");
                PciFunction? bridge = null;
                foreach (PciFunction function in machine.Functions)
                {
                    if (function.IsBridge && function.SecondaryBus == edu.Address.Bus)
                    {
                        bridge = function;
                    }
                }

                Assert.NotNull(bridge, $"a bridge whose secondary bus is {edu.Address.Bus}");
                Assert.Equal((byte)0x06, bridge!.ClassCode, "bridge class");
                Assert.Equal((byte)0x04, bridge.Subclass, "PCI-to-PCI bridge subclass");
            });

            tests.Add("pci.virtio-blk-identity", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                Assert.Equal((ushort)0x0002, blk.SubsystemId, "legacy VirtIO device type 2 (block)");
                Assert.Equal((byte)0x01, blk.ClassCode, "mass storage");
                Assert.Equal((byte)0x00, blk.Subclass, "SCSI storage subclass");
                Assert.Equal((byte)1, blk.InterruptPin, "INTA");
            });

            tests.Add("pci.virtio-blk-bars-sized", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                Assert.Equal(3, blk.Bars.Count, "implemented BARs (0, 1, 4; BAR5 is BAR4's upper half)");
                ExpectBar(blk, 0, PciBarKind.Io, 0x80, false);
                ExpectBar(blk, 1, PciBarKind.Memory32, 0x1000, false);
                ExpectBar(blk, 4, PciBarKind.Memory64, 0x4000, true);
                Assert.Equal((ulong)(blk.Config.Read32(0x10) & ~3u), blk.FindBar(0)!.Address, "BAR0 address as configured");
                ulong bar4 = (blk.Config.Read32(0x20) & ~0xFu) | ((ulong)blk.Config.Read32(0x24) << 32);
                Assert.Equal(bar4, blk.FindBar(4)!.Address, "BAR4 address (both halves)");
            });

            tests.Add("pci.virtio-blk-capabilities", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                PciCapability msiX = blk.FindCapability(PciConfigRegisters.CapabilityMsiX) ?? throw new CheckFailedException("no MSI-X capability");
                Assert.Equal(2, (blk.Config.Read16(msiX.Offset + 2) & 0x7FF) + 1, "MSI-X table size (virtio-blk default vectors=2)");
                bool common = false, notify = false, isr = false, device = false;
                foreach (PciCapability capability in blk.Capabilities)
                {
                    if (capability.Id != PciConfigRegisters.CapabilityVendor)
                    {
                        continue;
                    }

                    // VirtIO 1.2 §4.1.4: cfg_type at +3.
                    switch (blk.Config.Read8(capability.Offset + 3))
                    {
                        case 1: common = true; break;
                        case 2: notify = true; break;
                        case 3: isr = true; break;
                        case 4: device = true; break;
                    }
                }

                Assert.True(common && notify && isr && device, "vendor capabilities for common, notify, ISR and device configuration");
                Assert.Null(blk.CapabilityProblem, "capability walk problem");
            });

            tests.Add("pci.map-bar-bounds", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                Assert.Throws<System.ArgumentException>(() => blk.MapBar(1, 0, 0x2000), "a window larger than BAR1");
                Assert.Throws<System.ArgumentException>(() => blk.MapBar(2, 0, 4), "BAR2 is not implemented");
                IRegisterBlock bar1 = blk.MapBar(1, 0, 0x1000);
                Assert.Throws<System.ArgumentOutOfRangeException>(() => bar1.Read32(0x1000), "a read past the window");
                IRegisterBlock io = blk.MapBar(0, 0, 0x80);
                Assert.Contains("io 0x", io.Description, "I/O BAR window");
                Assert.Throws<System.ArgumentOutOfRangeException>(() => io.Read8(0x80), "a port past the window");
                Assert.Equal((ushort)0x7, (ushort)(blk.Config.Read16(0x04) & 0x7), "I/O, memory decoding and bus mastering on");
            });

            tests.Add("pci.64-bit-bar-moved-above-4gib", () =>
            {
                PciFunction blk = machine.VirtioBlk;
                PciBar original = blk.FindBar(4)!;
                // The modern common configuration structure is at BAR4 + 0 (QEMU's layout); num_queues is at +0x12 (VirtIO 1.2 §4.1.4.3).
                ushort queuesBefore = blk.MapBar(4, 0, 0x1000).Read16(0x12);
                const ulong high = 0x10_0000_0000;
                ushort command = blk.Config.Read16(0x04);
                blk.Config.Write16(0x04, (ushort)(command & ~0x3));
                blk.Config.Write32(0x20, unchecked((uint)high) | (blk.Config.Read32(0x20) & 0xF));
                blk.Config.Write32(0x24, (uint)(high >> 32));
                blk.Config.Write16(0x04, command);
                try
                {
                    blk.RescanBars();
                    Assert.Equal(high, blk.FindBar(4)!.Address, "BAR4 re-read at 64 GiB");
                    IRegisterBlock moved = blk.MapBar(4, 0, 0x1000);
                    Assert.Equal(queuesBefore, moved.Read16(0x12), "num_queues read through the mapping above 4 GiB");
                    moved.Write32(0x00, 1);                         // device_feature_select
                    Assert.Equal(1u, moved.Read32(0x00), "device_feature_select written and read back above 4 GiB");
                    moved.Write32(0x00, 0);
                }
                finally
                {
                    blk.Config.Write16(0x04, (ushort)(command & ~0x3));
                    blk.Config.Write32(0x20, (uint)original.Address | (blk.Config.Read32(0x20) & 0xF));
                    blk.Config.Write32(0x24, (uint)(original.Address >> 32));
                    blk.Config.Write16(0x04, command);
                    blk.RescanBars();
                }

                Assert.True(queuesBefore >= 1, $"num_queues {queuesBefore}");
            });
        }

        private static void ExpectBar(PciFunction function, int index, PciBarKind kind, ulong size, bool prefetchable)
        {
            PciBar bar = function.FindBar(index) ?? throw new CheckFailedException($"BAR{index} missing");
            Assert.Equal(kind, bar.Kind, $"BAR{index} kind");
            Assert.Equal(size, bar.Size, $"BAR{index} size");
            Assert.Equal(prefetchable, bar.Prefetchable, $"BAR{index} prefetchable");
            Assert.True(bar.Address != 0, $"BAR{index} assigned by firmware");
        }
    }
}
