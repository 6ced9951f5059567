using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Cosmos.HAL.Tests.Acpi;

/// <summary>Builds ACPI tables byte by byte: a 36-byte header, a body, and a correct checksum unless told otherwise.</summary>
internal sealed class AcpiTableBuilder
{
    private readonly List<byte> _body = new();
    private readonly string _signature;

    public AcpiTableBuilder(string signature) => _signature = signature;

    public AcpiTableBuilder U8(byte value)
    {
        _body.Add(value);
        return this;
    }

    public AcpiTableBuilder U16(ushort value) => Bytes(BitConverter.GetBytes(value));

    public AcpiTableBuilder U32(uint value) => Bytes(BitConverter.GetBytes(value));

    public AcpiTableBuilder U64(ulong value) => Bytes(BitConverter.GetBytes(value));

    public AcpiTableBuilder Bytes(params byte[] bytes)
    {
        _body.AddRange(bytes);
        return this;
    }

    public byte[] Build()
    {
        var table = new byte[36 + _body.Count];
        Encoding.ASCII.GetBytes(_signature).CopyTo(table, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), (uint)table.Length);
        table[8] = 1;
        Encoding.ASCII.GetBytes("BOCHS ").CopyTo(table, 10);
        Encoding.ASCII.GetBytes("BXPC    ").CopyTo(table, 16);
        _body.CopyTo(table, 36);
        FixChecksum(table, 9);
        return table;
    }

    /// <summary>Sets byte <paramref name="checksumOffset"/> so that the first <paramref name="length"/> bytes sum to zero.</summary>
    public static void FixChecksum(byte[] bytes, int checksumOffset, int? length = null)
    {
        bytes[checksumOffset] = 0;
        byte sum = 0;
        for (int i = 0; i < (length ?? bytes.Length); i++)
        {
            sum += bytes[i];
        }

        bytes[checksumOffset] = (byte)(0x100 - sum);
    }

    public static byte[] Rsdp(byte revision, uint rsdt, ulong xsdt = 0)
    {
        var bytes = new byte[revision >= 2 ? 36 : 20];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes("BOCHS ").CopyTo(bytes, 9);
        bytes[15] = revision;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), rsdt);
        if (revision >= 2)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 36);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), xsdt);
            FixChecksum(bytes, 8, 20);
            FixChecksum(bytes, 32);
        }
        else
        {
            FixChecksum(bytes, 8);
        }

        return bytes;
    }
}
