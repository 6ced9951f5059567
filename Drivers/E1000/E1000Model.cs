namespace Cosmos.Drivers.E1000
{
    /// <summary>
    /// What differs between the parts the e1000 driver runs. The 82574L (e1000e; QEMU's <c>-device e1000e</c>, VMware's
    /// <c>e1000e</c>) keeps the 8254x register map, the legacy receive and transmit descriptors (used while RFCTL.EXSTEN
    /// and the descriptors' DEXT bits stay clear) and the interrupt registers; it differs in the EEPROM Read register's
    /// layout (82574 datasheet §10.2.2.5: DONE at bit 1, ADDR in bits 15:2) and has MSI-X, where the interrupt causes go
    /// to vectors through IVAR (§10.2.4.9) and reading ICR no longer clears it (§10.2.4.1: write 1s to clear).
    /// </summary>
    /// <param name="Part">The part's name for logs ("82540EM").</param>
    /// <param name="DriverName">The name listings show for the device ("e1000", "e1000e").</param>
    /// <param name="EerdDone">EERD's DONE bit.</param>
    /// <param name="EerdAddressShift">Where EERD's word address starts.</param>
    /// <param name="HasMsix">True when MSI-X vectors must be routed through IVAR and ICR acknowledged by writing it.</param>
    public sealed record E1000Model(string Part, string DriverName, uint EerdDone, int EerdAddressShift, bool HasMsix)
    {
        /// <summary>82540EM and the other 8254x parts with EERD (8254x SDM §13.4.4: DONE at bit 4, ADDR 15:8).</summary>
        public static E1000Model I8254x { get; } = new("8254x", "e1000", 1u << 4, 8, false);

        /// <summary>The 82574L.</summary>
        public static E1000Model I82574 { get; } = new("82574L", "e1000e", 1u << 1, 2, true);
    }
}
