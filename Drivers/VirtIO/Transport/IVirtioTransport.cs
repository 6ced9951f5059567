using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO.Transport
{
    /// <summary>
    /// How a driver reaches a VirtIO device, whatever the bus: modern PCI, legacy PCI or MMIO v1/v2.
    /// Drivers never know which one they run on; <see cref="VirtioDeviceInitializer"/> drives the
    /// initialisation sequence through this interface and <see cref="Queue.SplitVirtqueue"/> notifies through it.
    /// </summary>
    public interface IVirtioTransport
    {
        /// <summary>The device type (from the modern PCI ID, the legacy subsystem ID or the MMIO DeviceID).</summary>
        VirtioDeviceType DeviceType { get; }

        /// <summary>Which transport this is.</summary>
        VirtioTransportKind Kind { get; }

        /// <summary>
        /// True for the legacy interfaces (PCI legacy, MMIO v1): queues use the contiguous page-aligned
        /// layout (§2.7.2), there is no FEATURES_OK step (§3.1.2), no configuration generation, and
        /// VERSION_1 is never negotiated.
        /// </summary>
        bool IsLegacy { get; }

        /// <summary>For <c>lsdev</c> and logs: transport, location, regions and interrupt mode.</summary>
        string Describe();

        /// <summary>Reads the 64 device feature bits (legacy PCI has only bits 0–31).</summary>
        ulong ReadDeviceFeatures();

        /// <summary>Writes the features the driver accepts.</summary>
        /// <exception cref="ArgumentException">Bits the transport cannot carry (above 31 on legacy PCI).</exception>
        void WriteDriverFeatures(ulong features);

        /// <summary>Reads the device status.</summary>
        VirtioDeviceStatus ReadStatus();

        /// <summary>Writes the device status (the whole byte; the device keeps what it accepts).</summary>
        void WriteStatus(VirtioDeviceStatus status);

        /// <summary>Writes 0 to the status: the device resets. The caller waits until <see cref="ReadStatus"/> returns 0.</summary>
        void Reset();

        /// <summary>
        /// True when configuration reads are checked against a generation counter (modern PCI, MMIO v2,
        /// §2.5.1). Without one (legacy), single-access reads are done once and multi-access reads are
        /// repeated until two agree (§2.5.4).
        /// </summary>
        bool HasConfigGeneration { get; }

        /// <summary>Bytes of device-specific configuration reachable (0 when the device has none).</summary>
        int ConfigLength { get; }

        /// <summary>Reads an 8-bit configuration field.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Outside <see cref="ConfigLength"/>.</exception>
        /// <exception cref="VirtioDeviceException">The generation kept changing.</exception>
        byte ReadConfig8(int offset);

        /// <summary>Reads an aligned 16-bit configuration field.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Outside <see cref="ConfigLength"/>.</exception>
        /// <exception cref="VirtioDeviceException">The generation kept changing.</exception>
        ushort ReadConfig16(int offset);

        /// <summary>Reads an aligned 32-bit configuration field.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Outside <see cref="ConfigLength"/>.</exception>
        /// <exception cref="VirtioDeviceException">The generation kept changing.</exception>
        uint ReadConfig32(int offset);

        /// <summary>Reads a 64-bit configuration field as two 32-bit reads under one generation.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Outside <see cref="ConfigLength"/>.</exception>
        /// <exception cref="VirtioDeviceException">The generation kept changing.</exception>
        ulong ReadConfig64(int offset);

        /// <summary>Reads consecutive bytes (a MAC address, a string) under one generation.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Outside <see cref="ConfigLength"/>.</exception>
        /// <exception cref="VirtioDeviceException">The generation kept changing.</exception>
        void ReadConfig(int offset, Span<byte> destination);

        /// <summary>Writes an 8-bit configuration field.</summary>
        void WriteConfig8(int offset, byte value);

        /// <summary>Writes an aligned 16-bit configuration field.</summary>
        void WriteConfig16(int offset, ushort value);

        /// <summary>Writes an aligned 32-bit configuration field.</summary>
        void WriteConfig32(int offset, uint value);

        /// <summary>How many queues the device has (modern PCI reports it; legacy and MMIO are probed).</summary>
        int QueueCount { get; }

        /// <summary>The largest size queue <paramref name="queue"/> accepts; 0 when it does not exist.</summary>
        int GetMaxQueueSize(int queue);

        /// <summary>True when the driver must use exactly <see cref="GetMaxQueueSize"/> (legacy PCI: queue size is read-only).</summary>
        bool QueueSizeIsFixed { get; }

        /// <summary>
        /// Tells the device where queue <paramref name="queue"/> is and how big. For legacy transports the
        /// addresses must follow the contiguous layout of §2.7.2 with 4096-byte alignment.
        /// Fails (without throwing) when the device reports the queue in use or an address it cannot hold.
        /// </summary>
        /// <exception cref="ArgumentException">A legacy layout that does not follow §2.7.2.</exception>
        VirtioResult SetUpQueue(int queue, int size, VirtqueueAddresses addresses);

        /// <summary>Makes a set-up queue live (queue_enable / QueueReady; nothing on legacy, where the PFN does it).</summary>
        void EnableQueue(int queue);

        /// <summary>Sends an available buffer notification for <paramref name="queue"/>.</summary>
        void Notify(int queue);

        /// <summary>
        /// Turns on the device's interrupts. PCI asks the function for MSI-X with one vector for
        /// configuration changes plus one per queue (<paramref name="queueCount"/> + 1), falling back to
        /// MSI, INTx or none; MMIO returns the interrupt source it was given when probed.
        /// </summary>
        IInterruptSource EnableInterrupts(int queueCount);

        /// <summary>MSI-X: routes configuration changes to vector <paramref name="vector"/> (-1: none). False when refused or not MSI-X.</summary>
        bool SetConfigVector(int vector);

        /// <summary>MSI-X: routes <paramref name="queue"/>'s used buffer notifications to <paramref name="vector"/> (-1: none). False when refused or not MSI-X.</summary>
        bool SetQueueVector(int queue, int vector);

        /// <summary>
        /// Reads and acknowledges the interrupt cause: the PCI ISR (reading clears it and lowers INTx),
        /// or the MMIO InterruptStatus written back to InterruptACK.
        /// </summary>
        VirtioInterruptCause AcknowledgeInterrupt();
    }
}
