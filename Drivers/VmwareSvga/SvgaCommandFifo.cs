using System;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VmwareSvga
{
    /// <summary>
    /// The SVGA II command FIFO in BAR2 memory: a ring of 32-bit words between FIFO_MIN and FIFO_MAX that the
    /// driver fills at NEXT_CMD and the device empties at STOP. One word stays free, so NEXT_CMD = STOP means empty.
    /// Commands may wrap word by word at FIFO_MAX (the original, non-extended FIFO). When the ring is full the
    /// driver asks the device to catch up (SVGA_REG_SYNC) and waits, with a bound, until it is no longer busy.
    /// </summary>
    internal sealed class SvgaCommandFifo
    {
        private readonly IRegisterBlock _memory;
        private readonly SvgaRegisterPort _registers;
        private readonly TimeSpan _syncTimeout;
        private readonly uint _min, _max;
        private uint _next;

        private SvgaCommandFifo(IRegisterBlock memory, SvgaRegisterPort registers, uint size, TimeSpan syncTimeout)
        {
            _memory = memory;
            _registers = registers;
            _syncTimeout = syncTimeout;
            _min = SvgaRegisters.FifoCommandsStart;
            _max = size;
            _next = _min;
        }

        /// <summary>Bytes of the ring (FIFO_MAX − FIFO_MIN).</summary>
        public uint CommandBytes => _max - _min;

        /// <summary>Times the ring was full and the device was asked to sync.</summary>
        public int Syncs { get; private set; }

        /// <summary>Writes FIFO_MIN/MAX/NEXT_CMD/STOP for an empty ring over the first <paramref name="size"/> bytes of <paramref name="memory"/>.</summary>
        public static SvgaCommandFifo Initialize(IRegisterBlock memory, SvgaRegisterPort registers, uint size, TimeSpan syncTimeout)
        {
            var fifo = new SvgaCommandFifo(memory, registers, size, syncTimeout);
            memory.Write32(SvgaRegisters.FifoMin * 4, fifo._min);
            memory.Write32(SvgaRegisters.FifoMax * 4, fifo._max);
            memory.Write32(SvgaRegisters.FifoNextCmd * 4, fifo._min);
            memory.Write32(SvgaRegisters.FifoStop * 4, fifo._min);
            return fifo;
        }

        /// <summary>Queues one command (its words); null when queued, else what went wrong with the device.</summary>
        public string? Write(ReadOnlySpan<uint> words)
        {
            uint bytes = (uint)words.Length * 4;
            if (bytes >= CommandBytes)
            {
                throw new ArgumentException($"a {bytes}-byte command does not fit a {CommandBytes}-byte FIFO", nameof(words));
            }

            uint next = _next;
            string? broken = CheckStop(out uint stop);
            if (broken != null)
            {
                return broken;
            }

            if (Free(next, stop) < bytes)
            {
                Syncs++;
                _registers.Write(SvgaRegisters.Sync, 1);
                if (!BoundedWait.Until(() => _registers.Read(SvgaRegisters.Busy) == 0, _syncTimeout))
                {
                    return $"the device stayed busy for {_syncTimeout.TotalMilliseconds:F0} ms after a sync with a full FIFO";
                }

                broken = CheckStop(out stop);
                if (broken != null)
                {
                    return broken;
                }

                if (Free(next, stop) < bytes)
                {
                    return $"the device left the FIFO full after a sync (NEXT_CMD 0x{next:x}, STOP 0x{stop:x})";
                }
            }

            foreach (uint word in words)
            {
                _memory.Write32(next, word);
                next += 4;
                if (next >= _max)
                {
                    next = _min;
                }
            }

            _next = next;
            _memory.Write32(SvgaRegisters.FifoNextCmd * 4, next);
            return null;
        }

        private uint Free(uint next, uint stop)
        {
            uint used = next >= stop ? next - stop : CommandBytes - (stop - next);
            return CommandBytes - used - 4;
        }

        private string? CheckStop(out uint stop)
        {
            stop = _memory.Read32(SvgaRegisters.FifoStop * 4);
            return Check(stop, "STOP");
        }

        // A device that moved its pointers outside the ring or off word alignment broke the FIFO: nothing is written.
        private string? Check(uint pointer, string name) =>
            pointer < _min || pointer >= _max || pointer % 4 != 0
                ? $"the device set FIFO {name} to 0x{pointer:x}, not a word in the ring 0x{_min:x}..0x{_max:x}"
                : null;
    }
}
