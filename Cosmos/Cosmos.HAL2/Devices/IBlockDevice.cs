using System;

namespace Cosmos.HAL.Devices
{
    /// <summary>The outcome of a block request; anything but <see cref="Ok"/> failed that request only.</summary>
    public enum BlockResult
    {
        /// <summary>Done.</summary>
        Ok,

        /// <summary>The device reported an I/O error.</summary>
        IoError,

        /// <summary>The device does not support the request.</summary>
        Unsupported,

        /// <summary>The device is read-only.</summary>
        ReadOnly,

        /// <summary>The device misbehaved (a lying completion) or went away.</summary>
        DeviceFailed,
    }

    /// <summary>A disk: fixed-size blocks addressed from 0.</summary>
    public interface IBlockDevice : IDevice
    {
        /// <summary>Number of blocks.</summary>
        ulong BlockCount { get; }

        /// <summary>Bytes per block (512 or 4096).</summary>
        int BlockSize { get; }

        /// <summary>True when writes are refused.</summary>
        bool IsReadOnly { get; }

        /// <summary>Reads whole blocks starting at <paramref name="firstBlock"/> into <paramref name="buffer"/> (a multiple of <see cref="BlockSize"/>).</summary>
        BlockResult Read(ulong firstBlock, Span<byte> buffer);

        /// <summary>Writes whole blocks starting at <paramref name="firstBlock"/>.</summary>
        BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer);

        /// <summary>Makes earlier writes durable.</summary>
        BlockResult Flush();
    }
}
