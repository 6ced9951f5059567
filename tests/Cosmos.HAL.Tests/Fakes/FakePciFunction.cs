using System;
using System.Buffers.Binary;

namespace Cosmos.HAL.Tests.Fakes;

/// <summary>
/// A simulated function's 256 bytes of configuration space. BARs behave as hardware does: only
/// the address bits the BAR decodes are writable, the low type bits are read-only.
/// </summary>
internal sealed class FakePciFunction
{
    private readonly uint[] _barWritableMask = new uint[6];

    public FakePciFunction(ushort vendor, ushort device, byte classCode, byte subclass, byte headerType = 0)
    {
        Set16(0x00, vendor);
        Set16(0x02, device);
        Space[0x0B] = classCode;
        Space[0x0A] = subclass;
        Space[0x0E] = headerType;
    }

    public byte[] Space { get; } = new byte[256];

    public int CommandWritesWhileDecoding { get; private set; }

    /// <summary>A 32-bit memory or I/O BAR of <paramref name="size"/> bytes at <paramref name="address"/>.</summary>
    public FakePciFunction Bar(int index, uint address, uint size, bool io = false, bool prefetchable = false)
    {
        uint flags = io ? 1u : prefetchable ? 8u : 0u;
        _barWritableMask[index] = ~(size - 1) & (io ? 0xFFFF_FFFCu : 0xFFFF_FFF0u);
        Set32(0x10 + (4 * index), address | flags);
        return this;
    }

    /// <summary>A 64-bit memory BAR in <paramref name="index"/> and <paramref name="index"/>+1.</summary>
    public FakePciFunction Bar64(int index, ulong address, ulong size, bool prefetchable)
    {
        ulong mask = ~(size - 1);
        _barWritableMask[index] = (uint)mask & 0xFFFF_FFF0u;
        _barWritableMask[index + 1] = (uint)(mask >> 32);
        Set32(0x10 + (4 * index), (uint)address | 4u | (prefetchable ? 8u : 0u));
        Set32(0x14 + (4 * index), (uint)(address >> 32));
        return this;
    }

    /// <summary>Appends capabilities: (id, offset, extra bytes to place after the two-byte header).</summary>
    public FakePciFunction Capabilities(params (byte Id, int Offset)[] list)
    {
        Space[0x06] |= 0x10;
        Space[0x34] = list.Length == 0 ? (byte)0 : (byte)list[0].Offset;
        for (int i = 0; i < list.Length; i++)
        {
            Space[list[i].Offset] = list[i].Id;
            Space[list[i].Offset + 1] = i + 1 < list.Length ? (byte)list[i + 1].Offset : (byte)0;
        }

        return this;
    }

    public ushort Get16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(Space.AsSpan(offset));

    public uint Get32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Space.AsSpan(offset));

    public void Set16(int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Space.AsSpan(offset), value);

    public void Set32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Space.AsSpan(offset), value);

    /// <summary>Sees every write first; returning true means it handled the write (registers with side effects).</summary>
    public Func<int, int, uint, bool>? WriteHook { get; set; }

    public void Write(int offset, int width, uint value)
    {
        if (WriteHook != null && WriteHook(offset, width, value))
        {
            return;
        }

        if (width == 4 && offset >= 0x10 && offset < 0x28 && Space[0x0E] == 0)
        {
            int index = (offset - 0x10) / 4;
            uint readOnly = ~_barWritableMask[index] & (IsUpperHalf(index) ? 0 : 0xFu);
            uint current = Get32(offset);
            Set32(offset, (value & _barWritableMask[index]) | (current & readOnly));
            if (value == 0xFFFF_FFFF && (Get16(0x04) & 0x3) != 0)
            {
                CommandWritesWhileDecoding++;
            }

            return;
        }

        for (int i = 0; i < width; i++)
        {
            Space[offset + i] = (byte)(value >> (8 * i));
        }
    }

    public uint Read(int offset, int width) => width switch
    {
        1 => Space[offset],
        2 => Get16(offset),
        _ => Get32(offset),
    };

    private bool IsUpperHalf(int index) => index > 0 && (Get32(0x10 + (4 * (index - 1))) & 0x7) == 0x4;
}
