namespace Cosmos.Drivers.Ahci
{
    /// <summary>The ATA commands this driver sends (ACS-3 §7).</summary>
    internal static class AtaCommand
    {
        /// <summary>IDENTIFY DEVICE: 512 bytes of device data (§7.12).</summary>
        public const byte IdentifyDevice = 0xEC;

        /// <summary>READ DMA EXT (§7.22).</summary>
        public const byte ReadDmaExt = 0x25;

        /// <summary>WRITE DMA EXT (§7.58).</summary>
        public const byte WriteDmaExt = 0x35;

        /// <summary>FLUSH CACHE EXT (§7.11).</summary>
        public const byte FlushCacheExt = 0xEA;

        /// <summary>READ DMA EXT / WRITE DMA EXT move at most this many sectors per command (count 0 means 65536; we stay below).</summary>
        public const int MaxSectorsPerCommand = 65535;
    }
}
