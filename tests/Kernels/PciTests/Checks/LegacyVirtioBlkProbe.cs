using System;
using System.Buffers.Binary;
using System.Text;
using System.Threading;
using Cosmos.HAL.Hardware;

namespace PciTests.Checks
{
    /// <summary>
    /// Just enough of a legacy virtio-blk driver (VirtIO 1.2 §4.1.4.8 and §2.7, one split queue)
    /// to make the device interrupt: a GET_ID request whose completion the device signals. Test
    /// code, not a driver: the real one lives in Drivers/VirtIO.
    /// </summary>
    internal sealed class LegacyVirtioBlkProbe
    {
        private const ulong HostFeatures = 0x00, GuestFeatures = 0x04, QueueAddress = 0x08, QueueSize = 0x0C, QueueSelect = 0x0E;
        private const ulong QueueNotify = 0x10, DeviceStatus = 0x12, IsrStatus = 0x13, ConfigVector = 0x14, QueueVector = 0x16;
        private const byte Acknowledge = 1, Driver = 2, DriverOk = 4;
        private const ushort DescriptorNext = 1, DescriptorWrite = 2, NoVector = 0xFFFF;
        private const uint RequestGetId = 8;
        private const int IdOffset = 64, StatusOffset = 128, IdLength = 20;

        private readonly IRegisterBlock _io;
        private readonly DmaAllocator _dma;
        private readonly DmaBuffer _ring;
        private readonly DmaBuffer _request;
        private readonly int _queueSize;
        private readonly int _usedOffset;
        private ushort _availableIndex;

        private LegacyVirtioBlkProbe(IRegisterBlock io, DmaAllocator dma, DmaBuffer ring, DmaBuffer request, int queueSize, int usedOffset)
        {
            _io = io;
            _dma = dma;
            _ring = ring;
            _request = request;
            _queueSize = queueSize;
            _usedOffset = usedOffset;
        }

        /// <summary>Resets and initialises the device with queue 0; with MSI-X on, the queue signals MSI-X table entry <paramref name="queueMsixEntry"/>.</summary>
        public static LegacyVirtioBlkProbe Start(IRegisterBlock io, DmaAllocator dma, int queueMsixEntry = -1)
        {
            io.Write8(DeviceStatus, 0);
            io.Write8(DeviceStatus, Acknowledge);
            io.Write8(DeviceStatus, Acknowledge | Driver);
            _ = io.Read32(HostFeatures);
            io.Write32(GuestFeatures, 0);
            if (queueMsixEntry >= 0)
            {
                io.Write16(ConfigVector, NoVector);
            }

            io.Write16(QueueSelect, 0);
            int size = io.Read16(QueueSize);
            if (size == 0)
            {
                throw new InvalidOperationException("virtio-blk: queue 0 has size 0");
            }

            if (queueMsixEntry >= 0)
            {
                io.Write16(QueueVector, (ushort)queueMsixEntry);
                ushort readBack = io.Read16(QueueVector);
                if (readBack != queueMsixEntry)
                {
                    throw new InvalidOperationException($"virtio-blk: queue MSI-X vector reads back 0x{readBack:x}, wrote {queueMsixEntry}");
                }
            }

            // Legacy layout (§2.7 "Legacy Interfaces"): descriptors, available ring, then the used ring on the next 4 KiB boundary.
            int usedOffset = Align((16 * size) + 6 + (2 * size), 4096);
            int ringBytes = usedOffset + Align(6 + (8 * size), 4096);
            DmaBuffer ring = dma.Allocate(ringBytes, 4096);
            DmaBuffer request = dma.Allocate(4096, 4096);
            io.Write32(QueueAddress, (uint)(ring.PhysicalAddress >> 12));
            io.Write8(DeviceStatus, Acknowledge | Driver | DriverOk);
            return new LegacyVirtioBlkProbe(io, dma, ring, request, size, usedOffset);
        }

        /// <summary>The used ring's index: how many requests the device has completed.</summary>
        public ushort UsedIndex => (ushort)(Volatile.Read(ref _ring.Span[_usedOffset + 2]) | (_ring.Span[_usedOffset + 3] << 8));

        /// <summary>The status byte the device wrote (0 = OK).</summary>
        public byte Status => _request.Span[StatusOffset];

        /// <summary>The serial number GET_ID returned.</summary>
        public string Id => Encoding.ASCII.GetString(_request.Span.Slice(IdOffset, IdLength)).TrimEnd('\0');

        /// <summary>Reads (and so clears, deasserting INTx) the ISR status register.</summary>
        public byte ReadIsr() => _io.Read8(IsrStatus);

        /// <summary>Posts a GET_ID request and notifies queue 0.</summary>
        public void SubmitGetId()
        {
            Span<byte> request = _request.Span;
            request.Clear();
            request[StatusOffset] = 0xFF;
            BinaryPrimitives.WriteUInt32LittleEndian(request, RequestGetId);
            ulong header = _request.PhysicalAddress;
            Descriptor(0, header, 16, DescriptorNext, 1);
            Descriptor(1, header + IdOffset, IdLength, DescriptorNext | DescriptorWrite, 2);
            Descriptor(2, header + StatusOffset, 1, DescriptorWrite, 0);
            Span<byte> ring = _ring.Span;
            int available = 16 * _queueSize;
            BinaryPrimitives.WriteUInt16LittleEndian(ring.Slice(available + 4 + (2 * (_availableIndex % _queueSize))), 0);
            _availableIndex++;
            Interlocked.MemoryBarrier();
            BinaryPrimitives.WriteUInt16LittleEndian(ring.Slice(available + 2), _availableIndex);
            Interlocked.MemoryBarrier();
            _io.Write16(QueueNotify, 0);
        }

        /// <summary>Resets the device and frees the rings.</summary>
        public void Stop()
        {
            _io.Write8(DeviceStatus, 0);
            _dma.Free(_ring);
            _dma.Free(_request);
        }

        private void Descriptor(int index, ulong address, uint length, ushort flags, ushort next)
        {
            Span<byte> entry = _ring.Span.Slice(16 * index, 16);
            BinaryPrimitives.WriteUInt64LittleEndian(entry, address);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(8), length);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(12), flags);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.Slice(14), next);
        }

        private static int Align(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);
    }
}
