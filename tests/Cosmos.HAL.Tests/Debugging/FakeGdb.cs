using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cosmos.Core.Debugging;

namespace Cosmos.HAL.Tests.Debugging;

/// <summary>gdb's end of the serial line: queued packets to send, every reply recorded and acknowledged.</summary>
internal sealed class FakeGdbChannel : IGdbChannel
{
    private readonly Queue<byte> _input = new();
    private bool _ackPending;

    /// <summary>Everything the stub wrote, replies and acks, in order.</summary>
    public StringBuilder Output { get; } = new();

    /// <summary>When false, the next reply is answered '-' once (a line error gdb reports).</summary>
    public int RepliesToReject { get; set; }

    /// <summary>Queues a packet as gdb frames it: $data#checksum.</summary>
    public FakeGdbChannel Send(string data) => SendRaw(Frame(data));

    /// <summary>Queues bytes exactly as given.</summary>
    public FakeGdbChannel SendRaw(string raw)
    {
        foreach (char c in raw)
        {
            _input.Enqueue((byte)c);
        }

        return this;
    }

    public static string Frame(string data) => $"${data}#{data.Aggregate(0, (sum, c) => (sum + c) & 0xFF):x2}";

    /// <summary>The data of every packet the stub sent, in order (acks and checksums removed).</summary>
    public List<string> Replies()
    {
        var replies = new List<string>();
        string text = Output.ToString();
        int at = 0;
        while ((at = text.IndexOf('$', at)) >= 0)
        {
            int hash = text.IndexOf('#', at);
            replies.Add(text.Substring(at + 1, hash - at - 1));
            at = hash + 3;
        }

        return replies;
    }

    public byte ReadByte()
    {
        if (_ackPending)
        {
            _ackPending = false;
            if (RepliesToReject > 0)
            {
                RepliesToReject--;
                return (byte)'-';
            }

            return (byte)'+';
        }

        if (_input.Count == 0)
        {
            throw new InvalidOperationException("the stub waits for more from gdb than the test sent: " + Output);
        }

        return _input.Dequeue();
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        foreach (byte value in bytes)
        {
            Output.Append((char)value);
        }

        if (bytes.Length > 0 && bytes[0] == (byte)'$')
        {
            _ackPending = true;
        }
    }
}

/// <summary>A machine with 24 registers and one mapped range of memory.</summary>
internal sealed class FakeGdbTarget : IGdbTarget
{
    public FakeGdbTarget(ulong memoryBase, int memoryBytes)
    {
        MemoryBase = memoryBase;
        Memory = new byte[memoryBytes];
    }

    public ulong[] Registers { get; } = new ulong[GdbRegisters.Count];

    public ulong MemoryBase { get; }

    public byte[] Memory { get; }

    public ulong ReadRegister(int number) => Registers[number];

    public void WriteRegister(int number, ulong value) => Registers[number] = value;

    public bool TryReadMemory(ulong address, Span<byte> destination)
    {
        if (!Contains(address, destination.Length))
        {
            return false;
        }

        Memory.AsSpan((int)(address - MemoryBase), destination.Length).CopyTo(destination);
        return true;
    }

    public bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source)
    {
        if (!Contains(address, source.Length))
        {
            return false;
        }

        source.CopyTo(Memory.AsSpan((int)(address - MemoryBase), source.Length));
        return true;
    }

    private bool Contains(ulong address, int length) =>
        address >= MemoryBase && address + (ulong)length <= MemoryBase + (ulong)Memory.Length && address + (ulong)length >= address;
}
