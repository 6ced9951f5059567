using System.Runtime.CompilerServices;

namespace RuntimeTests
{
    /// <summary>
    /// Hides a value from the optimiser, so that a check exercises the runtime (a division by a
    /// zero the compiler cannot see, a dispatch it cannot devirtualise) instead of folded code.
    /// </summary>
    internal static class Opaque
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static T Value<T>(T value) => value;
    }
}
