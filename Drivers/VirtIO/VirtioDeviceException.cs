using System;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// A device broke a rule the specification gives it in a place where no result can be returned
    /// (for example a configuration generation that never settles). Never thrown on a queue's hot path
    /// or from an interrupt handler.
    /// </summary>
    public sealed class VirtioDeviceException : Exception
    {
        /// <summary>Creates the exception with a sentence naming the device and the value.</summary>
        public VirtioDeviceException(string message)
            : base(message)
        {
        }
    }
}
