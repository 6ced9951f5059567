using System;
using System.Collections.Generic;
using System.Threading;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Net.VirtioNetRegisters;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>
    /// A virtio-net interface (VirtIO 1.2 §5.1) on any transport, legacy or modern: MAC, link status
    /// and MTU from the configuration, mergeable receive buffers, checksum offload both ways, one
    /// receive and one transmit queue. Receive buffers are posted ahead and reposted as frames are
    /// taken; transmit buffers are reclaimed as the device returns them. Interrupts (or polling, where
    /// there are none) only record what the device did: frames are copied out by
    /// <see cref="TryReceive(Span{byte}, out bool)"/> on the caller's thread. A device that describes a
    /// frame impossibly has that frame dropped and counted, is reported once, and the driver goes on.
    /// </summary>
    /// <remarks>Not reentrant: one thread of the kernel sends and receives (interrupt handlers only record).</remarks>
    public sealed partial class VirtioNetDevice : INetworkDevice, IRemovableDevice
    {
        /// <summary>Queue size asked for (the device may give less; legacy PCI fixes its own).</summary>
        public const int DefaultQueueSize = 256;

        // Mergeable receive buffers: a 1500-byte MTU frame fits in one, larger ones spread over several.
        private const int MergeableBufferLength = 2048;

        // DMA memory each direction may take; with large MTUs and no MRG_RXBUF fewer buffers are posted.
        private const int MemoryBudgetPerDirection = 1 << 20;
        private const int MinimumReceiveBuffers = 16;
        private const int MaxTransmitInFlight = 128;

        private const ulong DriverFeatures = FeatureCsum | FeatureGuestCsum | FeatureMtu | FeatureMac | FeatureMrgRxbuf | FeatureStatus;

        private readonly VirtioDeviceInitializer _device;
        private readonly SplitVirtqueue _receiveQueue;
        private readonly SplitVirtqueue _transmitQueue;
        private readonly VirtioNetBufferPool _receiveBuffers;
        private readonly VirtioNetBufferPool _transmitBuffers;
        private readonly DmaBuffer[] _chain = new DmaBuffer[2];
        private readonly byte[] _mac;
        private readonly NetworkDeviceCounters _counters = new();
        private readonly List<string> _faults = new();
        private uint _reportedFaults;
        private int _configChanges;
        private int _configChangesSeen;
        private bool _linkUp = true;
        private bool _pollCompletions;

        private VirtioNetDevice(VirtioDeviceInitializer device, SplitVirtqueue receiveQueue, SplitVirtqueue transmitQueue, IDmaAllocator dma, VirtioNetConfiguration configuration)
        {
            _device = device;
            _receiveQueue = receiveQueue;
            _transmitQueue = transmitQueue;
            _mac = configuration.Mac;
            MacFromDevice = configuration.MacFromDevice;
            Mtu = configuration.Mtu;
            MaxFrameLength = Mtu + EthernetHeaderLength + VlanTagLength;
            Transport = device.Transport.Describe();
            MergeableReceiveBuffers = device.Has(FeatureMrgRxbuf);
            OffloadsTransmitChecksum = device.Has(FeatureCsum);
            ReceivesPartialChecksums = device.Has(FeatureGuestCsum);
            HasLinkStatus = device.Has(FeatureStatus);

            // §5.1.6: 12 bytes with VERSION_1 or MRG_RXBUF, else the legacy 10. §5.1.6.6: a legacy driver
            // without ANY_LAYOUT gives the header a descriptor of its own (receive: unless buffers merge).
            bool modern = device.Has(VirtioFeatures.Version1);
            HeaderLength = modern || MergeableReceiveBuffers ? VirtioNetRegisters.HeaderLength : LegacyHeaderLength;
            SeparateTransmitHeader = !modern;
            SeparateReceiveHeader = !modern && !MergeableReceiveBuffers;

            int receiveSlots = SlotsFor(receiveQueue, SeparateReceiveHeader);
            int receiveLength;
            if (MergeableReceiveBuffers)
            {
                // A ring full of buffers must hold one largest frame (the lesson of Linux commit d85b758f).
                int perBuffer = (HeaderLength + MaxFrameLength + receiveSlots - 1) / receiveSlots;
                receiveLength = Math.Max(MergeableBufferLength, (perBuffer + 63) & ~63);
            }
            else
            {
                receiveLength = HeaderLength + MaxFrameLength;
                receiveSlots = Math.Min(receiveSlots, Math.Max(MinimumReceiveBuffers, MemoryBudgetPerDirection / receiveLength));
            }

            int transmitLength = HeaderLength + MaxFrameLength;
            int transmitSlots = Math.Min(Math.Min(SlotsFor(transmitQueue, SeparateTransmitHeader), MaxTransmitInFlight), Math.Max(1, MemoryBudgetPerDirection / transmitLength));
            _receiveBuffers = new VirtioNetBufferPool(dma, receiveSlots, receiveLength, receiveQueue.Size);
            _transmitBuffers = new VirtioNetBufferPool(dma, transmitSlots, transmitLength, transmitQueue.Size);
            _frameBuffers = new int[receiveSlots];
            _frameLengths = new int[receiveSlots];
            _receiveQueue.UsedBuffersHandler = OnFramesArrived;
            if (HasLinkStatus)
            {
                _linkUp = VirtioNetConfiguration.ReadLinkUp(device.Transport);
            }

            if (configuration.Problem is not null)
            {
                Fault(VirtioNetFault.Configuration, configuration.Problem);
            }

            // §5.1.5: fill the receive queue before DRIVER_OK; the queue holds the notification until then.
            PostReceiveBuffers();
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Network;

        /// <summary>True once <see cref="Detach"/> ran: nothing is sent or received any more.</summary>
        public bool IsDetached { get; private set; }

        /// <summary>
        /// The card is leaving (its hot-plug slot is being emptied; the network stack has already let the interface
        /// go): both queues stop, frames in flight are dropped, and the device is reset (§2.4) so it stops using the
        /// rings. Its interrupts are released by the bus.
        /// </summary>
        public void Detach()
        {
            if (IsDetached)
            {
                return;
            }

            IsDetached = true;
            _receiveQueue.Stop();
            _transmitQueue.Stop();
            _device.Transport.Reset();
            Log?.Invoke(Prefix + "detached");
        }

        /// <inheritdoc />
        public string NameStem => "eth";

        /// <inheritdoc />
        public string DriverName => "virtio-net";

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => PollCompletions ? InterruptMode.Polled : _device.InterruptMode;

        /// <summary>
        /// The name the device manager gave this interface ("eth0"); log lines start with it. The
        /// driver sets it at registration; empty before.
        /// </summary>
        public string Name { get; set; } = "";

        /// <summary>
        /// Where fault reports (one line each, the first time a kind of fault is seen) and link changes go; null: nowhere,
        /// faults stay in <see cref="Faults"/>.
        /// </summary>
        public Action<string>? Log { get; set; }

        /// <summary>The first report of each kind of device misbehaviour seen, in order.</summary>
        public IReadOnlyList<string> Faults => _faults;

        /// <summary>"[virtio-net] eth0: mac 52:54:00:12:34:56, mtu 1500, link up, mrg_rxbuf, csum".</summary>
        public string Summary
        {
            get
            {
                string line = $"{Prefix}mac {VirtioNetConfiguration.Format(_mac)}{(MacFromDevice ? "" : " (generated)")}, mtu {Mtu}, link {(IsLinkUp ? "up" : "down")}";
                if (MergeableReceiveBuffers)
                {
                    line += ", mrg_rxbuf";
                }

                if (OffloadsTransmitChecksum)
                {
                    line += ", csum";
                }

                if (ReceivesPartialChecksums)
                {
                    line += ", guest_csum";
                }

                return line;
            }
        }

        /// <inheritdoc />
        public ReadOnlySpan<byte> MacAddress => _mac;

        /// <summary>True when the MAC address came from the device, false when the driver generated a locally administered one.</summary>
        public bool MacFromDevice { get; }

        /// <summary>
        /// The link bit of the configuration when STATUS was negotiated (re-read after a configuration
        /// change interrupt, or on every look when polled), always up without it; down once the device
        /// broke a queue.
        /// </summary>
        public bool IsLinkUp
        {
            get
            {
                if (_receiveQueue.IsBroken || _transmitQueue.IsBroken)
                {
                    return false;
                }

                if (HasLinkStatus)
                {
                    int changes = Volatile.Read(ref _configChanges);
                    if (changes != _configChangesSeen || _device.InterruptMode == InterruptMode.Polled)
                    {
                        _configChangesSeen = changes;
                        try
                        {
                            bool linkUp = VirtioNetConfiguration.ReadLinkUp(_device.Transport);
                            if (linkUp != _linkUp)
                            {
                                Log?.Invoke(Prefix + (linkUp ? "link up" : "link down"));
                            }

                            _linkUp = linkUp;
                        }
                        catch (VirtioDeviceException)
                        {
                            // The generation kept changing: keep the last answer; the next look tries again.
                            _configChangesSeen = changes - 1;
                        }
                    }
                }

                return _linkUp;
            }
        }

        /// <inheritdoc />
        public int Mtu { get; }

        /// <inheritdoc />
        public int MaxFrameLength { get; }

        /// <inheritdoc />
        public bool OffloadsTransmitChecksum { get; }

        /// <summary>True when GUEST_CSUM was negotiated: the device may deliver frames with checksums left partial (the driver completes them).</summary>
        public bool ReceivesPartialChecksums { get; }

        /// <summary>True when MRG_RXBUF was negotiated: a frame may arrive spread over several receive buffers.</summary>
        public bool MergeableReceiveBuffers { get; }

        /// <summary>True when STATUS was negotiated: the link state comes from the device.</summary>
        public bool HasLinkStatus { get; }

        /// <summary>Bytes of virtio_net_hdr before each frame: 12, or 10 on a legacy device without MRG_RXBUF.</summary>
        public int HeaderLength { get; }

        /// <summary>Receive buffers the driver keeps posted.</summary>
        public int ReceiveBufferCount => _receiveBuffers.Count;

        /// <summary>Bytes per receive buffer, header included.</summary>
        public int ReceiveBufferLength => _receiveBuffers.BufferLength;

        /// <summary>Frames the driver can have in the transmit queue at once.</summary>
        public int TransmitSlotCount => _transmitBuffers.Count;

        /// <summary>Receive buffers currently lent to the device.</summary>
        public int ReceiveBuffersPosted => _receiveBuffers.Count - _receiveBuffers.FreeCount - _frameBufferCount;

        /// <summary>Frames sent and not yet returned by the device.</summary>
        public int TransmitsInFlight => _transmitBuffers.Count - _transmitBuffers.FreeCount;

        /// <summary>Configuration change interrupts seen.</summary>
        public int ConfigurationChanges => Volatile.Read(ref _configChanges);

        /// <summary>The receive or transmit queue's error when a lying device broke it, else null.</summary>
        public string? QueueError => _receiveQueue.Error ?? _transmitQueue.Error;

        /// <summary>
        /// When set, both queues are polled and their interrupts suppressed even where the transport
        /// delivers them (for measurements and interrupt-less contexts).
        /// </summary>
        public bool PollCompletions
        {
            get => _pollCompletions;
            set
            {
                _pollCompletions = value;
                if (value)
                {
                    _receiveQueue.DisableInterrupts();
                    _transmitQueue.DisableInterrupts();
                }
                else if (_device.InterruptMode != InterruptMode.Polled)
                {
                    _receiveQueue.EnableInterrupts();
                    _transmitQueue.EnableInterrupts();
                }
            }
        }

        /// <inheritdoc />
        public Action? FramesArrived { get; set; }

        /// <inheritdoc />
        public NetworkStatistics Statistics => _counters.Snapshot();

        private bool SeparateTransmitHeader { get; }

        // "[virtio-net] eth0: ", or "[virtio-net] " before the interface has a name.
        private string Prefix => Name.Length == 0 ? "[virtio-net] " : "[virtio-net] " + Name + ": ";

        private bool SeparateReceiveHeader { get; }

        /// <summary>
        /// Brings the device up through <paramref name="transport"/> (§5.1.5): features, the two
        /// queues with interrupts where the transport has them, receive buffers posted, DRIVER_OK.
        /// An error names the failing step.
        /// </summary>
        public static VirtioResult<VirtioNetDevice> Start(IVirtioTransport transport, IDmaAllocator dma, int queueSize = DefaultQueueSize)
        {
            ArgumentNullException.ThrowIfNull(transport);
            ArgumentNullException.ThrowIfNull(dma);
            var device = new VirtioDeviceInitializer(transport, dma, "virtio-net");
            VirtioResult step = device.NegotiateFeatures(DriverFeatures);
            if (step.IsSuccess && transport.QueueCount < 2)
            {
                step = device.Fail($"virtio-net: device has {transport.QueueCount} queues, a receive and a transmit queue are needed");
            }

            if (step.IsSuccess)
            {
                step = device.EnableInterrupts(2);
            }

            if (!step.IsSuccess)
            {
                return VirtioResult<VirtioNetDevice>.Failure(step.Error!);
            }

            VirtioNetConfiguration configuration;
            try
            {
                configuration = VirtioNetConfiguration.Read(transport, device.NegotiatedFeatures);
            }
            catch (VirtioDeviceException error)
            {
                return VirtioResult<VirtioNetDevice>.Failure(device.Fail($"virtio-net: configuration unreadable: {error.Message}").Error!);
            }

            // Indirect tables of 2: a legacy frame's header and data take one ring descriptor.
            VirtioResult<SplitVirtqueue> receive = device.CreateQueue(ReceiveQueue, queueSize, 2);
            if (!receive.IsSuccess)
            {
                return VirtioResult<VirtioNetDevice>.Failure(receive.Error!);
            }

            VirtioResult<SplitVirtqueue> transmit = device.CreateQueue(TransmitQueue, queueSize, 2);
            if (!transmit.IsSuccess)
            {
                return VirtioResult<VirtioNetDevice>.Failure(transmit.Error!);
            }

            VirtioNetDevice nic;
            try
            {
                nic = new VirtioNetDevice(device, receive.Value, transmit.Value, dma, configuration);
            }
            catch (OutOfMemoryException)
            {
                return VirtioResult<VirtioNetDevice>.Failure(device.Fail("virtio-net: no DMA memory for the receive and transmit buffers").Error!);
            }
            catch (VirtioDeviceException error)
            {
                return VirtioResult<VirtioNetDevice>.Failure(device.Fail($"virtio-net: link status unreadable: {error.Message}").Error!);
            }

            device.ConfigChanged = nic.OnConfigChanged;
            step = device.Finish();
            return step.IsSuccess
                ? VirtioResult<VirtioNetDevice>.Success(nic)
                : VirtioResult<VirtioNetDevice>.Failure(step.Error!);
        }

        // How many buffers a queue holds when each takes one or two descriptors (two fit one indirect table).
        private static int SlotsFor(SplitVirtqueue queue, bool separateHeader) =>
            separateHeader && !queue.UsesIndirectDescriptors ? queue.Size / 2 : queue.Size;

        // Interrupt context: count, nothing else; IsLinkUp re-reads the configuration on the caller's thread.
        private void OnConfigChanged() => Interlocked.Increment(ref _configChanges);

        // Interrupt context (or the end of a queue method an interrupt arrived during): the queue recorded the frames.
        private void OnFramesArrived() => FramesArrived?.Invoke();

        // Reports the first fault of each kind; later ones are only counted by the caller.
        private void Fault(VirtioNetFault kind, string message)
        {
            uint bit = 1u << (int)kind;
            if ((_reportedFaults & bit) != 0)
            {
                return;
            }

            _reportedFaults |= bit;
            string line = Prefix + message;
            _faults.Add(line);
            Log?.Invoke(line);
        }

        private bool HasReported(VirtioNetFault kind) => (_reportedFaults & (1u << (int)kind)) != 0;
    }
}
