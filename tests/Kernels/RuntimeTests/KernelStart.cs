namespace RuntimeTests
{
    /// <summary>When the kernel's own code began (a plain static: no constructor to run).</summary>
    internal static class KernelStart
    {
        public static ulong TimestampCounter;
    }
}
