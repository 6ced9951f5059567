namespace Cosmos.HAL.Pci
{
    /// <summary>Names of class codes (PCI Code and ID Assignment Specification 1.x, §1), for listings.</summary>
    public static class PciClassNames
    {
        /// <summary>"Bridge / Host bridge"; the base class alone when the subclass is not in this table.</summary>
        public static string Describe(byte classCode, byte subclass)
        {
            string? sub = Subclass(classCode, subclass);
            return sub == null ? BaseClass(classCode) : BaseClass(classCode) + " / " + sub;
        }

        /// <summary>The base class name.</summary>
        public static string BaseClass(byte classCode) => classCode switch
        {
            0x00 => "Unclassified device",
            0x01 => "Mass storage controller",
            0x02 => "Network controller",
            0x03 => "Display controller",
            0x04 => "Multimedia controller",
            0x05 => "Memory controller",
            0x06 => "Bridge",
            0x07 => "Communication controller",
            0x08 => "Generic system peripheral",
            0x09 => "Input device controller",
            0x0A => "Docking station",
            0x0B => "Processor",
            0x0C => "Serial bus controller",
            0x0D => "Wireless controller",
            0x0E => "Intelligent controller",
            0x0F => "Satellite communications controller",
            0x10 => "Encryption controller",
            0x11 => "Signal processing controller",
            0x12 => "Processing accelerator",
            0x13 => "Non-essential instrumentation",
            0x40 => "Coprocessor",
            0xFF => "Unassigned class",
            _ => $"Class {classCode:x2}",
        };

        private static string? Subclass(byte classCode, byte subclass) => ((classCode << 8) | subclass) switch
        {
            0x0100 => "SCSI storage controller",
            0x0101 => "IDE interface",
            0x0105 => "ATA controller",
            0x0106 => "SATA controller",
            0x0107 => "Serial Attached SCSI controller",
            0x0108 => "Non-Volatile memory controller",
            0x0200 => "Ethernet controller",
            0x0300 => "VGA compatible controller",
            0x0380 => "Display controller",
            0x0401 => "Multimedia audio controller",
            0x0403 => "Audio device",
            0x0600 => "Host bridge",
            0x0601 => "ISA bridge",
            0x0604 => "PCI bridge",
            0x0680 => "Bridge",
            0x0780 => "Communication controller",
            0x0880 => "System peripheral",
            0x0900 => "Keyboard controller",
            0x0902 => "Mouse controller",
            0x0980 => "Input device controller",
            0x0C03 => "USB controller",
            0x0C05 => "SMBus",
            _ => null,
        };
    }
}
