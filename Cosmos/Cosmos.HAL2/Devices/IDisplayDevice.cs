using System;

namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// A display with a 32-bit framebuffer the kernel draws into: each pixel is 0x00RRGGBB (bytes B, G, R, X
    /// in memory), <see cref="Stride"/> pixels per row. Drawing changes only memory; <see cref="Flush"/>
    /// shows a changed rectangle. A virtio-gpu scanout and the firmware framebuffer both implement it.
    /// </summary>
    public interface IDisplayDevice : IDevice
    {
        /// <summary>Width in pixels of the current mode.</summary>
        int Width { get; }

        /// <summary>Height in pixels of the current mode.</summary>
        int Height { get; }

        /// <summary>Pixels from the start of one row to the start of the next (at least <see cref="Width"/>).</summary>
        int Stride { get; }

        /// <summary>The pixels, row by row, <see cref="Stride"/> per row, <see cref="Height"/> rows.</summary>
        Span<uint> Pixels { get; }

        /// <summary>
        /// Shows the pixels of a changed rectangle (clipped to the mode). Returns null when done, else what
        /// failed (the device refused a command, or broke its queue); a failure never hangs.
        /// </summary>
        string? Flush(int x, int y, int width, int height);

        /// <summary>True when the display draws a pointer of its own (<see cref="SetCursor"/>, <see cref="MoveCursor"/>).</summary>
        bool HasHardwareCursor { get; }

        /// <summary>
        /// Sets the pointer's image: <see cref="CursorSize"/>² pixels 0xAARRGGBB (alpha 0: transparent) with the
        /// hot spot at (<paramref name="hotX"/>, <paramref name="hotY"/>). Null when done, else what failed.
        /// </summary>
        /// <exception cref="NotSupportedException">No hardware cursor.</exception>
        /// <exception cref="ArgumentException">The image is not <see cref="CursorSize"/>² pixels.</exception>
        string? SetCursor(ReadOnlySpan<uint> image, int hotX, int hotY);

        /// <summary>Moves the pointer's hot spot to (<paramref name="x"/>, <paramref name="y"/>). Null when done, else what failed.</summary>
        /// <exception cref="NotSupportedException">No hardware cursor.</exception>
        string? MoveCursor(int x, int y);

        /// <summary>Edge of the square hardware cursor image (64 for virtio-gpu; 0 without one).</summary>
        int CursorSize { get; }

        /// <summary>
        /// True when the host asked for a new mode (a window resized, a monitor plugged) since the last look;
        /// the caller may then call <see cref="ApplyPreferredMode"/>.
        /// </summary>
        bool TakeModeChangeRequest();

        /// <summary>
        /// Switches to the mode the display prefers now (a new framebuffer; <see cref="Pixels"/> changes).
        /// Null when done, else what failed (the old mode stays).
        /// </summary>
        string? ApplyPreferredMode();
    }
}
