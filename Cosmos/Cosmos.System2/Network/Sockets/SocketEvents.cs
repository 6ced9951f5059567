using System;

namespace Cosmos.System.Network
{
    /// <summary>What a socket is ready for, with the values of libSystem.Native's SocketEvents (the async engine's epoll bits).</summary>
    [Flags]
    public enum SocketEvents
    {
        /// <summary>Nothing.</summary>
        None = 0x00,

        /// <summary>A receive or accept would not block.</summary>
        Read = 0x01,

        /// <summary>A send would take at least one byte (or a connect attempt finished).</summary>
        Write = 0x02,

        /// <summary>The peer closed its direction (its FIN arrived).</summary>
        ReadClose = 0x04,

        /// <summary>The connection is gone (both directions closed, reset or never made).</summary>
        Close = 0x08,

        /// <summary>The connection failed; SO_ERROR tells why.</summary>
        Error = 0x10,
    }
}
