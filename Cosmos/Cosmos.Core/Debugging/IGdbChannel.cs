using System;

namespace Cosmos.Core.Debugging
{
    /// <summary>The byte stream between the kernel's GDB stub and gdb (COM2 in the kernel, a queue in host tests).</summary>
    public interface IGdbChannel
    {
        /// <summary>The next byte from gdb, waiting for it.</summary>
        byte ReadByte();

        /// <summary>Sends <paramref name="bytes"/> to gdb.</summary>
        void Write(ReadOnlySpan<byte> bytes);
    }
}
