using System;
using System.Threading;

namespace Cosmos.Core.InterruptControllers
{
    /// <summary>
    /// One I/O APIC: the redirection table that turns its input pins (global system interrupts
    /// <see cref="GsiBase"/> onward) into vectors for a local APIC. Registers through the
    /// IOREGSEL/IOWIN pair (Intel 82093AA datasheet §3.2).
    /// </summary>
    public sealed unsafe class IoApic
    {
        private const int RegisterSelect = 0x00, RegisterWindow = 0x10;
        private const uint RegisterVersion = 0x01, RedirectionTable = 0x10;
        private const ulong Masked = 1UL << 16, LevelTriggered = 1UL << 15, ActiveLow = 1UL << 13;

        private readonly byte* _registers;

        /// <summary>Wraps the I/O APIC whose registers are mapped at <paramref name="registers"/> and masks every pin.</summary>
        public IoApic(byte id, ulong physicalAddress, nint registers, uint gsiBase)
        {
            Id = id;
            PhysicalAddress = physicalAddress;
            GsiBase = gsiBase;
            _registers = (byte*)registers;
            PinCount = (int)((Read(RegisterVersion) >> 16) & 0xFF) + 1;
            for (int pin = 0; pin < PinCount; pin++)
            {
                WriteEntry(pin, Masked);
            }
        }

        /// <summary>The MADT's I/O APIC ID.</summary>
        public byte Id { get; }

        /// <summary>Physical address of the registers.</summary>
        public ulong PhysicalAddress { get; }

        /// <summary>The global system interrupt of pin 0.</summary>
        public uint GsiBase { get; }

        /// <summary>Number of redirection entries (input pins).</summary>
        public int PinCount { get; }

        /// <summary>True when <paramref name="gsi"/> is one of this I/O APIC's pins.</summary>
        public bool Serves(uint gsi) => gsi >= GsiBase && gsi < GsiBase + (uint)PinCount;

        /// <summary>Routes <paramref name="pin"/> to <paramref name="vector"/> on local APIC <paramref name="destinationApicId"/>, fixed delivery, unmasked.</summary>
        public void Route(int pin, int vector, bool levelTriggered, bool activeLow, byte destinationApicId)
        {
            CheckPin(pin);
            ulong entry = (ulong)(byte)vector | ((ulong)destinationApicId << 56)
                | (levelTriggered ? LevelTriggered : 0) | (activeLow ? ActiveLow : 0);
            WriteEntry(pin, entry);
        }

        /// <summary>Masks <paramref name="pin"/>.</summary>
        public void Mask(int pin)
        {
            CheckPin(pin);
            WriteEntry(pin, ReadEntry(pin) | Masked);
        }

        /// <summary>The 64-bit redirection entry of <paramref name="pin"/>.</summary>
        public ulong ReadEntry(int pin)
        {
            CheckPin(pin);
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            ulong low = Read(RedirectionTable + (2 * (uint)pin));
            ulong high = Read(RedirectionTable + (2 * (uint)pin) + 1);
            Native.RestoreFlags(flags);
            return low | (high << 32);
        }

        // The high half (destination) first, so the entry never points at a stale destination while unmasked.
        private void WriteEntry(int pin, ulong entry)
        {
            ulong flags = Native.SaveFlagsAndDisableInterrupts();
            Write(RedirectionTable + (2 * (uint)pin) + 1, (uint)(entry >> 32));
            Write(RedirectionTable + (2 * (uint)pin), (uint)entry);
            Native.RestoreFlags(flags);
        }

        private void CheckPin(int pin)
        {
            if ((uint)pin >= (uint)PinCount)
            {
                throw new ArgumentOutOfRangeException(nameof(pin), pin, $"I/O APIC {Id} has pins 0-{PinCount - 1}");
            }
        }

        private uint Read(uint register)
        {
            Volatile.Write(ref *(uint*)(_registers + RegisterSelect), register);
            return Volatile.Read(ref *(uint*)(_registers + RegisterWindow));
        }

        private void Write(uint register, uint value)
        {
            Volatile.Write(ref *(uint*)(_registers + RegisterSelect), register);
            Volatile.Write(ref *(uint*)(_registers + RegisterWindow), value);
        }
    }
}
