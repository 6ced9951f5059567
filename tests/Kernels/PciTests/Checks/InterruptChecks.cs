using System.Threading;
using Cosmos.Core;
using Cosmos.Core.InterruptControllers;
using Cosmos.TestKit;

namespace PciTests.Checks
{
    /// <summary>The interrupt controllers after boot, and vectors from the allocator firing through the EOI path.</summary>
    internal static class InterruptChecks
    {
        private static int s_fired;

        public static void Register(TestRunner tests)
        {
            tests.Add("interrupts.enabled-in-apic-mode", () =>
            {
                Assert.True(InterruptHardware.IsApicMode, "APIC mode: " + InterruptHardware.Error);
                Assert.True((Native.ReadFlags() & 0x200) != 0, "RFLAGS.IF is set after boot");
                Assert.Equal(0x1FFu, LocalApic.SpuriousRegister & 0x1FF, "spurious vector register: enabled, vector 0xff");
                Assert.True((Native.ReadMsr(0x1B) & (1UL << 11)) != 0, "IA32_APIC_BASE global enable");
                Assert.Equal((ushort)0xFFFF, Pic8259.Mask, "8259 masks");
            });

            tests.Add("interrupts.ioapic-pins-masked-at-boot", () =>
            {
                IoApic ioApic = InterruptHardware.IoApics[0];
                Assert.Equal(24, ioApic.PinCount, "QEMU's I/O APIC pins");
                ulong entry = ioApic.ReadEntry(2);
                Assert.True((entry & (1UL << 16)) != 0, $"GSI 2 (the PIT) masked: entry 0x{entry:x}");
            });

            tests.Add("interrupts.self-ipi-on-allocated-vector", () =>
            {
                int vector = InterruptVectors.Allocate();
                Interrupts.SetHandler(vector, (ref InterruptFrame frame) => s_fired = (int)frame.Vector);
                s_fired = 0;
                LocalApic.SendSelfInterrupt(vector);
                bool fired = Wait.Until(() => Volatile.Read(ref s_fired) != 0);
                InterruptVectors.Free(vector);
                Assert.True(fired, $"self-IPI on vector 0x{vector:x} reached its handler");
                Assert.Equal(vector, s_fired, "the frame's vector");
                Assert.False(LocalApic.IsInService(vector), "end of interrupt was signalled (ISR bit clear)");
            });

            tests.Add("interrupts.lapic-timer-one-shot", () =>
            {
                // The LAPIC timer is the system timer's: borrowed for this check, then given back.
                bool systemTimerWasRunning = SystemTimer.IsRunning;
                SystemTimer.Stop();
                int vector = InterruptVectors.Allocate();
                s_fired = 0;
                Interrupts.SetHandler(vector, (ref InterruptFrame frame) => s_fired++);
                LocalApic.StartOneShotTimer(vector, 20_000);
                bool fired = Wait.Until(() => Volatile.Read(ref s_fired) != 0);
                bool stayedOnce = !Wait.Until(() => Volatile.Read(ref s_fired) > 1, 50);
                LocalApic.StopTimer();
                InterruptVectors.Free(vector);
                if (systemTimerWasRunning)
                {
                    SystemTimer.Start();
                }

                Assert.True(fired, $"one-shot timer on vector 0x{vector:x} fired");
                Assert.True(stayedOnce, "one-shot timer fired once");
                Assert.False(LocalApic.IsInService(vector), "end of interrupt was signalled");
            });

            tests.Add("interrupts.vector-blocks-aligned-and-freed", () =>
            {
                int before = InterruptVectors.AllocatedCount;
                int single = InterruptVectors.Allocate();
                Assert.True(InterruptVectors.TryAllocateBlock(8, out int block), "an 8-vector block");
                Assert.Equal(0, block % 8, $"block at 0x{block:x} aligned to 8");
                Assert.True(block >= InterruptVectors.FirstDeviceVector && block + 7 <= InterruptVectors.LastDeviceVector, "block in the device range");
                InterruptVectors.Free(block, 8);
                InterruptVectors.Free(single);
                Assert.Equal(before, InterruptVectors.AllocatedCount, "all returned");
                Assert.Throws<System.ArgumentException>(() => InterruptVectors.Free(single), "freeing twice");
            });
        }
    }
}
