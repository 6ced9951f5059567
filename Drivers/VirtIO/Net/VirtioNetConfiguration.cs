using System;
using System.Diagnostics;
using Cosmos.Drivers.VirtIO.Transport;
using static Cosmos.Drivers.VirtIO.Net.VirtioNetRegisters;

namespace Cosmos.Drivers.VirtIO.Net
{
    /// <summary>
    /// What a virtio-net device's configuration says (§5.1.4), read once features are accepted: the
    /// MAC address (or a generated locally administered one), the MTU (or 1500), and the link status.
    /// A value the device has no business giving is replaced and described in <see cref="Problem"/>.
    /// </summary>
    internal sealed class VirtioNetConfiguration
    {
        private VirtioNetConfiguration(byte[] mac, bool macFromDevice, int mtu, string? problem)
        {
            Mac = mac;
            MacFromDevice = macFromDevice;
            Mtu = mtu;
            Problem = problem;
        }

        public byte[] Mac { get; }

        /// <summary>True when the MAC came from the device (VIRTIO_NET_F_MAC), false when generated.</summary>
        public bool MacFromDevice { get; }

        public int Mtu { get; }

        /// <summary>An impossible value the device gave, as a sentence, or null.</summary>
        public string? Problem { get; }

        public static VirtioNetConfiguration Read(IVirtioTransport transport, ulong negotiated)
        {
            string? problem = null;
            var mac = new byte[MacLength];
            bool fromDevice = false;

            // §5.1.4.2: with MAC the driver uses the device's address; otherwise a locally administered one.
            if (VirtioFeatures.Has(negotiated, FeatureMac))
            {
                if (transport.ConfigLength >= ConfigMac + MacLength)
                {
                    transport.ReadConfig(ConfigMac, mac);
                    fromDevice = IsUsableUnicast(mac);
                    if (!fromDevice)
                    {
                        problem = $"device gave the MAC address {Format(mac)}, which is not a unicast address; using a generated one";
                    }
                }
                else
                {
                    problem = $"MAC negotiated but the configuration is only {transport.ConfigLength} bytes";
                }
            }

            if (!fromDevice)
            {
                Generate(transport, mac);
            }

            int mtu = DefaultMtu;
            if (VirtioFeatures.Has(negotiated, FeatureMtu))
            {
                if (transport.ConfigLength >= ConfigMtu + 2)
                {
                    ushort offered = transport.ReadConfig16(ConfigMtu);
                    if (offered >= MinimumMtu)
                    {
                        mtu = offered;
                    }
                    else
                    {
                        problem ??= $"device gave mtu {offered}, below the minimum {MinimumMtu}; using {DefaultMtu}";
                    }
                }
                else
                {
                    problem ??= $"MTU negotiated but the configuration is only {transport.ConfigLength} bytes";
                }
            }

            return new VirtioNetConfiguration(mac, fromDevice, mtu, problem);
        }

        /// <summary>The link bit of config.status (§5.1.4); callers only ask when STATUS was negotiated.</summary>
        public static bool ReadLinkUp(IVirtioTransport transport) =>
            transport.ConfigLength < ConfigStatus + 2 || (transport.ReadConfig16(ConfigStatus) & StatusLinkUp) != 0;

        /// <summary>"52:54:00:12:34:56".</summary>
        public static string Format(ReadOnlySpan<byte> mac)
        {
            Span<char> text = stackalloc char[(MacLength * 3) - 1];
            const string digits = "0123456789abcdef";
            for (int i = 0; i < MacLength; i++)
            {
                if (i > 0)
                {
                    text[(i * 3) - 1] = ':';
                }

                text[i * 3] = digits[mac[i] >> 4];
                text[(i * 3) + 1] = digits[mac[i] & 0xF];
            }

            return new string(text);
        }

        private static bool IsUsableUnicast(ReadOnlySpan<byte> mac) => (mac[0] & 1) == 0 && mac.IndexOfAnyExcept((byte)0) >= 0;

        // A locally administered unicast address (IEEE 802: bit 1 of the first octet set, bit 0 clear),
        // from the transport's location and the clock, so two machines started alike still differ.
        private static void Generate(IVirtioTransport transport, Span<byte> mac)
        {
            ulong seed = 0xCBF2_9CE4_8422_2325UL;
            foreach (char c in transport.Describe())
            {
                seed = (seed ^ c) * 0x0000_0100_0000_01B3UL;
            }

            seed ^= (ulong)Stopwatch.GetTimestamp();
            seed ^= seed >> 33;
            seed *= 0xFF51_AFD7_ED55_8CCDUL;
            seed ^= seed >> 33;
            for (int i = 0; i < MacLength; i++)
            {
                mac[i] = (byte)(seed >> (8 * i));
            }

            mac[0] = (byte)((mac[0] & 0xFC) | 0x02);
        }
    }
}
