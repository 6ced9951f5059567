using System;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>The device status field (VirtIO 1.2 §2.1). Writing 0 resets the device.</summary>
    [Flags]
    public enum VirtioDeviceStatus : byte
    {
        /// <summary>Reset, or not yet seen by a driver.</summary>
        None = 0,

        /// <summary>The guest found the device and recognised it as a VirtIO device.</summary>
        Acknowledge = 1,

        /// <summary>The guest knows how to drive the device.</summary>
        Driver = 2,

        /// <summary>The driver is set up and ready to drive the device.</summary>
        DriverOk = 4,

        /// <summary>Feature negotiation is complete (not used by legacy devices).</summary>
        FeaturesOk = 8,

        /// <summary>The device hit an error it cannot recover from without a reset.</summary>
        DeviceNeedsReset = 64,

        /// <summary>The driver gave up on the device.</summary>
        Failed = 128,
    }
}
