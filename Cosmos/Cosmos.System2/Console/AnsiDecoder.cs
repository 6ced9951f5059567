using System;
using System.Text;

namespace Cosmos.System.Console
{
    /// <summary>
    /// Turns what a program writes to a character-cell terminal (UTF-8 text with the ANSI/VT100 subset the kernel
    /// uses) into drawing on an <see cref="ICharacterGrid"/>, keeping the cursor and the colours. It understands
    /// LF (which also returns the carriage), CR, BS, HT; CSI sequences SGR (<see cref="GraphicRendition.Select"/>),
    /// CUU, CUD, CUF, CUB, CUP and HVP, ED and EL (ECMA-48 §8.3). Other controls, ESC followed by anything but '[',
    /// and CSI sequences with another final character are swallowed. A printable character past the last column
    /// wraps to the next line; a line feed on the last row scrolls.
    /// </summary>
    /// <remarks>
    /// A CSI sequence is ESC '[', then parameter characters (digits, ';' and '?'), then one final character (any
    /// other one, a control character or ESC included). A parameter that is empty or absent takes the default; one
    /// that holds '?' or does not fit an int counts as invalid (SGR ignores it, the others take the default). Only
    /// the first <see cref="MaxParameters"/> parameters are kept (more are dropped, not stored), so no sequence,
    /// however long or malformed, takes memory or throws. Not thread-safe: the port serialises writes.
    /// </remarks>
    internal sealed class AnsiDecoder
    {
        /// <summary>Parameters a CSI sequence keeps (a VT500 keeps 16 too).</summary>
        public const int MaxParameters = 16;

        private const char Escape = '\u001b';
        private const int Missing = -1, Invalid = -2;

        private readonly ICharacterGrid _grid;
        private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
        private readonly char[] _chars = new char[256];
        private readonly int[] _parameters = new int[MaxParameters];
        private int _parameterCount;
        private State _state;

        /// <summary>A decoder drawing on <paramref name="grid"/>, the cursor home, in the default colours.</summary>
        public AnsiDecoder(ICharacterGrid grid) => _grid = grid ?? throw new ArgumentNullException(nameof(grid));

        private enum State
        {
            Text,
            AfterEscape,
            ControlSequence,
        }

        /// <summary>
        /// The cursor's cell (column, row), from 0. The column may be <see cref="ICharacterGrid.Columns"/>: the
        /// last cell of the line was just written and the next character wraps.
        /// </summary>
        public (int Column, int Row) Cursor { get; set; }

        /// <summary>The colours text is drawn in now.</summary>
        public GraphicRendition Rendition { get; private set; } = GraphicRendition.Default;

        /// <summary>Decodes <paramref name="bytes"/> as UTF-8 (a character split between writes is kept for the next) and feeds it.</summary>
        public void Write(ReadOnlySpan<byte> bytes)
        {
            // Convert, unlike GetChars, never asks for more room than given: a character completed from bytes
            // kept by the last write may yield more characters than this write has bytes.
            while (!bytes.IsEmpty)
            {
                _utf8.Convert(bytes, _chars, flush: false, out int bytesUsed, out int charsUsed, out _);
                for (int i = 0; i < charsUsed; i++)
                {
                    Feed(_chars[i]);
                }

                bytes = bytes[bytesUsed..];
            }
        }

        /// <summary>Feeds one character.</summary>
        public void Feed(char c)
        {
            switch (_state)
            {
                case State.AfterEscape:
                    _state = c == '[' ? State.ControlSequence : State.Text;
                    _parameterCount = 1;
                    _parameters[0] = Missing;
                    return;
                case State.ControlSequence:
                    if (!CollectParameter(c))
                    {
                        _state = State.Text;
                        ControlSequence(c);
                    }

                    return;
            }

            switch (c)
            {
                case Escape:
                    _state = State.AfterEscape;
                    return;
                case '\n':
                    Cursor = (0, Cursor.Row);
                    LineFeed();
                    return;
                case '\r':
                    Cursor = (0, Cursor.Row);
                    return;
                case '\b':
                    Cursor = (Math.Max(0, Cursor.Column - 1), Cursor.Row);
                    return;
                case '\t':
                    Cursor = (Math.Min(_grid.Columns - 1, (Cursor.Column + 8) & ~7), Cursor.Row);
                    return;
            }

            if (c < ' ')
            {
                return;
            }

            if (Cursor.Column >= _grid.Columns)
            {
                Cursor = (0, Cursor.Row);
                LineFeed();
            }

            (int foreground, int background) = Rendition.Colours;
            _grid.Draw(c, Cursor.Column, Cursor.Row, foreground, background);
            Cursor = (Cursor.Column + 1, Cursor.Row);
        }

        private void LineFeed()
        {
            if (Cursor.Row + 1 < _grid.Rows)
            {
                Cursor = (Cursor.Column, Cursor.Row + 1);
                return;
            }

            _grid.ScrollUp(Rendition.Background);
        }

        // A parameter character adds to the sequence's parameters; false for the final character.
        private bool CollectParameter(char c)
        {
            if (c == ';')
            {
                if (_parameterCount < MaxParameters)
                {
                    _parameters[_parameterCount] = Missing;
                }

                _parameterCount = Math.Min(_parameterCount + 1, MaxParameters + 1);
                return true;
            }

            if (c != '?' && (c < '0' || c > '9'))
            {
                return false;
            }

            if (_parameterCount > MaxParameters)
            {
                return true;
            }

            ref int value = ref _parameters[_parameterCount - 1];
            if (c == '?' || value == Invalid)
            {
                value = Invalid;
                return true;
            }

            int digit = c - '0';
            int sofar = value == Missing ? 0 : value;
            value = sofar > (int.MaxValue - digit) / 10 ? Invalid : (sofar * 10) + digit;
            return true;
        }

        private void ControlSequence(char final)
        {
            int rows = _grid.Rows, columns = _grid.Columns;
            switch (final)
            {
                // Down and right add in long: a count near int.MaxValue must stop at the edge, not wrap below 0.
                case 'A': Cursor = (Cursor.Column, Math.Max(0, Cursor.Row - Count(0, 1))); break;
                case 'B': Cursor = (Cursor.Column, (int)Math.Min(rows - 1, (long)Cursor.Row + Count(0, 1))); break;
                case 'C': Cursor = ((int)Math.Min(columns - 1, (long)Cursor.Column + Count(0, 1)), Cursor.Row); break;
                case 'D': Cursor = (Math.Max(0, Cursor.Column - Count(0, 1)), Cursor.Row); break;
                case 'H':
                case 'f': Cursor = (Math.Min(columns - 1, Count(1, 1) - 1), Math.Min(rows - 1, Count(0, 1) - 1)); break;
                case 'J':
                    EraseExtent display = Extent(Count(0, 0));
                    _grid.EraseInDisplay(display, Cursor, Rendition.Background);
                    if (display == EraseExtent.All)
                    {
                        Cursor = (0, 0);
                    }

                    break;
                case 'K': _grid.EraseInLine(Extent(Count(0, 0)), Cursor, Rendition.Background); break;
                case 'm': SelectGraphicRendition(); break;
            }
        }

        // Parameter index as a count or position: a value from 1 up, else (missing, 0, invalid) the fallback.
        private int Count(int index, int fallback) =>
            index < Math.Min(_parameterCount, MaxParameters) && _parameters[index] > 0 ? _parameters[index] : fallback;

        private static EraseExtent Extent(int parameter) => parameter >= 2 ? EraseExtent.All : (EraseExtent)parameter;

        // Every parameter in order: a missing one is 0 (reset), an invalid one is ignored.
        private void SelectGraphicRendition()
        {
            int count = Math.Min(_parameterCount, MaxParameters);
            for (int i = 0; i < count; i++)
            {
                int code = _parameters[i] == Missing ? 0 : _parameters[i];
                if (code != Invalid)
                {
                    Rendition = Rendition.Select(code);
                }
            }
        }
    }
}
