using System;
using System.Runtime.InteropServices;
using Cosmos.System.IO;

namespace Cosmos.Plugs.Unix
{
    /// <summary>Fills the class library's Interop.Sys.FileStatus from a <see cref="FileStatus"/>.</summary>
    internal static unsafe class FileStatusWriter
    {
        private const int HasBirthTime = 1;
        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static void Fill(NativeFileStatus* native, FileStatus status)
        {
            *native = default;
            native->Flags = HasBirthTime;
            native->Mode = status.Mode;
            native->Size = status.Size;
            (native->MTime, native->MTimeNsec) = Split(status.Modified);
            (native->CTime, native->CTimeNsec) = (native->MTime, native->MTimeNsec);
            (native->ATime, native->ATimeNsec) = (native->MTime, native->MTimeNsec);
            (native->BirthTime, native->BirthTimeNsec) = Split(status.Created);
            native->Dev = 1;
            native->Ino = status.Id;
        }

        // FAT keeps local time without a zone; the kernel's local time is UTC.
        private static (long Seconds, long Nanoseconds) Split(DateTime time)
        {
            long ticks = DateTime.SpecifyKind(time, DateTimeKind.Utc).Ticks - UnixEpoch.Ticks;
            return (Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest), rest * 100);
        }

        /// <summary>Interop.Sys.FileStatus (120 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct NativeFileStatus
        {
            public int Flags;
            public int Mode;
            public uint Uid;
            public uint Gid;
            public long Size;
            public long ATime, ATimeNsec, MTime, MTimeNsec, CTime, CTimeNsec, BirthTime, BirthTimeNsec;
            public long Dev, RDev, Ino;
            public uint UserFlags;
        }
    }
}
