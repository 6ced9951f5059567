namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// A device whose driver can let it go while the kernel runs: a disk or network card in a hot-plug slot. The device
    /// manager calls <see cref="Detach"/> after the subsystems have been told the device is leaving (a file system has
    /// flushed and unmounted), and before the slot's power goes off.
    /// </summary>
    public interface IRemovableDevice : IDevice
    {
        /// <summary>
        /// Stops the device: it is reset where it still answers, its interrupts are released, requests in flight fail,
        /// and every later call fails with the device's "removed" error instead of reaching the hardware.
        /// </summary>
        void Detach();
    }
}
