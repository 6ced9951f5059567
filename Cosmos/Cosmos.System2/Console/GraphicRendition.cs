namespace Cosmos.System.Console
{
    /// <summary>
    /// How a character cell terminal draws the text written next, as SGR (ECMA-48 §8.3.117) sets it:
    /// the ANSI colours as indices 0–15 into a 16-colour palette (8–15 the bright ones), bold and reverse video.
    /// </summary>
    internal readonly record struct GraphicRendition(int Foreground, int Background, bool Bold, bool Reverse)
    {
        /// <summary>Light grey on black, neither bold nor reversed (what SGR 0 returns to).</summary>
        public static GraphicRendition Default => new(DefaultForeground, DefaultBackground, false, false);

        private const int DefaultForeground = 7, DefaultBackground = 0;

        /// <summary>
        /// The palette indices a character is drawn in: bold brightens colours 0–7 of the foreground, reverse
        /// swaps foreground and background.
        /// </summary>
        public (int Foreground, int Background) Colours
        {
            get
            {
                int foreground = Foreground + (Bold && Foreground < 8 ? 8 : 0);
                return Reverse ? (Background, foreground) : (foreground, Background);
            }
        }

        /// <summary>
        /// This rendition changed by one SGR parameter: 0 reset, 1/22 bold on/off, 7/27 reverse on/off, 30–37 and
        /// 90–97 foreground, 39 default foreground, 40–47 and 100–107 background, 49 default background. Any other
        /// code leaves it as it is.
        /// </summary>
        public GraphicRendition Select(int code) => code switch
        {
            0 => Default,
            1 => this with { Bold = true },
            22 => this with { Bold = false },
            7 => this with { Reverse = true },
            27 => this with { Reverse = false },
            >= 30 and <= 37 => this with { Foreground = code - 30 },
            39 => this with { Foreground = DefaultForeground },
            >= 40 and <= 47 => this with { Background = code - 40 },
            49 => this with { Background = DefaultBackground },
            >= 90 and <= 97 => this with { Foreground = code - 90 + 8 },
            >= 100 and <= 107 => this with { Background = code - 100 + 8 },
            _ => this,
        };
    }
}
