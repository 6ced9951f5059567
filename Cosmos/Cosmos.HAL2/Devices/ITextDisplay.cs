using System;

namespace Cosmos.HAL.Devices
{
    /// <summary>
    /// A character-cell display (VGA text mode): <see cref="Columns"/> × <see cref="Rows"/> cells, each a 16-bit
    /// value with the character (code page 437) in the low byte and the attribute in the high byte (foreground in
    /// bits 0–3, background in bits 4–6, in the VGA palette's order: black, blue, green, cyan, red, magenta,
    /// brown, light grey, then the bright eight). What is written is on screen at once.
    /// </summary>
    public interface ITextDisplay : IDevice
    {
        /// <summary>Text columns.</summary>
        int Columns { get; }

        /// <summary>Text rows.</summary>
        int Rows { get; }

        /// <summary>The cells, row by row, <see cref="Columns"/> per row.</summary>
        Span<ushort> Cells { get; }

        /// <summary>Shows the blinking hardware cursor at (<paramref name="column"/>, <paramref name="row"/>), from 0.</summary>
        void MoveCursor(int column, int row);
    }
}
