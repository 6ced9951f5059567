using Cosmos.HAL.Devices;

namespace Cosmos.System.Network
{
    /// <summary>The TCP/UDP pseudo-header's part of the <see cref="InternetChecksum"/>.</summary>
    public static class PseudoHeader
    {
        /// <summary>Adds the TCP/UDP pseudo-header (RFC 9293 §3.1, RFC 768) to a running sum.</summary>
        public static uint Add(uint sum, Ipv4Address source, Ipv4Address destination, byte protocol, int length)
        {
            ulong wide = sum;
            wide += (source.Value >> 16) + (source.Value & 0xFFFF);
            wide += (destination.Value >> 16) + (destination.Value & 0xFFFF);
            wide += protocol;
            wide += (uint)length;
            while ((wide >> 32) != 0)
            {
                wide = (wide & 0xFFFFFFFF) + (wide >> 32);
            }

            return (uint)wide;
        }
    }
}
