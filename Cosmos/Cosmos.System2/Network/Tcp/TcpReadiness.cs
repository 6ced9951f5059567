using System;

namespace Cosmos.System.Network
{
    /// <summary>What a connection is ready for, as poll/select would report it.</summary>
    [Flags]
    public enum TcpReadiness
    {
        /// <summary>Nothing yet.</summary>
        None = 0,

        /// <summary>A receive returns data, the end of the stream, or an error without blocking.</summary>
        Readable = 1,

        /// <summary>A send accepts at least one byte.</summary>
        Writable = 2,

        /// <summary>The connection failed (<see cref="TcpConnection.Error"/>).</summary>
        Error = 4,

        /// <summary>The peer will send no more (its FIN arrived), or the connection is gone.</summary>
        HangUp = 8,
    }
}
