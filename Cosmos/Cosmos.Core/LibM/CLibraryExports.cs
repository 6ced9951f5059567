using System.Runtime.InteropServices;

namespace Cosmos.Core.LibM
{
    /// <summary>
    /// The C library math functions the class library imports (System.Math and MathF call them,
    /// and RyuJIT calls fmod for the % operator on doubles). The float versions compute in double
    /// and round once: every double result here is within one ulp, which leaves the float result
    /// correctly rounded or one float ulp off in rare ties of double rounding.
    /// </summary>
    internal static unsafe class CLibraryExports
    {
        [UnmanagedCallersOnly(EntryPoint = "trunc")]
        private static double Trunc(double x) => RoundingFunctions.Trunc(x);

        [UnmanagedCallersOnly(EntryPoint = "truncf")]
        private static float TruncF(float x) => (float)RoundingFunctions.Trunc(x);

        [UnmanagedCallersOnly(EntryPoint = "floor")]
        private static double Floor(double x) => RoundingFunctions.Floor(x);

        [UnmanagedCallersOnly(EntryPoint = "floorf")]
        private static float FloorF(float x) => (float)RoundingFunctions.Floor(x);

        [UnmanagedCallersOnly(EntryPoint = "ceil")]
        private static double Ceil(double x) => RoundingFunctions.Ceil(x);

        [UnmanagedCallersOnly(EntryPoint = "ceilf")]
        private static float CeilF(float x) => (float)RoundingFunctions.Ceil(x);

        [UnmanagedCallersOnly(EntryPoint = "modf")]
        private static double Modf(double x, double* integral)
        {
            double fraction = RoundingFunctions.Modf(x, out double whole);
            *integral = whole;
            return fraction;
        }

        [UnmanagedCallersOnly(EntryPoint = "modff")]
        private static float ModfF(float x, float* integral)
        {
            double fraction = RoundingFunctions.Modf(x, out double whole);
            *integral = (float)whole;
            return (float)fraction;
        }

        [UnmanagedCallersOnly(EntryPoint = "fmod")]
        private static double Fmod(double x, double y) => RoundingFunctions.Fmod(x, y);

        // The remainder of two floats is exactly representable as a float, so this is exact.
        [UnmanagedCallersOnly(EntryPoint = "fmodf")]
        private static float FmodF(float x, float y) => (float)RoundingFunctions.Fmod(x, y);

        [UnmanagedCallersOnly(EntryPoint = "exp")]
        private static double Exp(double x) => ExponentialFunctions.Exp(x);

        [UnmanagedCallersOnly(EntryPoint = "expf")]
        private static float ExpF(float x) => (float)ExponentialFunctions.Exp(x);

        [UnmanagedCallersOnly(EntryPoint = "log")]
        private static double Log(double x) => ExponentialFunctions.Log(x);

        [UnmanagedCallersOnly(EntryPoint = "logf")]
        private static float LogF(float x) => (float)ExponentialFunctions.Log(x);

        [UnmanagedCallersOnly(EntryPoint = "log2")]
        private static double Log2(double x) => ExponentialFunctions.Log2(x);

        [UnmanagedCallersOnly(EntryPoint = "log2f")]
        private static float Log2F(float x) => (float)ExponentialFunctions.Log2(x);

        [UnmanagedCallersOnly(EntryPoint = "log10")]
        private static double Log10(double x) => ExponentialFunctions.Log10(x);

        [UnmanagedCallersOnly(EntryPoint = "log10f")]
        private static float Log10F(float x) => (float)ExponentialFunctions.Log10(x);

        [UnmanagedCallersOnly(EntryPoint = "pow")]
        private static double Pow(double x, double y) => ExponentialFunctions.Pow(x, y);

        [UnmanagedCallersOnly(EntryPoint = "powf")]
        private static float PowF(float x, float y) => (float)ExponentialFunctions.Pow(x, y);

        [UnmanagedCallersOnly(EntryPoint = "sin")]
        private static double Sin(double x) => TrigonometricFunctions.Sin(x);

        [UnmanagedCallersOnly(EntryPoint = "sinf")]
        private static float SinF(float x) => (float)TrigonometricFunctions.Sin(x);

        [UnmanagedCallersOnly(EntryPoint = "cos")]
        private static double Cos(double x) => TrigonometricFunctions.Cos(x);

        [UnmanagedCallersOnly(EntryPoint = "cosf")]
        private static float CosF(float x) => (float)TrigonometricFunctions.Cos(x);
    }
}
