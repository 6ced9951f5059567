namespace Cosmos.System.Console
{
    /// <summary>What ED and EL (ECMA-48 §8.3.39, §8.3.41) erase, relative to the cursor.</summary>
    internal enum EraseExtent
    {
        /// <summary>From the cursor's cell (included) to the end of the line or of the screen (parameter 0).</summary>
        ToEnd = 0,

        /// <summary>From the start of the line or of the screen to the cursor's cell (included) (parameter 1).</summary>
        ToStart = 1,

        /// <summary>The whole line or screen (parameter 2; also 3 and any larger value).</summary>
        All = 2,
    }
}
