namespace Cosmos.System.Network
{
    /// <summary>ICMP message types (RFC 792) and the header layout shared by all of them.</summary>
    public static class IcmpMessage
    {
        /// <summary>Type, code, checksum and the 4-byte rest-of-header.</summary>
        public const int HeaderLength = 8;

        /// <summary>Echo Reply.</summary>
        public const byte TypeEchoReply = 0;

        /// <summary>Destination Unreachable.</summary>
        public const byte TypeDestinationUnreachable = 3;

        /// <summary>Echo (request).</summary>
        public const byte TypeEchoRequest = 8;

        /// <summary>Time Exceeded.</summary>
        public const byte TypeTimeExceeded = 11;

        /// <summary>Destination Unreachable code 3: port unreachable.</summary>
        public const byte CodePortUnreachable = 3;

        /// <summary>True for the error messages no host may answer with another error (RFC 1122 §3.2.2).</summary>
        public static bool IsError(byte type) => type == TypeDestinationUnreachable || type == TypeTimeExceeded || type == 4 || type == 5 || type == 12;
    }
}
