namespace Cosmos.System.Console
{
    /// <summary>
    /// What an <see cref="AnsiDecoder"/> draws on: a grid of character cells that shows a character in a cell,
    /// scrolls and erases. Cells are (column, row) from 0; colours are indices 0–15 of the ANSI palette. The
    /// decoder keeps the cursor and the colours; the grid only draws.
    /// </summary>
    internal interface ICharacterGrid
    {
        /// <summary>Text columns (read on every character: it may change between writes).</summary>
        int Columns { get; }

        /// <summary>Text rows.</summary>
        int Rows { get; }

        /// <summary>Shows <paramref name="c"/> (a character from ' ' up) in the cell (<paramref name="column"/>, <paramref name="row"/>).</summary>
        void Draw(char c, int column, int row, int foreground, int background);

        /// <summary>Moves every row up by one, the top one off the grid; the bottom row becomes blank in <paramref name="background"/>.</summary>
        void ScrollUp(int background);

        /// <summary>
        /// ED: blanks the <paramref name="extent"/> of the screen around <paramref name="cursor"/> in <paramref name="background"/>.
        /// The cursor's column may be <see cref="Columns"/> (a line just filled, the wrap still to come).
        /// </summary>
        void EraseInDisplay(EraseExtent extent, (int Column, int Row) cursor, int background);

        /// <summary>EL: blanks the <paramref name="extent"/> of the cursor's row, as <see cref="EraseInDisplay"/>.</summary>
        void EraseInLine(EraseExtent extent, (int Column, int Row) cursor, int background);
    }
}
