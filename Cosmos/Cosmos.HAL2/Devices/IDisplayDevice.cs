using System;

namespace Cosmos.HAL.Devices
{
    /// <summary>A display with a 32-bit BGRX framebuffer the kernel draws into.</summary>
    public interface IDisplayDevice : IDevice
    {
        /// <summary>Width in pixels.</summary>
        int Width { get; }

        /// <summary>Height in pixels.</summary>
        int Height { get; }

        /// <summary>The pixels, row by row, <see cref="Width"/> per row.</summary>
        Span<uint> Pixels { get; }

        /// <summary>Shows the pixels of a changed rectangle.</summary>
        void Flush(int x, int y, int width, int height);
    }
}
