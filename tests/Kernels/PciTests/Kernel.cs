using System;
using System.Collections.Generic;
using Cosmos.Core.Boot;
using Cosmos.HAL.Pci;
using Cosmos.TestKit;
using PciTests.Checks;

namespace PciTests
{
    /// <summary>
    /// The PCI test kernel. The host boots it with <c>-append machine=pc</c> or <c>machine=q35</c>
    /// and the device set of tests/Cosmos.Kernel.Tests/PciTestsKernel.cs (a virtio-blk disk with
    /// serial "cosmos-pci-test" and an edu device behind a bridge). It lists what it found, lspci
    /// style, then runs the checks.
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            string machine = KernelArguments.Get(BootInfo.Current.CommandLine, "machine") ?? "pc";
            var bus = PciBus.ForThisMachine();
            IReadOnlyList<PciFunction> functions = bus.Enumerate();
            var machineUnderTest = new MachineUnderTest(machine == "q35", bus, functions);
            PciListing.Write(bus, functions);

            var tests = new TestRunner();
            AcpiChecks.Register(tests, machineUnderTest);
            PagingChecks.Register(tests);
            InterruptChecks.Register(tests);
            PciEnumerationChecks.Register(tests, machineUnderTest);
            PciInterruptChecks.Register(tests, machineUnderTest);
            DmaChecks.Register(tests);
            tests.RunAndExit();
        }

        protected override void Run() => Stop();
    }

    /// <summary>What the checks look at: the machine type and the enumeration result.</summary>
    internal sealed record MachineUnderTest(bool IsQ35, PciBus Bus, IReadOnlyList<PciFunction> Functions)
    {
        public const ushort VirtioVendor = 0x1AF4, VirtioBlkTransitional = 0x1001, QemuVendor = 0x1234, EduDevice = 0x11E8;

        public PciFunction? Find(ushort vendor, ushort device)
        {
            foreach (PciFunction function in Functions)
            {
                if (function.VendorId == vendor && function.DeviceId == device)
                {
                    return function;
                }
            }

            return null;
        }

        public PciFunction? At(byte bus, byte device, byte function)
        {
            foreach (PciFunction candidate in Functions)
            {
                if (candidate.Address == new PciAddress(0, bus, device, function))
                {
                    return candidate;
                }
            }

            return null;
        }

        public PciFunction VirtioBlk => Find(VirtioVendor, VirtioBlkTransitional) ?? throw new CheckFailedException("no virtio-blk (1af4:1001) was enumerated");

        public PciFunction Edu => Find(QemuVendor, EduDevice) ?? throw new CheckFailedException("no edu device (1234:11e8) was enumerated");
    }

    /// <summary>Reads <c>key=value</c> words from the kernel command line.</summary>
    internal static class KernelArguments
    {
        public static string? Get(string commandLine, string key)
        {
            foreach (string word in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Length > key.Length && word[key.Length] == '=' && word.StartsWith(key, StringComparison.Ordinal))
                {
                    return word.Substring(key.Length + 1);
                }
            }

            return null;
        }
    }
}
