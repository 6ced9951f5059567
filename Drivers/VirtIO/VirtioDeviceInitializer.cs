using System;
using System.Collections.Generic;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// The device initialisation sequence of VirtIO 1.2 §3.1.1, in one place, for every transport:
    /// <list type="number">
    /// <item><see cref="NegotiateFeatures"/>: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK and the re-read that confirms it;</item>
    /// <item>device-specific reads of the configuration (allowed from here on);</item>
    /// <item><see cref="EnableInterrupts"/> (optional: without it the device is polled);</item>
    /// <item><see cref="CreateQueue"/> for each queue;</item>
    /// <item><see cref="Finish"/>: DRIVER_OK, after which the queues may notify.</item>
    /// </list>
    /// Any failure sets FAILED in the device status and returns a sentence naming the step and the
    /// value; later steps then return the same failure. Calling steps out of order throws.
    /// </summary>
    public sealed class VirtioDeviceInitializer
    {
        /// <summary>Status reads to wait for a reset to complete (§4.1.4.3.2: until device_status reads 0).</summary>
        public const int ResetPollLimit = 100_000;

        private readonly IVirtioTransport _transport;
        private readonly IDmaAllocator _dma;
        private readonly List<SplitVirtqueue> _queues = new();
        private Stage _stage;
        private VirtioDeviceStatus _status;
        private VirtioInterruptRouter? _router;
        private Action? _configChanged;

        /// <summary>Prepares to initialise the device behind <paramref name="transport"/>.</summary>
        /// <param name="transport">The device.</param>
        /// <param name="dma">Where queue memory comes from.</param>
        /// <param name="deviceName">Errors start with it; default "virtio-" + the type's short name.</param>
        public VirtioDeviceInitializer(IVirtioTransport transport, IDmaAllocator dma, string? deviceName = null)
        {
            ArgumentNullException.ThrowIfNull(transport);
            ArgumentNullException.ThrowIfNull(dma);
            _transport = transport;
            _dma = dma;
            DeviceName = deviceName ?? VirtioDeviceTypeNames.DriverName(transport.DeviceType);
        }

        private enum Stage
        {
            NotStarted,
            FeaturesAccepted,
            Live,
            Failed,
        }

        /// <summary>The name errors start with.</summary>
        public string DeviceName { get; }

        /// <summary>The device's transport.</summary>
        public IVirtioTransport Transport => _transport;

        /// <summary>What the device offered (after <see cref="NegotiateFeatures"/>).</summary>
        public ulong DeviceFeatures { get; private set; }

        /// <summary>What both sides agreed on (after <see cref="NegotiateFeatures"/>).</summary>
        public ulong NegotiatedFeatures { get; private set; }

        /// <summary>How the device interrupts; Polled until <see cref="EnableInterrupts"/> finds a way.</summary>
        public InterruptMode InterruptMode => _router?.Mode ?? InterruptMode.Polled;

        /// <summary>The vector plan, once <see cref="EnableInterrupts"/> ran.</summary>
        public VirtioInterruptRouter? Interrupts => _router;

        /// <summary>The queues created so far.</summary>
        public IReadOnlyList<SplitVirtqueue> Queues => _queues;

        /// <summary>The failure that stopped initialisation, or null.</summary>
        public string? Error { get; private set; }

        /// <summary>True after a successful <see cref="Finish"/>.</summary>
        public bool IsLive => _stage == Stage.Live;

        /// <summary>Called on a configuration change interrupt (interrupt context). Polled devices never call it.</summary>
        public Action? ConfigChanged
        {
            get => _configChanged;
            set
            {
                _configChanged = value;
                if (_router is not null)
                {
                    _router.ConfigChanged = value;
                }
            }
        }

        /// <summary>True when <paramref name="feature"/> was negotiated.</summary>
        public bool Has(ulong feature) => VirtioFeatures.Has(NegotiatedFeatures, feature);

        /// <summary>
        /// Steps 1–6 of §3.1.1. <paramref name="driverFeatures"/> are the device-type bits (0–23, 50–63)
        /// the driver understands, plus ACCESS_PLATFORM / ORDER_PLATFORM if it wants them; other
        /// reserved bits are the core's: VERSION_1 is accepted whenever offered (and required on the
        /// modern transports), INDIRECT_DESC and EVENT_IDX as <paramref name="ringFeatures"/> allow.
        /// </summary>
        public VirtioResult NegotiateFeatures(ulong driverFeatures, VirtqueueRingFeatures ringFeatures = VirtqueueRingFeatures.All)
        {
            Require(Stage.NotStarted, nameof(NegotiateFeatures));
            if (_stage == Stage.Failed)
            {
                return VirtioResult.Failure(Error!);
            }

            // 1. Reset, and wait for it to finish (§4.1.4.3.2, §4.2.2: the status reads 0 when done).
            _status = VirtioDeviceStatus.None;
            _transport.Reset();
            VirtioDeviceStatus afterReset = _transport.ReadStatus();
            for (int i = 0; i < ResetPollLimit && afterReset != VirtioDeviceStatus.None; i++)
            {
                afterReset = _transport.ReadStatus();
            }

            if (afterReset != VirtioDeviceStatus.None)
            {
                return Fail($"{DeviceName}: reset did not complete, status still 0x{(byte)afterReset:x2}");
            }

            // 2–3. ACKNOWLEDGE, then DRIVER.
            SetStatus(VirtioDeviceStatus.Acknowledge);
            SetStatus(VirtioDeviceStatus.Driver);

            // 4. Features: the driver's, the ring features the core implements, VERSION_1.
            ulong offered = _transport.ReadDeviceFeatures();
            DeviceFeatures = offered;
            ulong wanted = driverFeatures & (VirtioFeatures.DeviceSpecificMask | VirtioFeatures.DriverRequestableReserved);
            if ((ringFeatures & VirtqueueRingFeatures.IndirectDescriptors) != 0)
            {
                wanted |= VirtioFeatures.IndirectDescriptors;
            }

            if ((ringFeatures & VirtqueueRingFeatures.EventIndex) != 0)
            {
                wanted |= VirtioFeatures.EventIndex;
            }

            if (!_transport.IsLegacy)
            {
                // §6.1: a driver MUST accept VERSION_1 if offered; the modern interfaces are VirtIO 1.x only.
                if ((offered & VirtioFeatures.Version1) == 0)
                {
                    return Fail($"{DeviceName}: device does not offer VERSION_1 (features 0x{offered:x}), which the {VirtioTransportKindNames.Of(_transport.Kind)} transport requires");
                }

                wanted |= VirtioFeatures.Version1;
            }

            // Legacy interfaces: VERSION_1 never (a 1.x device speaks the legacy layout there).
            ulong negotiated = offered & wanted;
            if (_transport.IsLegacy)
            {
                negotiated &= ~VirtioFeatures.Version1 & 0xFFFF_FFFFUL;
            }

            _transport.WriteDriverFeatures(negotiated);
            NegotiatedFeatures = negotiated;

            // 5–6. FEATURES_OK, then re-read: a device that cannot work with this subset clears it.
            // Legacy devices have no FEATURES_OK (§3.1.2): skip both.
            if (!_transport.IsLegacy)
            {
                SetStatus(VirtioDeviceStatus.FeaturesOk);
                VirtioDeviceStatus confirmed = _transport.ReadStatus();
                if ((confirmed & VirtioDeviceStatus.FeaturesOk) == 0)
                {
                    return Fail($"{DeviceName}: device refused features 0x{negotiated:x} (offered 0x{offered:x}): FEATURES_OK did not stick, status 0x{(byte)confirmed:x2}");
                }
            }

            _stage = Stage.FeaturesAccepted;
            return VirtioResult.Success;
        }

        /// <summary>
        /// Asks for interrupts for <paramref name="queueCount"/> queues (MSI-X: one vector each plus one
        /// for configuration changes, where the function has them) and programs the configuration vector.
        /// Call before <see cref="CreateQueue"/>. Without this call the device is polled.
        /// </summary>
        public VirtioResult EnableInterrupts(int queueCount)
        {
            Require(Stage.FeaturesAccepted, nameof(EnableInterrupts));
            if (_stage == Stage.Failed)
            {
                return VirtioResult.Failure(Error!);
            }

            if (_router is not null || _queues.Count > 0)
            {
                throw new InvalidOperationException($"{DeviceName}: interrupts are enabled once, before the queues are created");
            }

            if (queueCount < 1 || queueCount > _transport.QueueCount)
            {
                throw new ArgumentOutOfRangeException(nameof(queueCount), $"{DeviceName}: {queueCount} queues asked, the device has {_transport.QueueCount}");
            }

            IInterruptSource source = _transport.EnableInterrupts(queueCount);
            _router = new VirtioInterruptRouter(_transport, source, queueCount) { ConfigChanged = _configChanged };
            int vector = _router.ConfigVector;
            if (vector >= 0 && !_transport.SetConfigVector(vector))
            {
                return Fail($"{DeviceName}: device refused MSI-X vector {vector} for configuration changes");
            }

            return VirtioResult.Success;
        }

        /// <summary>
        /// Sets up queue <paramref name="queueIndex"/> (§3.1.1 step 7, §2.7): size clamped to the device's
        /// maximum and rounded down to a power of two (legacy PCI: the device's fixed size), rings in
        /// DMA memory, an indirect table per descriptor when INDIRECT_DESC was negotiated and
        /// <paramref name="indirectCapacity"/> ≥ 2, its MSI-X vector, then enabled.
        /// </summary>
        public VirtioResult<SplitVirtqueue> CreateQueue(int queueIndex, int preferredSize, int indirectCapacity = SplitVirtqueue.DefaultIndirectCapacity)
        {
            Require(Stage.FeaturesAccepted, nameof(CreateQueue));
            if (_stage == Stage.Failed)
            {
                return VirtioResult<SplitVirtqueue>.Failure(Error!);
            }

            if (preferredSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(preferredSize), $"{DeviceName}: queue size {preferredSize}");
            }

            if (indirectCapacity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(indirectCapacity));
            }

            int queueCount = _transport.QueueCount;
            if (queueIndex < 0 || queueIndex >= queueCount)
            {
                return FailQueue($"{DeviceName}: queue {queueIndex} does not exist, the device has {queueCount}");
            }

            int maximum = _transport.GetMaxQueueSize(queueIndex);
            if (maximum == 0)
            {
                return FailQueue($"{DeviceName}: queue {queueIndex} is not available (maximum size 0)");
            }

            int size = _transport.QueueSizeIsFixed ? maximum : VirtqueueMath.ClampQueueSize(preferredSize, maximum);
            if (!VirtqueueMath.IsPowerOfTwo(size) || size > VirtqueueLayout.MaxQueueSize)
            {
                return FailQueue($"{DeviceName}: queue {queueIndex} has the fixed size {size}, not a power of two up to {VirtqueueLayout.MaxQueueSize}");
            }

            VirtqueueLayout layout = VirtqueueLayout.Create(size, _transport.IsLegacy);
            bool indirect = Has(VirtioFeatures.IndirectDescriptors) && indirectCapacity >= 2;
            int tableCapacity = Math.Min(indirectCapacity, size);
            DmaBuffer ring;
            DmaBuffer tables = default;
            try
            {
                ring = _dma.Allocate(layout.TotalBytes, layout.Alignment);
                if (indirect && tableCapacity >= 2)
                {
                    tables = _dma.Allocate(size * tableCapacity * VirtqueueLayout.DescriptorSize, VirtqueueLayout.DescriptorSize);
                }
            }
            catch (OutOfMemoryException)
            {
                return FailQueue($"{DeviceName}: no DMA memory for queue {queueIndex} of size {size} ({layout.TotalBytes} bytes of rings)");
            }

            var queue = new SplitVirtqueue(
                _transport, DeviceName, queueIndex, ring, layout, tables, tableCapacity, Has(VirtioFeatures.EventIndex));
            VirtioResult setUp = _transport.SetUpQueue(queueIndex, size, queue.Addresses);
            if (!setUp.IsSuccess)
            {
                return FailQueue(setUp.Error!);
            }

            if (_router is not null && _router.DeliversInterrupts)
            {
                int vector = _router.QueueVector(queueIndex);
                if (vector >= 0 && !_transport.SetQueueVector(queueIndex, vector))
                {
                    return FailQueue($"{DeviceName}: device refused MSI-X vector {vector} for queue {queueIndex}");
                }

                _router.Attach(queue);
            }
            else
            {
                queue.DisableInterrupts();
            }

            _transport.EnableQueue(queueIndex);
            _queues.Add(queue);
            return VirtioResult<SplitVirtqueue>.Success(queue);
        }

        /// <summary>
        /// §3.1.1 step 8: DRIVER_OK. The device is live; queues send the notifications they held back.
        /// Fails when the device answers with DEVICE_NEEDS_RESET or FAILED.
        /// </summary>
        public VirtioResult Finish()
        {
            Require(Stage.FeaturesAccepted, nameof(Finish));
            if (_stage == Stage.Failed)
            {
                return VirtioResult.Failure(Error!);
            }

            SetStatus(VirtioDeviceStatus.DriverOk);
            VirtioDeviceStatus status = _transport.ReadStatus();
            if ((status & (VirtioDeviceStatus.DeviceNeedsReset | VirtioDeviceStatus.Failed)) != 0)
            {
                return Fail($"{DeviceName}: device reported status 0x{(byte)status:x2} after DRIVER_OK");
            }

            _stage = Stage.Live;
            for (int i = 0; i < _queues.Count; i++)
            {
                _queues[i].MarkLive();
            }

            return VirtioResult.Success;
        }

        /// <summary>
        /// Gives up on the device (a driver's own check failed, e.g. an impossible configuration):
        /// sets FAILED (§2.1) and returns <paramref name="reason"/> as the failure.
        /// </summary>
        public VirtioResult Fail(string reason)
        {
            ArgumentNullException.ThrowIfNull(reason);
            _stage = Stage.Failed;
            Error ??= reason;
            _status |= VirtioDeviceStatus.Failed;
            _transport.WriteStatus(_status);
            return VirtioResult.Failure(reason);
        }

        private VirtioResult<SplitVirtqueue> FailQueue(string reason) => VirtioResult<SplitVirtqueue>.Failure(Fail(reason).Error!);

        private void SetStatus(VirtioDeviceStatus bit)
        {
            _status |= bit;
            _transport.WriteStatus(_status);
        }

        private void Require(Stage expected, string step)
        {
            if (_stage != expected && _stage != Stage.Failed)
            {
                throw new InvalidOperationException($"{DeviceName}: {step} called in the wrong order (stage {StageName(_stage)})");
            }
        }

        private static string StageName(Stage stage)
        {
            switch (stage)
            {
                case Stage.NotStarted: return "not started";
                case Stage.FeaturesAccepted: return "features accepted";
                case Stage.Live: return "live";
                default: return "failed";
            }
        }
    }
}
