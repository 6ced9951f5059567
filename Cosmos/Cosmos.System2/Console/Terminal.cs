using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Cosmos.Core;

namespace Cosmos.System.Console
{
    /// <summary>
    /// The kernel console: writes go to every attached port, reads come from whichever port has
    /// input, through a cooked-mode <see cref="LineEditor"/> (as a Unix terminal driver in
    /// canonical mode). Standard input, output and error of System.Console are this terminal.
    /// </summary>
    public sealed class Terminal
    {
        // Copied on attach and swapped whole: threads write (the network thread's log lines) while a port is attached.
        private ITerminalPort[] _ports = Array.Empty<ITerminalPort>();
        private readonly object _attachLock = new();
        private readonly LineEditor _editor = new();
        private byte[] _pendingInput = Array.Empty<byte>();
        private int _pendingOffset;

        /// <summary>The console of this kernel.</summary>
        public static Terminal Console { get; } = new Terminal();

        private Terminal() => _editor.Echo = text => Write(Encoding.UTF8.GetBytes(text));

        /// <summary>The attached ports.</summary>
        public IReadOnlyList<ITerminalPort> Ports => Volatile.Read(ref _ports);

        /// <summary>The line history of this terminal.</summary>
        public IReadOnlyList<string> History => _editor.History;

        /// <summary>Attaches a port; output goes to it and its input is read.</summary>
        public void Attach(ITerminalPort port)
        {
            ArgumentNullException.ThrowIfNull(port);
            lock (_attachLock)
            {
                ITerminalPort[] ports = _ports;
                var grown = new ITerminalPort[ports.Length + 1];
                ports.CopyTo(grown, 0);
                grown[ports.Length] = port;
                Volatile.Write(ref _ports, grown);
            }
        }

        /// <summary>Writes UTF-8 bytes to every port.</summary>
        public void Write(ReadOnlySpan<byte> bytes)
        {
            foreach (ITerminalPort port in Volatile.Read(ref _ports))
            {
                port.Write(bytes);
            }
        }

        /// <summary>True when a completed line (or part of one) is waiting to be read.</summary>
        public bool HasPendingInput => _pendingOffset < _pendingInput.Length;

        /// <summary>
        /// Reads cooked input: blocks until a line is complete, then returns its bytes (with the
        /// trailing '\n') across as many calls as the buffer needs.
        /// </summary>
        public int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            while (!HasPendingInput)
            {
                string? line = _editor.Feed(ReadByte());
                if (line != null)
                {
                    _pendingInput = Encoding.UTF8.GetBytes(line + "\n");
                    _pendingOffset = 0;
                }
            }

            int count = Math.Min(buffer.Length, _pendingInput.Length - _pendingOffset);
            _pendingInput.AsSpan(_pendingOffset, count).CopyTo(buffer);
            _pendingOffset += count;
            return count;
        }

        /// <summary>Reads raw input bytes that are available now, without editing (0 if none).</summary>
        public int ReadRaw(Span<byte> buffer)
        {
            int count = 0;
            while (count < buffer.Length && TryReadByte(out byte value))
            {
                buffer[count++] = value;
            }

            return count;
        }

        private byte ReadByte()
        {
            byte value;
            while (!TryReadByte(out value))
            {
                // Nothing typed: let a runnable thread have the CPU, else sleep until the next interrupt
                // (the timer's tick is at most 1 ms away). Halting with work queued would hold it for a quantum.
                if (!Cosmos.Core.Threading.Scheduler.Yield())
                {
                    SystemTimer.Idle();
                }
            }

            return value;
        }

        private bool TryReadByte(out byte value)
        {
            foreach (ITerminalPort port in Volatile.Read(ref _ports))
            {
                if (port.TryRead(out value))
                {
                    return true;
                }
            }

            value = 0;
            return false;
        }
    }
}
