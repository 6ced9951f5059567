using System.Runtime.InteropServices;
using Cosmos.Core.Threading;

namespace Cosmos.Core.Pal
{
    /// <summary>SystemNative_CreateThread: Thread.Start's way to a new kernel thread.</summary>
    internal static unsafe class SystemNativeThreads
    {
        /// <summary>Starts <paramref name="startAddress"/>(<paramref name="parameter"/>) on a new thread; false (OutOfMemoryException in Thread.Start) without memory for its stack.</summary>
        [UnmanagedCallersOnly(EntryPoint = "SystemNative_CreateThread")]
        private static int CreateThread(nint stackSize, delegate* unmanaged<nint, nint> startAddress, nint parameter) =>
            Scheduler.CreateThread(startAddress, parameter, (ulong)stackSize) != null ? 1 : 0;
    }
}
