using System;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// The outcome of a fallible device operation: success, or an error sentence naming the device,
    /// the step and the value ("virtio-blk: device refused features 0x130000006 …"). Callers must look at it.
    /// </summary>
    public readonly struct VirtioResult
    {
        private VirtioResult(string? error)
        {
            Error = error;
        }

        /// <summary>The successful result.</summary>
        public static VirtioResult Success => default;

        /// <summary>True when the operation succeeded.</summary>
        public bool IsSuccess => Error is null;

        /// <summary>What went wrong, or null on success.</summary>
        public string? Error { get; }

        /// <summary>A failure with the sentence <paramref name="error"/>.</summary>
        public static VirtioResult Failure(string error)
        {
            ArgumentNullException.ThrowIfNull(error);
            return new VirtioResult(error);
        }

        /// <inheritdoc />
        public override string ToString() => Error ?? "ok";
    }
}
