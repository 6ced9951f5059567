using System;

namespace Cosmos.Core.Debugging
{
    /// <summary>Why the machine stopped, as the stop reply tells gdb.</summary>
    public enum GdbStopReason
    {
        /// <summary>One of gdb's software breakpoints (reported as <c>swbreak</c>: the PC is already on it).</summary>
        Breakpoint,

        /// <summary>A single step finished, or code executed <c>int3</c> itself (Debugger.Break): SIGTRAP.</summary>
        Trap,

        /// <summary>gdb asked to stop (it connected, or the user pressed Ctrl-C): SIGINT.</summary>
        Interrupt,
    }

    /// <summary>What the stopped machine does when the session hands it back.</summary>
    public enum GdbResume
    {
        /// <summary>Runs on.</summary>
        Continue,

        /// <summary>Executes one instruction and stops again (the trap flag).</summary>
        Step,

        /// <summary>gdb left: breakpoints are gone and the machine runs on.</summary>
        Detach,
    }

    /// <summary>
    /// The GDB remote serial protocol (gdb's "Remote Protocol" appendix) for one stopped machine: packets
    /// <c>$data#checksum</c> acknowledged with <c>+</c>, registers (g/G/P), memory (m/M), software breakpoints
    /// (Z0/z0, kept here as the original byte under an <c>int3</c>), continue, step, detach, and the queries
    /// gdb makes on connecting. It allocates nothing after construction: it runs inside the CPU's trap
    /// handler with interrupts off.
    /// </summary>
    public sealed class GdbRemoteSession
    {
        /// <summary>The largest packet accepted or sent (announced as PacketSize).</summary>
        public const int MaxPacketBytes = 4096;

        private const int MaxBreakpoints = 64;
        private const byte Int3 = 0xCC;

        private readonly IGdbChannel _channel;
        private readonly byte[] _packet = new byte[MaxPacketBytes];
        private readonly byte[] _reply = new byte[MaxPacketBytes + 4];
        private readonly byte[] _memory = new byte[MaxPacketBytes / 2];
        private readonly ulong[] _breakpointAddresses = new ulong[MaxBreakpoints];
        private readonly byte[] _breakpointBytes = new byte[MaxBreakpoints];
        private int _replyLength;

        /// <summary>A session that talks over <paramref name="channel"/>.</summary>
        public GdbRemoteSession(IGdbChannel channel) => _channel = channel;

        /// <summary>True after a continue or step: gdb waits for a stop reply, which the next stop sends unasked.</summary>
        public bool AwaitingStop { get; private set; }

        /// <summary>True from gdb's first packet until it detaches or kills.</summary>
        public bool IsConnected { get; private set; }

        /// <summary>Software breakpoints inserted now.</summary>
        public int BreakpointCount { get; private set; }

        /// <summary>Packets that arrived with a wrong checksum (answered with '-', so gdb sends them again).</summary>
        public int ChecksumErrors { get; private set; }

        /// <summary>True when gdb has a software breakpoint at <paramref name="address"/>.</summary>
        public bool IsBreakpoint(ulong address) => FindBreakpoint(address) >= 0;

        /// <summary>
        /// Serves gdb for one stop of <paramref name="target"/> until gdb resumes, steps or detaches. When gdb
        /// was waiting for this stop, the stop reply goes out first.
        /// </summary>
        public GdbResume Serve(IGdbTarget target, GdbStopReason reason)
        {
            if (AwaitingStop)
            {
                AwaitingStop = false;
                SendStopReply(reason);
            }

            while (true)
            {
                int length = ReceivePacket(out bool interrupt);
                if (interrupt)
                {
                    // Ctrl-C while gdb believes the machine runs: we are stopped already, so say so.
                    SendStopReply(reason);
                    continue;
                }

                IsConnected = true;
                GdbResume? resume = Handle(target, reason, _packet.AsSpan(0, length));
                if (resume is GdbResume action)
                {
                    return action;
                }
            }
        }

        // One packet: its reply is sent here; a resume ends the stop (a detach is answered OK first).
        private GdbResume? Handle(IGdbTarget target, GdbStopReason reason, ReadOnlySpan<byte> packet)
        {
            BeginReply();
            if (packet.IsEmpty)
            {
                SendReply();
                return null;
            }

            ReadOnlySpan<byte> arguments = packet.Slice(1);
            switch ((char)packet[0])
            {
                case '?':
                    SendStopReply(reason);
                    return null;
                case 'g':
                    for (int number = 0; number < GdbRegisters.Count; number++)
                    {
                        AppendLittleEndianHex(target.ReadRegister(number), GdbRegisters.Size(number));
                    }

                    break;
                case 'G':
                    AppendStatus(WriteAllRegisters(target, arguments));
                    break;
                case 'P':
                    AppendStatus(WriteOneRegister(target, arguments));
                    break;
                case 'm':
                    ReadMemory(target, arguments);
                    break;
                case 'M':
                    AppendStatus(WriteMemory(target, arguments));
                    break;
                case 'Z':
                case 'z':
                    if (arguments.Length > 0 && arguments[0] == (byte)'0')
                    {
                        AppendStatus(packet[0] == (byte)'Z' ? InsertBreakpoint(target, arguments) : RemoveBreakpoint(target, arguments));
                    }

                    break;      // other kinds (hardware, watchpoints): empty = not supported
                case 'c':
                case 's':
                    if (arguments.Length > 0)
                    {
                        if (!TryParseHex(arguments, out ulong resumeAt))
                        {
                            AppendError(1);
                            break;
                        }

                        target.WriteRegister(GdbRegisters.Rip, resumeAt);
                    }

                    AwaitingStop = true;
                    return packet[0] == (byte)'s' ? GdbResume.Step : GdbResume.Continue;
                case 'D':
                    RemoveAllBreakpoints(target);
                    AppendText("OK");
                    SendReply();
                    AwaitingStop = false;
                    IsConnected = false;
                    return GdbResume.Detach;
                case 'k':
                    RemoveAllBreakpoints(target);
                    AwaitingStop = false;
                    IsConnected = false;
                    return GdbResume.Detach;        // no reply to a kill; the kernel runs on
                case 'H':
                    AppendText("OK");                // one thread of control: any thread is it
                    break;
                case 'T':
                    AppendText("OK");
                    break;
                case 'q':
                    Query(arguments);
                    break;
            }

            SendReply();
            return null;
        }

        private void Query(ReadOnlySpan<byte> query)
        {
            if (StartsWith(query, "Supported"))
            {
                AppendText("PacketSize=");
                AppendHex((ulong)MaxPacketBytes);
                AppendText(";swbreak+");
            }
            else if (StartsWith(query, "Attached"))
            {
                AppendText("1");                     // detaching leaves the kernel running
            }
            else if (StartsWith(query, "C"))
            {
                AppendText("QC1");
            }
            else if (StartsWith(query, "fThreadInfo"))
            {
                AppendText("m1");
            }
            else if (StartsWith(query, "sThreadInfo"))
            {
                AppendText("l");
            }
        }

        private void SendStopReply(GdbStopReason reason)
        {
            BeginReply();
            AppendText(reason switch
            {
                GdbStopReason.Breakpoint => "T05swbreak:;",
                GdbStopReason.Interrupt => "S02",
                _ => "S05",
            });
            SendReply();
        }

        private bool WriteAllRegisters(IGdbTarget target, ReadOnlySpan<byte> hex)
        {
            int at = 0;
            for (int number = 0; number < GdbRegisters.Count && at < hex.Length; number++)
            {
                int digits = GdbRegisters.Size(number) * 2;
                if (at + digits > hex.Length || !TryParseLittleEndianHex(hex.Slice(at, digits), out ulong value))
                {
                    return false;
                }

                target.WriteRegister(number, value);
                at += digits;
            }

            return true;
        }

        // P<number>=<little-endian value>
        private static bool WriteOneRegister(IGdbTarget target, ReadOnlySpan<byte> arguments)
        {
            int equals = arguments.IndexOf((byte)'=');
            if (equals <= 0 || !TryParseHex(arguments.Slice(0, equals), out ulong number) || number >= GdbRegisters.Count)
            {
                return false;
            }

            ReadOnlySpan<byte> value = arguments.Slice(equals + 1);
            if (value.Length != GdbRegisters.Size((int)number) * 2 || !TryParseLittleEndianHex(value, out ulong parsed))
            {
                return false;
            }

            target.WriteRegister((int)number, parsed);
            return true;
        }

        // m<address>,<length>: the bytes as hex, with the breakpoints' original bytes in place of their int3s.
        private void ReadMemory(IGdbTarget target, ReadOnlySpan<byte> arguments)
        {
            if (!TryParseAddressAndLength(arguments, out ulong address, out ulong length, out _) || length > (ulong)_memory.Length)
            {
                AppendError(1);
                return;
            }

            Span<byte> bytes = _memory.AsSpan(0, (int)length);
            if (!target.TryReadMemory(address, bytes))
            {
                AppendError(14);                     // EFAULT: gdb says "Cannot access memory at address"
                return;
            }

            for (int i = 0; i < BreakpointCount; i++)
            {
                ulong offset = _breakpointAddresses[i] - address;
                if (offset < length)
                {
                    bytes[(int)offset] = _breakpointBytes[i];
                }
            }

            foreach (byte value in bytes)
            {
                AppendHexByte(value);
            }
        }

        // M<address>,<length>:<hex bytes>
        private bool WriteMemory(IGdbTarget target, ReadOnlySpan<byte> arguments)
        {
            if (!TryParseAddressAndLength(arguments, out ulong address, out ulong length, out int dataAt) || dataAt < 0
                || length > (ulong)_memory.Length || (ulong)(arguments.Length - dataAt) != length * 2)
            {
                return false;
            }

            Span<byte> bytes = _memory.AsSpan(0, (int)length);
            for (int i = 0; i < bytes.Length; i++)
            {
                if (!TryParseHex(arguments.Slice(dataAt + (2 * i), 2), out ulong value))
                {
                    return false;
                }

                bytes[i] = (byte)value;
            }

            return target.TryWriteMemory(address, bytes);
        }

        // Z0,<address>,<kind>
        private bool InsertBreakpoint(IGdbTarget target, ReadOnlySpan<byte> arguments)
        {
            if (!TryParseBreakpoint(arguments, out ulong address))
            {
                return false;
            }

            if (FindBreakpoint(address) >= 0)
            {
                return true;
            }

            Span<byte> original = _memory.AsSpan(0, 1);
            if (BreakpointCount == MaxBreakpoints || !target.TryReadMemory(address, original))
            {
                return false;
            }

            byte saved = original[0];
            original[0] = Int3;
            if (!target.TryWriteMemory(address, original))
            {
                return false;
            }

            _breakpointAddresses[BreakpointCount] = address;
            _breakpointBytes[BreakpointCount] = saved;
            BreakpointCount++;
            return true;
        }

        private bool RemoveBreakpoint(IGdbTarget target, ReadOnlySpan<byte> arguments)
        {
            if (!TryParseBreakpoint(arguments, out ulong address))
            {
                return false;
            }

            int index = FindBreakpoint(address);
            if (index < 0)
            {
                return true;
            }

            RemoveAt(target, index);
            return true;
        }

        private void RemoveAllBreakpoints(IGdbTarget target)
        {
            while (BreakpointCount > 0)
            {
                RemoveAt(target, BreakpointCount - 1);
            }
        }

        private void RemoveAt(IGdbTarget target, int index)
        {
            Span<byte> original = _memory.AsSpan(0, 1);
            original[0] = _breakpointBytes[index];
            target.TryWriteMemory(_breakpointAddresses[index], original);
            BreakpointCount--;
            _breakpointAddresses[index] = _breakpointAddresses[BreakpointCount];
            _breakpointBytes[index] = _breakpointBytes[BreakpointCount];
        }

        private int FindBreakpoint(ulong address)
        {
            for (int i = 0; i < BreakpointCount; i++)
            {
                if (_breakpointAddresses[i] == address)
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool TryParseBreakpoint(ReadOnlySpan<byte> arguments, out ulong address)
        {
            // "0,<address>,<kind>": the kind (1 on x86) is the breakpoint's length; one byte is all int3 needs.
            address = 0;
            if (arguments.Length < 3 || arguments[1] != (byte)',')
            {
                return false;
            }

            ReadOnlySpan<byte> rest = arguments.Slice(2);
            int comma = rest.IndexOf((byte)',');
            return TryParseHex(comma < 0 ? rest : rest.Slice(0, comma), out address);
        }

        private static bool TryParseAddressAndLength(ReadOnlySpan<byte> arguments, out ulong address, out ulong length, out int dataAt)
        {
            address = 0;
            length = 0;
            dataAt = -1;
            int comma = arguments.IndexOf((byte)',');
            if (comma <= 0)
            {
                return false;
            }

            ReadOnlySpan<byte> afterComma = arguments.Slice(comma + 1);
            int colon = afterComma.IndexOf((byte)':');
            if (colon >= 0)
            {
                dataAt = comma + 1 + colon + 1;
                afterComma = afterComma.Slice(0, colon);
            }

            return TryParseHex(arguments.Slice(0, comma), out address) && TryParseHex(afterComma, out length);
        }

        // --- Framing ---------------------------------------------------------------------------------

        // The next packet's data (acknowledged); interrupt is true for a Ctrl-C byte (0x03) instead.
        private int ReceivePacket(out bool interrupt)
        {
            while (true)
            {
                byte first = _channel.ReadByte();
                if (first == 0x03)
                {
                    interrupt = true;
                    return 0;
                }

                if (first != (byte)'$')
                {
                    continue;                        // acks of our replies, noise between packets
                }

                int length = 0;
                byte sum = 0;
                bool overflow = false;
                byte value;
                while ((value = _channel.ReadByte()) != (byte)'#')
                {
                    if (value == (byte)'$')
                    {
                        length = 0;                  // a new packet began: the previous one was cut off
                        sum = 0;
                        overflow = false;
                        continue;
                    }

                    sum += value;
                    if (length < _packet.Length)
                    {
                        _packet[length++] = value;
                    }
                    else
                    {
                        overflow = true;
                    }
                }

                int high = HexValue(_channel.ReadByte());
                int low = HexValue(_channel.ReadByte());
                if (overflow || high < 0 || low < 0 || ((high << 4) | low) != sum)
                {
                    ChecksumErrors++;
                    _channel.Write("-"u8);
                    continue;
                }

                _channel.Write("+"u8);
                interrupt = false;
                return length;
            }
        }

        private void BeginReply()
        {
            _reply[0] = (byte)'$';
            _replyLength = 1;
        }

        // Sends the reply begun by BeginReply and waits for gdb's '+' (a '-' asks for it again).
        private void SendReply()
        {
            byte sum = 0;
            for (int i = 1; i < _replyLength; i++)
            {
                sum += _reply[i];
            }

            _reply[_replyLength++] = (byte)'#';
            AppendHexByte(sum);
            for (int attempt = 0; attempt < 8; attempt++)
            {
                _channel.Write(_reply.AsSpan(0, _replyLength));
                byte answer = _channel.ReadByte();
                if (answer != (byte)'-')
                {
                    return;                          // '+', or gdb moved on
                }
            }
        }

        private void AppendText(string text)
        {
            foreach (char c in text)
            {
                if (_replyLength < _reply.Length - 3)
                {
                    _reply[_replyLength++] = (byte)c;
                }
            }
        }

        private void AppendStatus(bool succeeded)
        {
            if (succeeded)
            {
                AppendText("OK");
            }
            else
            {
                AppendError(22);                     // EINVAL
            }
        }

        private void AppendError(int code)
        {
            AppendText("E");
            AppendHexByte((byte)code);
        }

        private void AppendHexByte(byte value)
        {
            if (_replyLength < _reply.Length - 1)
            {
                _reply[_replyLength++] = HexDigit(value >> 4);
                _reply[_replyLength++] = HexDigit(value & 15);
            }
        }

        private void AppendLittleEndianHex(ulong value, int bytes)
        {
            for (int i = 0; i < bytes; i++)
            {
                AppendHexByte((byte)(value >> (8 * i)));
            }
        }

        private void AppendHex(ulong value)
        {
            int shift = 60;
            while (shift > 0 && (value >> shift) == 0)
            {
                shift -= 4;
            }

            for (; shift >= 0; shift -= 4)
            {
                if (_replyLength < _reply.Length - 3)
                {
                    _reply[_replyLength++] = HexDigit((int)(value >> shift) & 15);
                }
            }
        }

        private static bool StartsWith(ReadOnlySpan<byte> bytes, string prefix)
        {
            if (bytes.Length < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (bytes[i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryParseHex(ReadOnlySpan<byte> digits, out ulong value)
        {
            value = 0;
            if (digits.IsEmpty || digits.Length > 16)
            {
                return false;
            }

            foreach (byte digit in digits)
            {
                int nibble = HexValue(digit);
                if (nibble < 0)
                {
                    return false;
                }

                value = (value << 4) | (uint)nibble;
            }

            return true;
        }

        private static bool TryParseLittleEndianHex(ReadOnlySpan<byte> digits, out ulong value)
        {
            value = 0;
            if (digits.Length % 2 != 0 || digits.Length > 16)
            {
                return false;
            }

            for (int i = 0; i < digits.Length / 2; i++)
            {
                int high = HexValue(digits[2 * i]);
                int low = HexValue(digits[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return false;
                }

                value |= (ulong)((high << 4) | low) << (8 * i);
            }

            return true;
        }

        private static int HexValue(byte digit) => digit switch
        {
            >= (byte)'0' and <= (byte)'9' => digit - '0',
            >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
            _ => -1,
        };

        private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }
}
