using System;

namespace Cosmos.System.IO
{
    /// <summary>What a directory entry or an open file is.</summary>
    public enum FileKind
    {
        /// <summary>A regular file.</summary>
        File,

        /// <summary>A directory (including mount points and the root of the mount table).</summary>
        Directory,

        /// <summary>A character device such as the console.</summary>
        CharacterDevice,

        /// <summary>A socket.</summary>
        Socket,
    }

    /// <summary>What stat reports: kind, size, times, the read-only attribute and a stable identity.</summary>
    public readonly record struct FileStatus(FileKind Kind, long Size, DateTime Modified, DateTime Created, bool ReadOnly, long Id)
    {
        /// <summary>The time reported when a file system keeps none (mount points, the mount table's root).</summary>
        public static readonly DateTime NoTime = new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>POSIX st_mode: S_IFREG/S_IFDIR/S_IFCHR with rwx bits (write bits cleared when read-only).</summary>
        public int Mode => Kind switch
        {
            FileKind.Directory => 0x4000 | (ReadOnly ? 0x16D : 0x1FF),       // drwxrwxrwx, or dr-xr-xr-x
            FileKind.File => 0x8000 | (ReadOnly ? 0x124 : 0x1B6),            // -rw-rw-rw-, or -r--r--r--
            FileKind.Socket => 0xC000 | 0x1B6,                                // srw-rw-rw-
            _ => 0x2000 | 0x1B6,                                              // crw-rw-rw-
        };
    }
}
