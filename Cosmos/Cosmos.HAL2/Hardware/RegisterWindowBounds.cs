using System;

namespace Cosmos.HAL.Hardware
{
    /// <summary>The bounds rule every <see cref="IRegisterBlock"/> applies: an access lies wholly inside the window.</summary>
    internal static class RegisterWindowBounds
    {
        public static void Check(IRegisterBlock block, ulong offset, int width)
        {
            if (offset > block.Length || (ulong)width > block.Length - offset)
            {
                throw new ArgumentOutOfRangeException(nameof(offset),
                    $"{block.Description}: {width}-byte access at offset 0x{offset:x} is outside the 0x{block.Length:x}-byte window");
            }
        }
    }
}
