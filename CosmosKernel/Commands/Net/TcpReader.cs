using System;
using System.Text;
using Cosmos.System.Network;

namespace CosmosKernel.Commands.Net
{
    /// <summary>Buffered reading from a TCP connection: HTTP header blocks, then body bytes, each wait bounded by a timeout.</summary>
    internal sealed class TcpReader
    {
        private readonly NetworkTcpConnection _connection;
        private readonly long _timeoutMilliseconds;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public TcpReader(NetworkTcpConnection connection, long timeoutMilliseconds)
        {
            _connection = connection;
            _timeoutMilliseconds = timeoutMilliseconds;
        }

        /// <summary>Why the last read ended early: the stack's error, WouldBlock for a timeout, Success for the end of the stream.</summary>
        public NetworkResult LastResult { get; private set; } = NetworkResult.Success;

        /// <summary>
        /// The header block up to and without the empty line (CRLF CRLF), as Latin-1 text; null when the stream ended, the
        /// wait timed out or the block passed <paramref name="limit"/> bytes (then <see cref="IsTooLong"/>). With
        /// <paramref name="totalTimeoutMilliseconds"/> (≥ 0) the whole block must arrive within that time, so a peer that
        /// trickles a byte now and then cannot hold the reader longer than one idle timeout.
        /// </summary>
        public string? ReadHeaderBlock(int limit = 8 * 1024, long totalTimeoutMilliseconds = -1)
        {
            IsTooLong = false;
            long deadline = totalTimeoutMilliseconds < 0 ? long.MaxValue : Environment.TickCount64 + totalTimeoutMilliseconds;
            while (true)
            {
                int end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    string block = Encoding.Latin1.GetString(_buffer, _start, end);
                    _start += end + 4;
                    return block;
                }

                if (_end - _start >= limit)
                {
                    IsTooLong = true;
                    return null;
                }

                long left = deadline == long.MaxValue ? _timeoutMilliseconds : Math.Min(_timeoutMilliseconds, deadline - Environment.TickCount64);
                if (left <= 0)
                {
                    LastResult = NetworkResult.WouldBlock;
                    return null;
                }

                if (!Fill(left))
                {
                    return null;
                }
            }
        }

        /// <summary>True when the last header block was longer than its limit.</summary>
        public bool IsTooLong { get; private set; }

        /// <summary>True when bytes are buffered (a pipelined request, or body bytes read with the headers).</summary>
        public bool HasBuffered => _end > _start;

        /// <summary>Reads body bytes into <paramref name="destination"/>: the count, 0 at the end of the stream or on an error (<see cref="LastResult"/>).</summary>
        public int Read(Span<byte> destination)
        {
            if (_end > _start)
            {
                int count = Math.Min(destination.Length, _end - _start);
                _buffer.AsSpan(_start, count).CopyTo(destination);
                _start += count;
                return count;
            }

            LastResult = _connection.Receive(destination, _timeoutMilliseconds, out int read);
            return LastResult == NetworkResult.Success ? read : 0;
        }

        // Reads more into the buffer, compacting it first, waiting up to `timeoutMilliseconds`; false at the end of the
        // stream, on an error or a timeout.
        private bool Fill(long timeoutMilliseconds)
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                return false;
            }

            LastResult = _connection.Receive(_buffer.AsSpan(_end), timeoutMilliseconds, out int read);
            if (LastResult != NetworkResult.Success || read == 0)
            {
                return false;
            }

            _end += read;
            return true;
        }
    }
}
