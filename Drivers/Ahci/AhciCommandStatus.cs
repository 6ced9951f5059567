namespace Cosmos.Drivers.Ahci
{
    /// <summary>How one command ended.</summary>
    internal enum AhciCommandStatus
    {
        /// <summary>PxCI cleared without an error.</summary>
        Ok,

        /// <summary>The device reported an error (PxIS.TFES, PxTFD.STS.ERR).</summary>
        DeviceError,

        /// <summary>The HBA reported a host bus or interface error (PxIS.HBFS/HBDS/IFS).</summary>
        HostError,

        /// <summary>PxCI never cleared within the timeout.</summary>
        Timeout,

        /// <summary>The port is stopped after an earlier failure it could not recover from.</summary>
        PortDead,
    }
}
