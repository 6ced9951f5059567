using System;

namespace Cosmos.Drivers.E1000
{
    /// <summary>How long the driver waits for each thing the controller must do before it reports the step as failed; host tests use short ones.</summary>
    public sealed record E1000Timeouts
    {
        /// <summary>CTRL.RST self-clears after the reset (8254x SDM §13.4.1 asks for 1 µs before the next access; QEMU clears it at once).</summary>
        public TimeSpan Reset { get; init; } = TimeSpan.FromMilliseconds(100);

        /// <summary>One EEPROM word through EERD (§5.3.1: the read takes microseconds).</summary>
        public TimeSpan EepromRead { get; init; } = TimeSpan.FromMilliseconds(10);

        /// <summary>The defaults.</summary>
        public static E1000Timeouts Default { get; } = new();
    }
}
