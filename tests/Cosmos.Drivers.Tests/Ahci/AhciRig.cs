using System;
using Cosmos.Drivers.Ahci;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.Ahci
{
    /// <summary>A simulated HBA, its DMA memory and short timeouts, so a device that never answers fails a test in milliseconds.</summary>
    internal sealed class AhciRig : IDisposable
    {
        public static readonly AhciTimeouts ShortTimeouts = new()
        {
            HbaReset = TimeSpan.FromMilliseconds(50),
            PortStop = TimeSpan.FromMilliseconds(20),
            LinkUp = TimeSpan.FromMilliseconds(20),
            NoDeviceGrace = TimeSpan.FromMilliseconds(5),
            DeviceReady = TimeSpan.FromMilliseconds(20),
            Command = TimeSpan.FromMilliseconds(50),
        };

        public AhciRig(int portCount = 6)
        {
            Hba = new SimAhciHba(Dma, portCount);
            Registers = new RegisterWindow(Hba, 0, 0x1100, "mmio bar5");
        }

        public FakeDmaAllocator Dma { get; } = new();

        public SimAhciHba Hba { get; }

        public RegisterWindow Registers { get; }

        public AhciController? Start(out string? error) => AhciController.Start(Registers, Dma, ShortTimeouts, "ahci test", out error);

        public AhciController Start()
        {
            AhciController? controller = Start(out string? error);
            return controller ?? throw new InvalidOperationException($"controller did not start: {error}");
        }

        public void Dispose() => Dma.Dispose();
    }
}
