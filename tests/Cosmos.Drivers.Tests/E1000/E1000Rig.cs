using System;
using Cosmos.Drivers.E1000;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.E1000
{
    /// <summary>A simulated 82540EM, its DMA memory and short timeouts, so a controller that never answers fails a test in milliseconds.</summary>
    internal sealed class E1000Rig : IDisposable
    {
        public static readonly E1000Timeouts ShortTimeouts = new()
        {
            Reset = TimeSpan.FromMilliseconds(20),
            EepromRead = TimeSpan.FromMilliseconds(5),
        };

        public E1000Rig()
        {
            Nic = new SimE1000(Dma);
            Registers = new RegisterWindow(Nic, 0, 0x20000, "mmio bar0");
        }

        public FakeDmaAllocator Dma { get; } = new();

        public SimE1000 Nic { get; }

        public RegisterWindow Registers { get; }

        public E1000Device? Start(out string? error) => E1000Device.Start(Registers, Dma, ShortTimeouts, "e1000 test", out error);

        public E1000Device Start()
        {
            E1000Device? device = Start(out string? error);
            return device ?? throw new InvalidOperationException($"controller did not start: {error}");
        }

        public static byte[] Frame(int length, byte fill = 0xAB)
        {
            var frame = new byte[length];
            frame.AsSpan().Fill(fill);
            frame.AsSpan(0, 6).Fill(0xFF); // broadcast destination
            return frame;
        }

        public void Dispose() => Dma.Dispose();
    }
}
