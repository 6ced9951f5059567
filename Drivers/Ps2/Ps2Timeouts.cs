using System;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>How long the driver waits for the controller and the devices before it reports the step as failed; host tests use short ones.</summary>
    public sealed record Ps2Timeouts
    {
        /// <summary>The controller taking a byte (input buffer empty) or answering a command; 8042s answer in microseconds.</summary>
        public TimeSpan Controller { get; init; } = TimeSpan.FromMilliseconds(50);

        /// <summary>The controller's self-test (0xAA), which some take longer over.</summary>
        public TimeSpan SelfTest { get; init; } = TimeSpan.FromMilliseconds(500);

        /// <summary>A device acknowledging a command byte (0xFA).</summary>
        public TimeSpan DeviceAck { get; init; } = TimeSpan.FromMilliseconds(100);

        /// <summary>A device finishing its reset (0xAA after 0xFF); keyboards take up to about half a second.</summary>
        public TimeSpan DeviceReset { get; init; } = TimeSpan.FromMilliseconds(750);

        /// <summary>The defaults.</summary>
        public static Ps2Timeouts Default { get; } = new();
    }
}
