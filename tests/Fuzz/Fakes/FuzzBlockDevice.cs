using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Fuzz.Fakes
{
    /// <summary>
    /// The device side of virtio-blk's request queue (VirtIO 1.2 §5.2.6) over an in-memory disk. Requests the driver
    /// makes available are held; each <see cref="Serve"/> then does the next action of the fuzzer's script: complete a
    /// held request honestly, complete one with a chosen status byte, used length and data, put a used element with
    /// any id, repeat an earlier completion, take its time, or fall silent. With the script done, it completes what it
    /// holds honestly. What the driver asks is checked too: a request outside the disk, or whose header, data and
    /// status are not laid out as §5.2.6 says, is a driver bug (a finding).
    /// </summary>
    internal sealed class FuzzBlockDevice
    {
        public const uint TypeIn = 0, TypeOut = 1, TypeFlush = 4, TypeGetId = 8;
        public const byte StatusOk = 0, StatusUnsupported = 2;

        /// <summary>The serial GET_ID answers with (§5.2.6: 20 bytes, NUL-padded).</summary>
        public const string Serial = "fuzz-serial";

        private const int SectorSize = 512;

        private readonly FuzzVirtioTransport _transport;
        private readonly FuzzDmaAllocator _memory;
        private readonly ByteCursor _script;
        private readonly List<Request> _held = new();
        private readonly List<(uint Id, uint Length)> _completed = new();
        private FuzzSplitRing? _ring;
        private bool _silent;
        private int _resetsBeforeRing;

        public FuzzBlockDevice(FuzzVirtioTransport transport, FuzzDmaAllocator memory, int diskBytes, ByteCursor script)
        {
            _transport = transport;
            _memory = memory;
            _script = script;
            Disk = new byte[diskBytes];
            for (int i = 0; i < Disk.Length; i++)
            {
                Disk[i] = (byte)((i / SectorSize * 31) + (i * 7) + 1);
            }
        }

        /// <summary>The disk's bytes.</summary>
        public byte[] Disk { get; }

        /// <summary>What each read the device completed put into its data buffers, by the first buffer's address.</summary>
        public Dictionary<ulong, byte[]> Delivered { get; } = new();

        /// <summary>One action of the script (or, with none left, every held request completed honestly).</summary>
        public void Serve()
        {
            // §2.4: a reset device forgets its queues; it writes nothing the driver handed it any more.
            if (_ring is not null && _transport.Resets > _resetsBeforeRing)
            {
                _held.Clear();
                return;
            }

            TakeAvailable();
            if (_silent)
            {
                return;
            }

            if (!_script.More)
            {
                while (_held.Count > 0)
                {
                    CompleteHonestly(0);
                }

                return;
            }

            byte action = _script.Byte();
            switch (action % 8)
            {
                case 0:
                    CompleteHonestly(_script.Byte());
                    break;
                case 1:
                    CompleteWith(_script.Byte(), _script.Byte(), _script.Byte(), _script.UInt32());
                    break;
                case 2:
                    PutUsed(_script.UInt16(), _script.UInt32());
                    break;
                case 3:
                    if (_completed.Count > 0)
                    {
                        (uint id, uint length) = _completed[_script.Byte() % _completed.Count];
                        PutUsed(id, length);
                    }

                    break;
                case 4:
                    break;   // the device takes its time
                case 5:
                    CompleteHonestly(_held.Count - 1);
                    break;
                case 6:
                    _silent = (action & 0x80) != 0;   // half of these: silent for good (the driver's request timeout ends it)
                    break;
                default:
                    for (int i = _held.Count - 1; i >= 0; i--)
                    {
                        CompleteHonestly(i);
                    }

                    break;
            }
        }

        // A used element gives the chain it names back to the driver (§2.7.8), whatever request the device thought was
        // there: the device never writes into it afterwards.
        private void PutUsed(uint id, uint length)
        {
            if (_ring is null)
            {
                return;
            }

            _held.RemoveAll(request => request.Head == id);
            _ring.PutUsed(id, length);
        }

        private void TakeAvailable()
        {
            if (_ring is null && _transport.Queues[0] is { } addresses)
            {
                _ring = new FuzzSplitRing(addresses, _transport.QueueSizes[0], _memory);
                _resetsBeforeRing = _transport.Resets;
            }

            int head;
            while (_ring is not null && (head = _ring.TakeAvailable()) >= 0)
            {
                _held.Add(Parse(head, _ring.Chain(head)));
            }
        }

        // §5.2.6: a 16-byte readable header (type, reserved, sector), the data, a 1-byte writable status last.
        private Request Parse(int head, List<(ulong Address, int Length, bool Writable)> chain)
        {
            if (chain.Count < 2 || chain[0].Writable || chain[0].Length != 16 || !chain[^1].Writable || chain[^1].Length != 1)
            {
                throw new FuzzFindingException($"virtio-blk request {head}: {chain.Count} buffers, not a 16-byte header, the data and a 1-byte status");
            }

            ReadOnlySpan<byte> header = _ring!.Memory(chain[0].Address, 16);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(header);
            ulong sector = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            var data = chain.GetRange(1, chain.Count - 2);
            long bytes = 0;
            foreach ((ulong _, int length, bool writable) in data)
            {
                bytes += length;
                if (writable != (type != TypeOut))
                {
                    throw new FuzzFindingException($"virtio-blk request {head} of type {type} has a data buffer the device {(writable ? "may" : "may not")} write");
                }
            }

            if ((type == TypeIn || type == TypeOut) && (bytes == 0 || bytes % SectorSize != 0 || (long)sector * SectorSize + bytes > Disk.Length))
            {
                throw new FuzzFindingException($"virtio-blk request {head}: {bytes} bytes at sector {sector} on a disk of {Disk.Length / SectorSize} sectors");
            }

            return new Request(head, type, sector, data, chain[^1].Address);
        }

        private void CompleteHonestly(int which)
        {
            if (_held.Count == 0)
            {
                return;
            }

            Request request = _held[Math.Abs(which) % _held.Count];
            bool known = request.Type is TypeIn or TypeOut or TypeFlush or TypeGetId;
            Finish(request, known ? StatusOk : StatusUnsupported, writeStatus: true, dataBytes: int.MaxValue, request.HonestUsedLength);
        }

        // Flags: bit 0 the used length is `length` (else the honest one), bit 1 the status byte is written. A read moves as
        // many bytes as the used length claims (a device's used length is what it wrote, §2.7.8).
        private void CompleteWith(byte which, byte status, byte flags, uint length)
        {
            if (_held.Count == 0)
            {
                return;
            }

            Request request = _held[which % _held.Count];
            uint used = (flags & 1) != 0 ? length : request.HonestUsedLength;
            Finish(request, status, (flags & 2) != 0, (int)Math.Min(used, int.MaxValue), used);
        }

        // Moves up to `dataBytes` of data into a read's buffers, from the disk; a write reaches the disk whole, and only
        // when the device says OK.
        private void Finish(Request request, byte status, bool writeStatus, int dataBytes, uint used)
        {
            _held.Remove(request);
            long disk = (long)request.Sector * SectorSize;
            int moved = 0;
            var delivered = new List<byte>();
            foreach ((ulong address, int length, bool _) in request.Data)
            {
                int count = request.Type == TypeOut ? length : Math.Min(length, dataBytes - moved);
                if (count <= 0)
                {
                    break;
                }

                Span<byte> buffer = _ring!.Memory(address, count);
                if (request.Type == TypeIn)
                {
                    Disk.AsSpan((int)(disk + moved), count).CopyTo(buffer);
                    delivered.AddRange(buffer.ToArray());
                }
                else if (request.Type == TypeGetId)
                {
                    byte[] id = new byte[length];
                    global::System.Text.Encoding.ASCII.GetBytes(Serial).AsSpan(0, Math.Min(Serial.Length, length)).CopyTo(id);
                    id.AsSpan(0, count).CopyTo(buffer);
                }
                else if (request.Type == TypeOut && writeStatus && status == StatusOk)
                {
                    buffer.CopyTo(Disk.AsSpan((int)(disk + moved), count));
                }

                moved += count;
            }

            if (request.Type == TypeIn && request.Data.Count > 0)
            {
                Delivered[request.Data[0].Address] = delivered.ToArray();
            }

            if (writeStatus)
            {
                _ring!.Memory(request.Status, 1)[0] = status;
            }

            _completed.Add(((uint)request.Head, used));
            PutUsed((uint)request.Head, used);
        }

        private sealed record Request(int Head, uint Type, ulong Sector, List<(ulong Address, int Length, bool Writable)> Data, ulong Status)
        {
            // §2.7.8: what the device wrote, the data of a read or GET_ID and the status byte.
            public uint HonestUsedLength => (Type is TypeIn or TypeGetId ? (uint)Bytes : 0) + 1;

            public long Bytes
            {
                get
                {
                    long total = 0;
                    foreach ((ulong _, int length, bool _) in Data)
                    {
                        total += length;
                    }

                    return total;
                }
            }
        }
    }
}
