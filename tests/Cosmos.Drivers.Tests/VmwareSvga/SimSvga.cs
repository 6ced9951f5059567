using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Cosmos.Drivers.Tests.Fakes;

namespace Cosmos.Drivers.Tests.VmwareSvga
{
    /// <summary>
    /// A simulated SVGA II adapter: the index/value register ports (BAR0), the FIFO memory (BAR2) whose commands it
    /// runs when told to sync or when the test plays a display refresh, and VRAM (BAR1) in pinned host memory.
    /// Knobs make it lie: another version, a FIFO or maximum mode of nonsense size, a mode it does not take,
    /// a pixel format other than X8R8G8B8, a sync that never ends, a STOP pointer out of the ring.
    /// </summary>
    internal sealed class SimSvga : IDisposable
    {
        public const ulong VramAddress = 0xFD000000;
        public const ulong FifoBarSize = 0x10000;

        private readonly GCHandle _vramHandle;
        private uint _index;
        private uint _width, _height, _bpp = 32;

        public SimSvga(uint vramBytes = 16 << 20)
        {
            Vram = new byte[vramBytes];
            _vramHandle = GCHandle.Alloc(Vram, GCHandleType.Pinned);
            VramSize = vramBytes;
            Ports = new PortSpace(this);
            Fifo = new FifoSpace(FifoBarSize);
        }

        public byte[] Vram { get; }

        public PortSpace Ports { get; }

        public FifoSpace Fifo { get; }

        public uint Id { get; private set; } = 0x90000000;

        /// <summary>The IDs it accepts when the driver writes SVGA_REG_ID.</summary>
        public uint[] AcceptedIds { get; set; } = { 0x90000000, 0x90000001, 0x90000002 };

        public uint FifoSize { get; set; } = (uint)FifoBarSize;

        public uint MaxWidth { get; set; } = 2368;

        public uint MaxHeight { get; set; } = 1770;

        public uint VramSize { get; set; }

        public uint FbStart { get; set; } = (uint)VramAddress;

        public uint FbOffset { get; set; }

        /// <summary>Bytes per line the device adds beyond width × 4.</summary>
        public uint ExtraPitch { get; set; }

        public uint RedMask { get; set; } = 0xFF0000;

        /// <summary>A mode write it ignores (keeps the old size), as QEMU does above its maximum.</summary>
        public bool IgnoresModeWrites { get; set; }

        public bool SyncNeverEnds { get; set; }

        public bool Enabled { get; private set; }

        public bool ConfigDone { get; private set; }

        public uint GuestId { get; private set; }

        public int SyncWrites { get; private set; }

        public (uint Width, uint Height) Mode => (_width, _height);

        public List<(uint X, uint Y, uint W, uint H)> Updates { get; } = new();

        public List<uint> UnknownCommands { get; } = new();

        /// <summary>VRAM mapped for the driver: physical address to host address.</summary>
        public nint Map(ulong physicalAddress, ulong length)
        {
            if (physicalAddress < VramAddress || physicalAddress + length > VramAddress + (ulong)Vram.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(physicalAddress), $"0x{physicalAddress:x}+0x{length:x} is not VRAM");
            }

            MappedLength = length;
            return _vramHandle.AddrOfPinnedObject() + (nint)(physicalAddress - VramAddress);
        }

        public ulong MappedLength { get; private set; }

        public uint PixelAt(int x, int y)
        {
            int offset = (int)FbOffset + (y * (int)Pitch) + (x * 4);
            return BitConverter.ToUInt32(Vram, offset);
        }

        public uint Pitch => (_width * 4) + ExtraPitch;

        /// <summary>What the device does at a display refresh: run every complete command in the FIFO.</summary>
        public void RunFifo()
        {
            uint min = Fifo.Word(0), max = Fifo.Word(1);
            uint stop = Fifo.Word(3);
            while (true)
            {
                uint next = Fifo.Word(2);
                uint available = next >= stop ? next - stop : (max - min) - (stop - next);
                if (available < 4)
                {
                    break;
                }

                uint command = Fifo.Word(stop / 4);
                if (command == 1)
                {
                    if (available < 20)
                    {
                        break;
                    }

                    var words = new uint[5];
                    uint at = stop;
                    for (int i = 0; i < 5; i++)
                    {
                        words[i] = Fifo.Word(at / 4);
                        at += 4;
                        if (at >= max)
                        {
                            at = min;
                        }
                    }

                    Updates.Add((words[1], words[2], words[3], words[4]));
                    stop = at;
                }
                else
                {
                    UnknownCommands.Add(command);
                    stop += 4;
                    if (stop >= max)
                    {
                        stop = min;
                    }
                }
            }

            Fifo.SetWord(3, stop);
        }

        public void Dispose() => _vramHandle.Free();

        private uint ReadRegister(uint index) => index switch
        {
            0 => Id,
            1 => Enabled ? 1u : 0u,
            2 => _width,
            3 => _height,
            4 => MaxWidth,
            5 => MaxHeight,
            6 => 24,
            7 => _bpp,
            9 => RedMask,
            10 => 0xFF00,
            11 => 0xFF,
            12 => Pitch,
            13 => FbStart,
            14 => FbOffset,
            15 => VramSize,
            16 => VramSize,
            17 => 0,
            18 => 0xFE000000,
            19 => FifoSize,
            20 => ConfigDone ? 1u : 0u,
            21 or 22 => SyncNeverEnds ? 1u : 0u,
            23 => GuestId,
            _ => 0,
        };

        private void WriteRegister(uint index, uint value)
        {
            switch (index)
            {
                case 0:
                    if (Array.IndexOf(AcceptedIds, value) >= 0)
                    {
                        Id = value;
                    }

                    break;
                case 1: Enabled = value != 0; break;
                case 2 when !IgnoresModeWrites && value <= MaxWidth: _width = value; break;
                case 3 when !IgnoresModeWrites && value <= MaxHeight: _height = value; break;
                case 7: _bpp = value == 32 ? 32 : _bpp; break;
                case 20: ConfigDone = value != 0; break;
                case 21:
                    SyncWrites++;
                    if (!SyncNeverEnds)
                    {
                        RunFifo();
                    }

                    break;
                case 23: GuestId = value; break;
            }
        }

        /// <summary>BAR0: the index port at 0, the value port at 1.</summary>
        internal sealed class PortSpace : IRegisterSpace
        {
            private readonly SimSvga _device;

            public PortSpace(SimSvga device) => _device = device;

            public ulong Read(ulong offset, int width) => offset switch
            {
                0 => _device._index,
                1 when width == 4 => _device.ReadRegister(_device._index),
                _ => throw new InvalidOperationException($"SVGA port read at {offset}, width {width}"),
            };

            public void Write(ulong offset, int width, ulong value)
            {
                if (width != 4)
                {
                    throw new InvalidOperationException($"SVGA port write at {offset} of width {width}: the ports are 32-bit");
                }

                if (offset == 0)
                {
                    _device._index = (uint)value;
                }
                else if (offset == 1)
                {
                    _device.WriteRegister(_device._index, (uint)value);
                }
                else
                {
                    throw new InvalidOperationException($"SVGA port write at {offset}");
                }
            }
        }

        /// <summary>BAR2: FIFO memory, 32-bit words.</summary>
        internal sealed class FifoSpace : IRegisterSpace
        {
            private readonly uint[] _words;

            public FifoSpace(ulong bytes) => _words = new uint[bytes / 4];

            public uint Word(uint index) => _words[index];

            public void SetWord(uint index, uint value) => _words[index] = value;

            public ulong Read(ulong offset, int width) => width == 4 && offset % 4 == 0
                ? _words[offset / 4]
                : throw new InvalidOperationException($"FIFO read of width {width} at 0x{offset:x}");

            public void Write(ulong offset, int width, ulong value)
            {
                if (width != 4 || offset % 4 != 0)
                {
                    throw new InvalidOperationException($"FIFO write of width {width} at 0x{offset:x}");
                }

                _words[offset / 4] = (uint)value;
            }
        }
    }
}
