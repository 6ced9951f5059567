using System;
using System.Buffers.Binary;
using System.Threading;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Input.VirtioInputRegisters;

namespace Cosmos.Drivers.VirtIO.Input
{
    /// <summary>
    /// A virtio-input device (VirtIO 1.2 §5.8): keyboard, mouse or tablet, told apart by the event bits
    /// of its configuration. Event buffers are posted ahead on the event queue and reposted as events are
    /// taken; lock lights go back to the device on the status queue as EV_LED events. An event the device
    /// describes impossibly (a short buffer, a type or code out of range) is dropped and counted.
    /// </summary>
    /// <remarks>Not reentrant: one thread reads events (interrupt handlers only signal).</remarks>
    public sealed class VirtioInputDevice : IInputDevice
    {
        /// <summary>Event buffers kept posted.</summary>
        public const int EventBuffers = 64;

        private const int StatusSlots = 32;

        private readonly VirtioDeviceInitializer _device;
        private readonly VirtioInputConfiguration _config;
        private readonly SplitVirtqueue _events;
        private readonly SplitVirtqueue _status;
        private readonly DmaBuffer _eventMemory;
        private readonly DmaBuffer _statusMemory;
        private readonly int[] _bufferOfToken;
        private readonly int[] _statusSlotOfToken;
        private readonly bool[] _statusSlotBusy = new bool[StatusSlots];
        private readonly DmaBuffer[] _one = new DmaBuffer[1];
        private long _dropped;

        private VirtioInputDevice(VirtioDeviceInitializer device, VirtioInputConfiguration config, IDmaAllocator dma)
        {
            _device = device;
            _config = config;
            _events = device.Queues[EventQueue];
            _status = device.Queues[StatusQueue];
            _eventMemory = dma.Allocate(EventBuffers * EventLength, 4096);
            _statusMemory = dma.Allocate(StatusSlots * EventLength, 4096);
            _bufferOfToken = new int[_events.Size];
            _statusSlotOfToken = new int[_status.Size];
            Transport = device.Transport.Describe();
            _events.UsedBuffersHandler = () => EventsArrived?.Invoke();

            // §5.8.6.1: the driver fills the event queue before the device can send.
            int posted = Math.Min(EventBuffers, _events.Size);
            for (int i = 0; i < posted; i++)
            {
                Post(i);
            }
        }

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Input;

        /// <inheritdoc />
        public string NameStem => Kind switch
        {
            InputDeviceKind.Keyboard => "kbd",
            InputDeviceKind.Mouse => "mouse",
            InputDeviceKind.Tablet => "tablet",
            _ => "input",
        };

        /// <inheritdoc />
        public string DriverName => "virtio-input";

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => _device.InterruptMode;

        /// <inheritdoc />
        public string DeviceName => _config.Name;

        /// <inheritdoc />
        public InputDeviceKind Kind => _config.Kind;

        /// <summary>What the configuration said, including what did not make sense.</summary>
        public VirtioInputConfiguration Configuration => _config;

        /// <inheritdoc />
        public bool HasLeds => _config.SupportsType(InputEventTypes.Led);

        /// <inheritdoc />
        public Action? EventsArrived { get; set; }

        /// <inheritdoc />
        public long DroppedEvents => Interlocked.Read(ref _dropped);

        /// <summary>The event queue's error when a lying device broke it, else null.</summary>
        public string? QueueError => _events.Error ?? _status.Error;

        /// <summary>"[virtio-input] kbd0: QEMU Virtio Keyboard (keyboard, leds)".</summary>
        public string Summary(string name)
        {
            string line = $"[virtio-input] {name}: {DeviceName} ({Kind.ToString().ToLowerInvariant()}";
            if (Kind == InputDeviceKind.Tablet)
            {
                InputAxisRange x = _config.Axis(0)!.Value, y = _config.Axis(1)!.Value;
                line += $", x {x.Minimum}..{x.Maximum}, y {y.Minimum}..{y.Maximum}";
            }

            line += HasLeds ? ", leds)" : ")";
            return _config.Problems.Length == 0 ? line : line + "; config: " + _config.Problems;
        }

        /// <summary>Brings the device up (§5.8.5): configuration read, both queues, event buffers posted, DRIVER_OK.</summary>
        public static VirtioResult<VirtioInputDevice> Start(IVirtioTransport transport, IDmaAllocator dma)
        {
            ArgumentNullException.ThrowIfNull(transport);
            ArgumentNullException.ThrowIfNull(dma);
            var device = new VirtioDeviceInitializer(transport, dma, "virtio-input");
            VirtioResult step = device.NegotiateFeatures(0);
            if (step.IsSuccess && transport.QueueCount < 2)
            {
                step = device.Fail($"virtio-input: device has {transport.QueueCount} queues, an event and a status queue are needed");
            }

            if (step.IsSuccess && transport.ConfigLength < ConfigUnion)
            {
                step = device.Fail($"virtio-input: configuration is {transport.ConfigLength} bytes, at least {ConfigUnion} are needed");
            }

            VirtioInputConfiguration? config = null;
            if (step.IsSuccess)
            {
                try
                {
                    config = VirtioInputConfiguration.Read(transport);
                }
                catch (VirtioDeviceException error)
                {
                    step = device.Fail($"virtio-input: configuration unreadable: {error.Message}");
                }
            }

            if (step.IsSuccess)
            {
                step = device.EnableInterrupts(2);
            }

            if (step.IsSuccess)
            {
                step = device.CreateQueue(EventQueue, EventBuffers, 0).WithoutValue();
            }

            if (step.IsSuccess)
            {
                step = device.CreateQueue(StatusQueue, StatusSlots, 0).WithoutValue();
            }

            if (!step.IsSuccess)
            {
                return VirtioResult<VirtioInputDevice>.Failure(step.Error!);
            }

            VirtioInputDevice input;
            try
            {
                input = new VirtioInputDevice(device, config!, dma);
            }
            catch (OutOfMemoryException)
            {
                return VirtioResult<VirtioInputDevice>.Failure(device.Fail("virtio-input: no DMA memory for the event buffers").Error!);
            }

            step = device.Finish();
            return step.IsSuccess ? VirtioResult<VirtioInputDevice>.Success(input) : VirtioResult<VirtioInputDevice>.Failure(step.Error!);
        }

        /// <inheritdoc />
        public bool TryReadEvent(out InputEvent inputEvent)
        {
            while (_events.TryTakeNextCompletion(out VirtqueueCompletion completion))
            {
                int buffer = _bufferOfToken[completion.Token];
                bool valid = completion.IsSuccess && completion.WrittenLength == EventLength;
                InputEvent parsed = default;
                if (valid)
                {
                    ReadOnlySpan<byte> bytes = _eventMemory.Span.Slice(buffer * EventLength, EventLength);
                    parsed = new InputEvent(
                        BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                        BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]),
                        BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]));
                    valid = IsPlausible(parsed);
                }

                Post(buffer);
                _events.NotifyDevice();
                if (valid)
                {
                    inputEvent = parsed;
                    return true;
                }

                Interlocked.Increment(ref _dropped);
            }

            inputEvent = default;
            return false;
        }

        /// <inheritdoc />
        public InputAxisRange? GetAxisRange(int axis) => _config.Axis(axis);

        /// <inheritdoc />
        public bool SetLeds(KeyboardLeds leds)
        {
            if (!HasLeds || _status.IsBroken)
            {
                return false;
            }

            // §5.8.6.2: one event per status buffer. No SYN_REPORT after them: QEMU's keyboard takes EV_LED only
            // and reports any other type as unknown.
            bool sent = SendStatus(InputEventTypes.Led, LedNumLock, (leds & KeyboardLeds.NumLock) != 0 ? 1 : 0)
                & SendStatus(InputEventTypes.Led, LedCapsLock, (leds & KeyboardLeds.CapsLock) != 0 ? 1 : 0)
                & SendStatus(InputEventTypes.Led, LedScrollLock, (leds & KeyboardLeds.ScrollLock) != 0 ? 1 : 0);
            _status.NotifyDevice();
            return sent;
        }

        private bool IsPlausible(InputEvent e) => e.Type switch
        {
            InputEventTypes.Sync => e.Code <= 3,
            InputEventTypes.Key => e.Code <= KeyMax && e.Value is >= 0 and <= 2,
            InputEventTypes.Relative => e.Code <= RelMax,
            InputEventTypes.Absolute => e.Code <= AbsMax,
            InputEventTypes.Misc => true,
            InputEventTypes.Led => e.Code <= LedMax,
            InputEventTypes.Repeat => true,
            _ => e.Type <= InputEventTypes.Max,
        };

        private void Post(int buffer)
        {
            _one[0] = _eventMemory.Slice(buffer * EventLength, EventLength);
            if (_events.Submit(ReadOnlySpan<DmaBuffer>.Empty, _one, out int token) == VirtqueueSubmitStatus.Submitted)
            {
                _bufferOfToken[token] = buffer;
            }
        }

        private bool SendStatus(ushort type, ushort code, int value)
        {
            // Reclaim the status buffers the device has read.
            while (_status.TryTakeNextCompletion(out VirtqueueCompletion done))
            {
                _statusSlotBusy[_statusSlotOfToken[done.Token]] = false;
            }

            int slot = Array.IndexOf(_statusSlotBusy, false);
            if (slot < 0)
            {
                return false;
            }

            Span<byte> bytes = _statusMemory.Span.Slice(slot * EventLength, EventLength);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, type);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], code);
            BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], value);
            _one[0] = _statusMemory.Slice(slot * EventLength, EventLength);
            if (_status.Submit(_one, ReadOnlySpan<DmaBuffer>.Empty, out int token) != VirtqueueSubmitStatus.Submitted)
            {
                return false;
            }

            _statusSlotBusy[slot] = true;
            _statusSlotOfToken[token] = slot;
            return true;
        }
    }
}
