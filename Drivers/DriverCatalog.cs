using Cosmos.Drivers.Ahci;
using Cosmos.Drivers.E1000;
using Cosmos.Drivers.Ps2;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VmwareSvga;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.Drivers
{
    /// <summary>
    /// The buses and drivers a kernel gets by default; Cosmos.Build's generated entry passes
    /// <see cref="AddTo"/> to <c>KernelRunner.Run</c>. Driver state lives in the drivers the
    /// device manager holds, not here.
    /// </summary>
    public static class DriverCatalog
    {
        /// <summary>Adds the PCI, virtio-mmio and ISA buses, the VirtIO driver and the fallback drivers (AHCI, e1000/e1000e, VMware SVGA II, PS/2) to <paramref name="manager"/>.</summary>
        public static void AddTo(DeviceManager manager)
        {
            System.ArgumentNullException.ThrowIfNull(manager);
            PciBus pci = PciBus.ForThisMachine();
            pci.Log = System.Console.WriteLine;
            manager.AddBus(pci);
            manager.AddBus(new VirtioMmioBus());
            manager.AddBus(new IsaLegacyBus());
            manager.AddDriver(new VirtioDriver(new DmaAllocator(), new HaltingCompletionWaiter(), System.Console.WriteLine));
            manager.AddDriver(new AhciDriver(new DmaAllocator(), System.Console.WriteLine));
            manager.AddDriver(new E1000Driver(new DmaAllocator(), System.Console.WriteLine));
            manager.AddDriver(new VmwareSvgaDriver(System.Console.WriteLine, Cosmos.Core.Memory.Paging.MapMmio));
            manager.AddDriver(new Ps2Driver(System.Console.WriteLine));
        }
    }
}
