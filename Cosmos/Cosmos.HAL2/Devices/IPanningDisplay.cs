using System;

namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// A display whose framebuffer is taller than the screen and which shows any <see cref="IDisplayDevice.Height"/>
    /// consecutive rows of it: the screen pans over the framebuffer instead of the pixels moving (a console scrolls
    /// a line by moving the origin one text row down). <see cref="IDisplayDevice.Pixels"/> and
    /// <see cref="IDisplayDevice.Flush"/> stay in screen coordinates: they are the rows from <see cref="PanOrigin"/> on,
    /// so code that does not pan never notices. virtio-gpu implements it (its one-screen resource's backing moves to
    /// the origin); displays that cannot pan (the firmware framebuffer, SVGA II) do not.
    /// </summary>
    public interface IPanningDisplay : IDisplayDevice
    {
        /// <summary>Rows of the whole framebuffer (at least <see cref="IDisplayDevice.Height"/>).</summary>
        int VirtualHeight { get; }

        /// <summary>The framebuffer row shown at the top of the screen (0 after a mode change).</summary>
        int PanOrigin { get; }

        /// <summary>The whole framebuffer, <see cref="IDisplayDevice.Stride"/> pixels per row, <see cref="VirtualHeight"/> rows.</summary>
        Span<uint> VirtualPixels { get; }

        /// <summary>
        /// Shows the framebuffer's rows from <paramref name="origin"/> on. The rows <paramref name="changedTop"/> to
        /// <paramref name="changedTop"/> + <paramref name="changedRows"/> of <see cref="VirtualPixels"/>, which the
        /// caller changed since the display last showed them, are shown with the screen's new position, never stale;
        /// other rows coming into view show either what the display last received for them or what they hold now.
        /// On screen when the call returns. Null when done, else what failed (<see cref="PanOrigin"/> then says which
        /// rows the screen shows).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">
        /// The screen would reach past the framebuffer, or the changed rows are not inside it.
        /// </exception>
        string? Pan(int origin, int changedTop, int changedRows);
    }
}
