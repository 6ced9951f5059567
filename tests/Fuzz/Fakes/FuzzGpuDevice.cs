using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// The device side of virtio-gpu's control and cursor queues (VirtIO 1.2 §5.7.6): each command the driver makes
    /// available is answered with the next record the fuzzer wrote, which may be honest or any lie (another type, a
    /// wrong fence, too few or too many bytes, another used id, silence). The device keeps what an honest answer
    /// created (resources, backings) and checks what the driver asks of it against that: a backing outside the
    /// driver's DMA memory, or a transfer outside its resource or backing, is a driver bug (a finding).
    /// </summary>
    internal sealed class FuzzGpuDevice
    {
        // §5.7.6.7 command and response types, as the specification names them.
        public const uint CmdGetDisplayInfo = 0x0100, CmdResourceCreate2D = 0x0101, CmdResourceUnref = 0x0102,
            CmdSetScanout = 0x0103, CmdResourceFlush = 0x0104, CmdTransferToHost2D = 0x0105,
            CmdResourceAttachBacking = 0x0106, CmdResourceDetachBacking = 0x0107, CmdGetEdid = 0x010A;

        public const uint RespOkNoData = 0x1100, RespOkDisplayInfo = 0x1101, RespOkEdid = 0x1104;

        // Record shape bits: what the device fills in honestly on top of the record's bytes.
        public const byte HonestType = 1, EchoFence = 2, HonestLength = 4, FixEdidChecksum = 8, Silent = 16, WrongUsedId = 32;

        private const int HeaderLength = 24;
        private const int EdidOffset = HeaderLength + 8;
        private const uint FlagFence = 1;

        private readonly FuzzVirtioTransport _transport;
        private readonly FuzzDmaAllocator _memory;
        private readonly Queue<byte[]> _answers;
        private readonly FuzzSplitRing?[] _rings = new FuzzSplitRing?[2];
        private readonly Dictionary<uint, (uint Width, uint Height)> _resources = new();
        private readonly Dictionary<uint, ulong> _backingLength = new();

        public FuzzGpuDevice(FuzzVirtioTransport transport, FuzzDmaAllocator memory, IEnumerable<byte[]> answers)
        {
            _transport = transport;
            _memory = memory;
            _answers = new Queue<byte[]>(answers);
        }

        /// <summary>Commands answered other than honestly (a lie, an error or silence), on either queue.</summary>
        public int DishonestAnswers { get; private set; }

        /// <summary>Commands received on either queue.</summary>
        public int Commands { get; private set; }

        /// <summary>Answers every command the driver made available, while answers last; with none left the device is silent.</summary>
        public void Serve()
        {
            for (int queue = 0; queue < _rings.Length && queue < _transport.QueueCount; queue++)
            {
                if (_rings[queue] is null && _transport.Queues[queue] is { } addresses)
                {
                    _rings[queue] = new FuzzSplitRing(addresses, _transport.QueueSizes[queue], _memory);
                }

                FuzzSplitRing? ring = _rings[queue];
                int head;
                while (ring is not null && _answers.Count > 0 && (head = ring.TakeAvailable()) >= 0)
                {
                    Answer(ring, head, _answers.Dequeue());
                }
            }
        }

        // Record: shape, le32 written length, then the bytes written into the response from its start.
        private void Answer(FuzzSplitRing ring, int head, byte[] record)
        {
            Commands++;
            byte shape = record.Length > 0 ? record[0] : Silent;
            uint written = record.Length >= 5 ? BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(1)) : 0;
            List<(ulong Address, int Length, bool Writable)> chain = ring.Chain(head);
            Span<byte> request = chain.Count > 0 && !chain[0].Writable ? ring.Memory(chain[0].Address, chain[0].Length) : default;
            Span<byte> response = chain.Count > 1 && chain[^1].Writable ? ring.Memory(chain[^1].Address, chain[^1].Length) : default;
            if (request.Length < HeaderLength)
            {
                throw new FuzzFindingException($"a virtio-gpu command of {request.Length} bytes, a header is {HeaderLength}");
            }

            uint command = BinaryPrimitives.ReadUInt32LittleEndian(request);
            uint expectedType = command switch
            {
                CmdGetDisplayInfo => RespOkDisplayInfo,
                CmdGetEdid => RespOkEdid,
                _ => RespOkNoData,
            };
            if ((shape & Silent) != 0)
            {
                DishonestAnswers++;
                return;
            }

            if (!response.IsEmpty)
            {
                record.AsSpan(Math.Min(5, record.Length), Math.Min(Math.Max(record.Length - 5, 0), response.Length)).CopyTo(response);
                if ((shape & HonestType) != 0 && response.Length >= 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(response, expectedType);
                }

                if ((shape & EchoFence) != 0 && response.Length >= 16)
                {
                    request[4..16].CopyTo(response[4..]);
                }

                if ((shape & FixEdidChecksum) != 0 && response.Length >= EdidOffset + 128)
                {
                    byte sum = 0;
                    for (int i = 0; i < 127; i++)
                    {
                        sum += response[EdidOffset + i];
                    }

                    response[EdidOffset + 127] = (byte)-sum;
                }
            }

            if ((shape & HonestLength) != 0)
            {
                written = (uint)response.Length;
            }

            uint usedId = (shape & WrongUsedId) != 0 ? (uint)(head + 1 + (shape >> 6)) : (uint)head;
            bool honest = usedId == head && written == response.Length && (response.IsEmpty || IsHonest(request, response, expectedType));
            if (honest)
            {
                Apply(command, request);
            }
            else
            {
                DishonestAnswers++;
            }

            ring.PutUsed(usedId, written);
        }

        private static bool IsHonest(ReadOnlySpan<byte> request, ReadOnlySpan<byte> response, uint expectedType)
        {
            if (response.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(response) != expectedType)
            {
                return false;
            }

            bool fenced = (BinaryPrimitives.ReadUInt32LittleEndian(request[4..]) & FlagFence) != 0;
            return !fenced || ((BinaryPrimitives.ReadUInt32LittleEndian(response[4..]) & FlagFence) != 0 && response.Slice(8, 8).SequenceEqual(request.Slice(8, 8)));
        }

        // §5.7.6.8: what an honestly answered command does, and what the driver must not ask.
        private void Apply(uint command, ReadOnlySpan<byte> request)
        {
            byte[] body = request[HeaderLength..].ToArray();
            uint U32(int offset) => body.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(offset)) : 0;
            switch (command)
            {
                case CmdResourceCreate2D:
                    _resources[U32(0)] = (U32(8), U32(12));
                    break;
                case CmdResourceUnref:
                    _resources.Remove(U32(0));
                    _backingLength.Remove(U32(0));
                    break;
                case CmdResourceDetachBacking:
                    _backingLength.Remove(U32(0));
                    break;
                case CmdResourceAttachBacking:
                    {
                        uint entries = U32(4);
                        ulong address = body.Length >= 16 ? BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(8)) : 0;
                        uint length = U32(16);
                        if (entries != 1 || !_memory.Contains(address, length))
                        {
                            throw new FuzzFindingException($"ATTACH_BACKING of {entries} entries at 0x{address:x}+{length}, not one entry inside the driver's DMA memory");
                        }

                        _backingLength[U32(0)] = length;
                        break;
                    }

                case CmdTransferToHost2D:
                    {
                        (uint x, uint y, uint width, uint height) = (U32(0), U32(4), U32(8), U32(12));
                        ulong offset = body.Length >= 24 ? BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(16)) : 0;
                        uint resource = U32(24);
                        if (_resources.TryGetValue(resource, out (uint Width, uint Height) size) && _backingLength.TryGetValue(resource, out ulong backing))
                        {
                            ulong end = width == 0 || height == 0 ? offset : offset + (((ulong)(height - 1) * size.Width) + width) * 4;
                            if ((ulong)x + width > size.Width || (ulong)y + height > size.Height || end > backing)
                            {
                                throw new FuzzFindingException($"TRANSFER_TO_HOST_2D of {width}x{height}+{x}+{y} at offset {offset} into resource {resource} of {size.Width}x{size.Height} with {backing} bytes of backing");
                            }
                        }

                        break;
                    }
            }
        }
    }
}
