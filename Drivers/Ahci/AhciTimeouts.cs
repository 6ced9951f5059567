using System;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// How long the driver waits for each thing the HBA or the device must do before it reports the
    /// step as failed and moves on. Defaults follow AHCI 1.3.1 where it gives a bound; host tests use
    /// short ones.
    /// </summary>
    public sealed record AhciTimeouts
    {
        /// <summary>GHC.HR must clear within 1 s (§10.4.3).</summary>
        public TimeSpan HbaReset { get; init; } = TimeSpan.FromSeconds(1);

        /// <summary>PxCMD.CR and PxCMD.FR must clear within 500 ms of ST/FRE clearing (§10.1.2).</summary>
        public TimeSpan PortStop { get; init; } = TimeSpan.FromMilliseconds(500);

        /// <summary>Waiting for PxSSTS.DET = 3 (a device with an established link) on an implemented port.</summary>
        public TimeSpan LinkUp { get; init; } = TimeSpan.FromMilliseconds(100);

        /// <summary>Waiting on a port where PxSSTS.DET reads 0 (nothing attached).</summary>
        public TimeSpan NoDeviceGrace { get; init; } = TimeSpan.FromMilliseconds(10);

        /// <summary>Waiting for PxTFD.STS.BSY and DRQ to clear before the port is started.</summary>
        public TimeSpan DeviceReady { get; init; } = TimeSpan.FromSeconds(2);

        /// <summary>One command, from PxCI set to PxCI clear.</summary>
        public TimeSpan Command { get; init; } = TimeSpan.FromSeconds(5);

        /// <summary>The defaults.</summary>
        public static AhciTimeouts Default { get; } = new();
    }
}
