using System.Threading;

namespace Cosmos.System.IO
{
    /// <summary>
    /// One lock for the mounted file systems: the FAT layer, its caches and the block devices under it
    /// are not written for concurrent callers, so every path call (<see cref="FileCalls"/>) and every
    /// read, write, seek or sync of an open file holds it. Terminal reads do not, so a thread waiting
    /// for a keystroke blocks nobody's file I/O.
    /// </summary>
    public static class FileSystemLock
    {
        /// <summary>The lock; hold it with <c>using Lock.Scope scope = FileSystemLock.Gate.EnterScope();</c>.</summary>
        public static Lock Gate { get; } = new Lock();
    }
}
