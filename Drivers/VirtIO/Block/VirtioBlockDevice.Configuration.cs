using System;
using System.Threading;
using static Cosmos.Drivers.VirtIO.Block.VirtioBlockRegisters;

namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>
    /// Configuration changes (VirtIO 1.2 §2.5, §5.2.4): the host may change the capacity while the driver runs (QEMU's
    /// <c>block_resize</c>); the device then bumps the configuration generation and sends a configuration change
    /// notification. The interrupt only counts; the capacity is re-read under the generation counter on the caller's
    /// thread the next time anyone asks for <see cref="BlockCount"/> (every request does), and the change is logged.
    /// </summary>
    public sealed partial class VirtioBlockDevice
    {
        private ulong _blockCount;
        private int _configChanges;
        private int _configChangesSeen;
        private int _failedRequests;

        // Failed requests reported one line each; after that they are only counted (a dying disk must not flood COM1).
        private const int FailedRequestsReported = 16;

        /// <summary>The name the device manager gave this disk ("vda"); log lines start with it. Empty before registration.</summary>
        public string Name { get; set; } = "";

        /// <summary>Where configuration changes and device trouble are reported, one line each; null: nowhere.</summary>
        public Action<string>? Log { get; set; }

        private long _requestTimeoutTicks = 30 * System.Diagnostics.Stopwatch.Frequency;

        /// <summary>
        /// How long a request may stay in flight before the disk is taken to be dead (30 s, as Linux's block layer
        /// waits): the wait for it ends, it and every other request fail, and the device is reset.
        /// </summary>
        public TimeSpan RequestTimeout
        {
            get => TimeSpan.FromSeconds((double)_requestTimeoutTicks / System.Diagnostics.Stopwatch.Frequency);
            set
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
                _requestTimeoutTicks = (long)(value.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            }
        }

        /// <summary>
        /// True once the device stopped answering (<see cref="RequestTimeout"/>), asked to be reset
        /// (DEVICE_NEEDS_RESET, §2.1.2) or broke its queue with a lie (<see cref="QueueError"/>): every request fails with <see cref="Cosmos.HAL.Devices.BlockResult.DeviceFailed"/>
        /// until the disk is removed and plugged in again.
        /// </summary>
        public bool IsFailed { get; private set; }

        /// <summary>Configuration change notifications seen.</summary>
        public int ConfigurationChanges => Volatile.Read(ref _configChanges);

        /// <inheritdoc />
        /// <remarks>Re-read from the configuration after a configuration change notification.</remarks>
        public ulong BlockCount
        {
            get
            {
                RefreshConfiguration();
                return _blockCount;
            }
        }

        /// <summary>Requests that completed with an I/O error or a lying completion.</summary>
        public int FailedRequests => _failedRequests;

        // "[virtio-blk] vda: ", or "[virtio-blk] " before the disk has a name.
        private string Prefix => Name.Length == 0 ? "[virtio-blk] " : "[virtio-blk] " + Name + ": ";

        // The disk is dead: requests in flight fail, later ones are refused, and the device is reset (§2.4) so that a late
        // completion cannot write into buffers the driver has taken back. Recovery is removing and re-adding the disk.
        private void FailDevice(string reason)
        {
            if (IsFailed || IsDetached)
            {
                return;
            }

            IsFailed = true;
            int failed = _queue.Stop();
            // Said before the reset: a host that must first finish what it has in flight may hold the reset for a while.
            Log?.Invoke($"{Prefix}{reason}; the disk is failed: " + (failed > 0 ? $"{failed} requests in flight and every later one fail" : "every later request fails"));
            _device.Transport.Reset();
        }

        // Interrupt context: count, nothing else.
        private void OnConfigChanged() => Interlocked.Increment(ref _configChanges);

        // A failed request, on COM1 with what it was: "[virtio-blk] vdb: read of 8 sectors at 2048: I/O error (status 1)".
        private void ReportFailedRequest(VirtioBlockSlot slot, Cosmos.HAL.Devices.BlockResult result)
        {
            _failedRequests++;
            if (_failedRequests > FailedRequestsReported)
            {
                return;
            }

            ReadOnlySpan<byte> header = slot.Header.Span;
            ulong sector = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            string what = slot.Type switch
            {
                TypeIn => $"read of {slot.ExpectedWritten / SectorSize} sectors at {sector}",
                TypeOut => $"write at sector {sector}",
                TypeFlush => "flush",
                _ => $"request type {slot.Type} at sector {sector}",
            };
            string why = result == Cosmos.HAL.Devices.BlockResult.IoError
                ? $"I/O error (status {slot.Status.Span[0]})"
                : "the device's completion does not add up (request failed)";
            string more = _failedRequests == FailedRequestsReported ? "; further failures are only counted" : "";
            Log?.Invoke($"{Prefix}{what}: {why}{more}");
        }

        private void RefreshConfiguration()
        {
            int changes = Volatile.Read(ref _configChanges);
            if (changes == _configChangesSeen)
            {
                return;
            }

            ulong sectors;
            try
            {
                // §2.5.1: ReadConfig64 repeats the two halves until the generation stays the same.
                sectors = _device.Transport.ReadConfig64(ConfigCapacity);
            }
            catch (VirtioDeviceException error)
            {
                // The generation kept changing: keep the old capacity; the next look tries again.
                Log?.Invoke($"{Prefix}configuration changed but could not be read: {error.Message}");
                return;
            }

            _configChangesSeen = changes;
            // §2.1.2: a device that can no longer go on sets DEVICE_NEEDS_RESET and sends a configuration change notification.
            VirtioDeviceStatus status = _device.Transport.ReadStatus();
            if ((status & VirtioDeviceStatus.DeviceNeedsReset) != 0 && !IsFailed && !IsDetached)
            {
                FailDevice($"the device set DEVICE_NEEDS_RESET (status 0x{(byte)status:x2})");
                return;
            }

            ulong blocks = sectors / SectorsPerBlock;
            if (blocks != _blockCount)
            {
                Log?.Invoke($"{Prefix}capacity changed from {_blockCount} to {blocks} blocks of {BlockSize} B");
                _blockCount = blocks;
            }
        }
    }
}
