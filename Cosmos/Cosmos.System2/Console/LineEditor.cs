using System;
using System.Collections.Generic;
using System.Text;

namespace Cosmos.System.Console
{
    /// <summary>
    /// Cooked-mode line editing, as a terminal driver does it: printable characters insert at the
    /// cursor, Backspace/Delete erase, Left/Right/Home/End move, Up/Down walk the history,
    /// Ctrl-U clears the line, Enter completes it. Input is a VT100 byte stream; the echo goes to
    /// <see cref="Echo"/>.
    /// </summary>
    public sealed class LineEditor
    {
        private const int MaxHistory = 64;

        private readonly List<string> _history = new();
        private readonly StringBuilder _line = new();
        private int _cursor;
        private int _historyIndex;
        private EscapeState _escape;
        private readonly StringBuilder _escapeParameters = new();
        private byte[] _utf8Pending = new byte[4];
        private int _utf8Length;
        private int _utf8Expected;

        private enum EscapeState
        {
            None,
            Escape,
            Csi,
            Ss3,
        }

        /// <summary>Receives the bytes that echo the edit to the user.</summary>
        public Action<string> Echo { get; set; } = _ => { };

        /// <summary>Lines entered so far, oldest first.</summary>
        public IReadOnlyList<string> History => _history;

        /// <summary>
        /// Feeds one input byte. Returns the completed line (without its newline) when the byte
        /// was Enter, otherwise null.
        /// </summary>
        public string? Feed(byte input)
        {
            switch (_escape)
            {
                case EscapeState.Escape:
                    _escape = input == (byte)'[' ? EscapeState.Csi : input == (byte)'O' ? EscapeState.Ss3 : EscapeState.None;
                    _escapeParameters.Clear();
                    return null;
                case EscapeState.Csi:
                    if (input >= 0x30 && input <= 0x3F)
                    {
                        _escapeParameters.Append((char)input);
                        return null;
                    }

                    _escape = EscapeState.None;
                    HandleControlSequence((char)input, _escapeParameters.ToString());
                    return null;
                case EscapeState.Ss3:
                    _escape = EscapeState.None;
                    HandleControlSequence((char)input, "");
                    return null;
            }

            if (_utf8Expected > 0)
            {
                return FeedUtf8Continuation(input);
            }

            switch (input)
            {
                case 0x1B:
                    _escape = EscapeState.Escape;
                    return null;
                case (byte)'\r':
                case (byte)'\n':
                    return CompleteLine();
                case 0x7F:
                case 0x08:
                    Backspace();
                    return null;
                case 0x01:
                    MoveTo(0);
                    return null;
                case 0x05:
                    MoveTo(_line.Length);
                    return null;
                case 0x15:
                    ReplaceLine("");
                    return null;
            }

            if (input < 0x20)
            {
                return null;    // other control characters are ignored
            }

            if (input >= 0x80)
            {
                StartUtf8(input);
                return null;
            }

            Insert(((char)input).ToString());
            return null;
        }

        private void StartUtf8(byte lead)
        {
            _utf8Expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
            _utf8Length = 0;
            if (_utf8Expected > 0)
            {
                _utf8Pending[_utf8Length++] = lead;
            }
        }

        private string? FeedUtf8Continuation(byte input)
        {
            if ((input & 0xC0) != 0x80)
            {
                _utf8Expected = 0;     // malformed sequence: drop it and treat the byte afresh
                return Feed(input);
            }

            _utf8Pending[_utf8Length++] = input;
            if (--_utf8Expected == 0)
            {
                Insert(Encoding.UTF8.GetString(_utf8Pending, 0, _utf8Length));
            }

            return null;
        }

        private void HandleControlSequence(char final, string parameters)
        {
            switch (final)
            {
                case 'A':
                    RecallHistory(-1);
                    break;
                case 'B':
                    RecallHistory(+1);
                    break;
                case 'C':
                    MoveTo(_cursor + 1);
                    break;
                case 'D':
                    MoveTo(_cursor - 1);
                    break;
                case 'H':
                    MoveTo(0);
                    break;
                case 'F':
                    MoveTo(_line.Length);
                    break;
                case '~' when parameters == "3":
                    DeleteAtCursor();
                    break;
                case '~' when parameters == "1" || parameters == "7":
                    MoveTo(0);
                    break;
                case '~' when parameters == "4" || parameters == "8":
                    MoveTo(_line.Length);
                    break;
            }
        }

        private string CompleteLine()
        {
            string line = _line.ToString();
            Echo("\n");
            _line.Clear();
            _cursor = 0;
            if (line.Length > 0 && (_history.Count == 0 || _history[^1] != line))
            {
                _history.Add(line);
                if (_history.Count > MaxHistory)
                {
                    _history.RemoveAt(0);
                }
            }

            _historyIndex = _history.Count;
            return line;
        }

        private void Insert(string text)
        {
            _line.Insert(_cursor, text);
            _cursor += text.Length;
            string tail = _line.ToString(_cursor, _line.Length - _cursor);
            Echo(text + tail + CursorLeft(tail.Length));
        }

        private void Backspace()
        {
            if (_cursor == 0)
            {
                return;
            }

            _cursor--;
            _line.Remove(_cursor, 1);
            string tail = _line.ToString(_cursor, _line.Length - _cursor);
            Echo("\b" + tail + " " + CursorLeft(tail.Length + 1));
        }

        private void DeleteAtCursor()
        {
            if (_cursor >= _line.Length)
            {
                return;
            }

            _line.Remove(_cursor, 1);
            string tail = _line.ToString(_cursor, _line.Length - _cursor);
            Echo(tail + " " + CursorLeft(tail.Length + 1));
        }

        private void MoveTo(int position)
        {
            position = Math.Clamp(position, 0, _line.Length);
            if (position < _cursor)
            {
                Echo(CursorLeft(_cursor - position));
            }
            else if (position > _cursor)
            {
                Echo(_line.ToString(_cursor, position - _cursor));
            }

            _cursor = position;
        }

        private void RecallHistory(int direction)
        {
            int index = _historyIndex + direction;
            if (index < 0 || index > _history.Count)
            {
                return;
            }

            _historyIndex = index;
            ReplaceLine(index == _history.Count ? "" : _history[index]);
        }

        private void ReplaceLine(string text)
        {
            int oldLength = _line.Length;
            string erase = CursorLeft(_cursor) + new string(' ', oldLength) + CursorLeft(oldLength);
            _line.Clear();
            _line.Append(text);
            _cursor = text.Length;
            Echo(erase + text);
        }

        private static string CursorLeft(int count) => count <= 0 ? "" : new string('\b', count);
    }
}
