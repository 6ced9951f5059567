using System;
using System.Threading;

namespace Cosmos.Core.InterruptControllers
{
    /// <summary>
    /// This CPU's local APIC in xAPIC (MMIO) mode: enable, end of interrupt, self-IPIs and the
    /// timer (one-shot, periodic, or a masked count-down to calibrate it; <see cref="SystemTimer"/>
    /// owns it). Register offsets from Intel SDM vol. 3 §11.4.1 (table 11-1).
    /// </summary>
    public static unsafe class LocalApic
    {
        /// <summary>The spurious-interrupt vector: never acknowledged with EOI (SDM §11.9).</summary>
        public const int SpuriousVector = 0xFF;

        /// <summary>The vector of the APIC's own error interrupt.</summary>
        public const int ErrorVector = 0xFE;

        /// <summary>
        /// The system timer's vector: the lowest of the local APIC's own vectors (0xF0-0xFF, above
        /// the device range), so in the highest priority class (SDM §11.8.3).
        /// </summary>
        public const int TimerVector = 0xF0;

        /// <summary>The timer counts its input clock (the bus or core crystal clock) divided by this.</summary>
        public const uint TimerDivisor = 16;

        private const uint ApicBaseMsr = 0x1B;
        private const ulong ApicBaseEnable = 1UL << 11, ApicBaseX2Apic = 1UL << 10;
        private const int RegisterId = 0x20, RegisterVersion = 0x30, RegisterTaskPriority = 0x80, RegisterEoi = 0xB0;
        private const int RegisterSpurious = 0xF0, RegisterInService = 0x100, RegisterErrorStatus = 0x280;
        private const int RegisterCommandLow = 0x300, RegisterCommandHigh = 0x310;
        private const int RegisterLvtTimer = 0x320, RegisterLvtLint0 = 0x350, RegisterLvtLint1 = 0x360, RegisterLvtError = 0x370;
        private const int RegisterTimerInitial = 0x380, RegisterTimerCurrent = 0x390, RegisterTimerDivide = 0x3E0;
        private const uint TimerDivideBy16 = 0x3;       // divide configuration 0b0011 (SDM §11.5.4)
        private const uint TimerPeriodic = 1u << 17;    // LVT timer mode 01 (SDM §11.5.1)
        private const uint LvtMasked = 1u << 16, DeliveryNmi = 4u << 8, LevelTriggered = 1u << 15, ActiveLow = 1u << 13;
        private const uint SoftwareEnable = 1u << 8, CommandAssert = 1u << 14, CommandToSelf = 1u << 18, DeliveryPending = 1u << 12;

        private static byte* s_registers;

        /// <summary>True once <see cref="Initialize"/> has enabled it.</summary>
        public static bool IsEnabled => s_registers != null;

        /// <summary>Physical address of the registers.</summary>
        public static ulong PhysicalAddress { get; private set; }

        /// <summary>This CPU's APIC ID (the MSI and IOAPIC destination).</summary>
        public static byte Id => (byte)(Read(RegisterId) >> 24);

        /// <summary>The version register (version in bits 0-7, max LVT entry in bits 16-23).</summary>
        public static uint Version => Read(RegisterVersion);

        /// <summary>The spurious-interrupt vector register (bit 8: software enable).</summary>
        public static uint SpuriousRegister => Read(RegisterSpurious);

        /// <summary>APIC errors seen (the error interrupt's count).</summary>
        public static ulong ErrorCount { get; private set; }

        /// <summary>The last error status register value the error interrupt read.</summary>
        public static uint LastErrorStatus { get; private set; }

        /// <summary>
        /// Enables the local APIC at <paramref name="registers"/> (already mapped uncached): global
        /// enable in IA32_APIC_BASE, the spurious vector with software enable, task priority 0,
        /// LINT0 (the 8259's ExtINT path) masked, LINT1 as NMI (or as the MADT says), timer masked.
        /// </summary>
        public static void Initialize(ulong physicalAddress, nint registers, int nmiLint, uint nmiFlags)
        {
            ulong apicBase = Native.ReadMsr(ApicBaseMsr);
            if ((apicBase & ApicBaseX2Apic) != 0)
            {
                throw new InvalidOperationException("local APIC: firmware left x2APIC mode on; only xAPIC (MMIO) is supported");
            }

            Native.WriteMsr(ApicBaseMsr, (physicalAddress & ~0xFFFUL) | (apicBase & 0xFFF) | ApicBaseEnable);
            PhysicalAddress = physicalAddress;
            s_registers = (byte*)registers;
            Write(RegisterTaskPriority, 0);
            Write(RegisterLvtTimer, LvtMasked);
            Write(RegisterLvtLint0, LvtMasked);
            Write(RegisterLvtLint1, nmiLint == 1 ? DeliveryNmi | nmiFlags : LvtMasked);
            if (nmiLint == 0)
            {
                Write(RegisterLvtLint0, DeliveryNmi | nmiFlags);
            }

            Interrupts.SetHandler(ErrorVector, OnError);
            Write(RegisterLvtError, ErrorVector);
            Write(RegisterErrorStatus, 0);            // the ESR latches on write (SDM §11.5.3)
            Write(RegisterErrorStatus, 0);
            Write(RegisterSpurious, SoftwareEnable | SpuriousVector);
            Write(RegisterEoi, 0);                    // clear anything left in service by the firmware
        }

        /// <summary>The LVT flags for an NMI input with these MADT polarity/trigger values.</summary>
        public static uint NmiFlags(bool activeLow, bool levelTriggered) => (activeLow ? ActiveLow : 0) | (levelTriggered ? LevelTriggered : 0);

        /// <summary>
        /// Signals end of interrupt if <paramref name="vector"/> is in service (so a software
        /// <c>int n</c> or the spurious vector never acknowledges someone else's interrupt).
        /// </summary>
        public static void EndOfInterrupt(int vector)
        {
            if (s_registers != null && IsInService(vector))
            {
                Write(RegisterEoi, 0);
            }
        }

        /// <summary>True while <paramref name="vector"/> is being serviced (ISR bit set).</summary>
        public static bool IsInService(int vector) =>
            (Read(RegisterInService + ((vector >> 5) * 0x10)) & (1u << (vector & 31))) != 0;

        /// <summary>Sends a fixed interrupt on <paramref name="vector"/> to this CPU.</summary>
        public static void SendSelfInterrupt(int vector)
        {
            RequireEnabled();
            Write(RegisterCommandHigh, 0);
            Write(RegisterCommandLow, CommandToSelf | CommandAssert | (uint)vector);
            for (int i = 0; i < 1_000_000 && (Read(RegisterCommandLow) & DeliveryPending) != 0; i++)
            {
                Native.Pause();
            }
        }

        /// <summary>
        /// Arms the timer once: <paramref name="vector"/> fires after <paramref name="ticks"/> ×
        /// <see cref="TimerDivisor"/> input clocks. The timer belongs to <see cref="SystemTimer"/>
        /// once it runs: stop that first.
        /// </summary>
        public static void StartOneShotTimer(int vector, uint ticks)
        {
            RequireEnabled();
            Write(RegisterTimerDivide, TimerDivideBy16);
            Write(RegisterLvtTimer, (uint)vector);    // one-shot mode, unmasked
            Write(RegisterTimerInitial, ticks);
        }

        /// <summary>
        /// Runs the timer periodically: <paramref name="vector"/> fires every <paramref name="ticks"/>
        /// × <see cref="TimerDivisor"/> input clocks; the count reloads itself (SDM §11.5.4).
        /// </summary>
        public static void StartPeriodicTimer(int vector, uint ticks)
        {
            RequireEnabled();
            Write(RegisterTimerDivide, TimerDivideBy16);
            Write(RegisterLvtTimer, TimerPeriodic | (uint)vector);
            Write(RegisterTimerInitial, ticks);
        }

        /// <summary>
        /// Starts a one-shot count down from <paramref name="ticks"/> with the LVT entry masked: the
        /// counter runs (read it with <see cref="TimerCurrentCount"/>) but never interrupts. For
        /// measuring the timer's rate.
        /// </summary>
        public static void StartMaskedCountdown(uint ticks)
        {
            RequireEnabled();
            Write(RegisterTimerDivide, TimerDivideBy16);
            Write(RegisterLvtTimer, LvtMasked);
            Write(RegisterTimerInitial, ticks);
        }

        /// <summary>Stops the timer and masks its LVT entry.</summary>
        public static void StopTimer()
        {
            Write(RegisterTimerInitial, 0);
            Write(RegisterLvtTimer, LvtMasked);
        }

        /// <summary>The timer's current count (0 once a one-shot has fired).</summary>
        public static uint TimerCurrentCount => Read(RegisterTimerCurrent);

        private static void OnError(ref InterruptFrame frame)
        {
            Write(RegisterErrorStatus, 0);
            LastErrorStatus = Read(RegisterErrorStatus);
            ErrorCount++;
        }

        private static void RequireEnabled()
        {
            if (s_registers == null)
            {
                throw new InvalidOperationException("local APIC is not enabled");
            }
        }

        private static uint Read(int register) => s_registers == null ? 0 : Volatile.Read(ref *(uint*)(s_registers + register));

        private static void Write(int register, uint value) => Volatile.Write(ref *(uint*)(s_registers + register), value);
    }
}
