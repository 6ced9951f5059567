using System;

namespace Cosmos.System.Network
{
    /// <summary>The TCP control bits (RFC 9293 §3.1, RFC 3168 for ECE and CWR).</summary>
    [Flags]
    public enum TcpFlags : byte
    {
        /// <summary>No bits.</summary>
        None = 0,

        /// <summary>No more data from the sender.</summary>
        Fin = 0x01,

        /// <summary>Synchronize sequence numbers.</summary>
        Syn = 0x02,

        /// <summary>Reset the connection.</summary>
        Rst = 0x04,

        /// <summary>Push.</summary>
        Psh = 0x08,

        /// <summary>The acknowledgment field is significant.</summary>
        Ack = 0x10,

        /// <summary>The urgent pointer is significant.</summary>
        Urg = 0x20,

        /// <summary>ECN echo.</summary>
        Ece = 0x40,

        /// <summary>Congestion window reduced.</summary>
        Cwr = 0x80,
    }
}
