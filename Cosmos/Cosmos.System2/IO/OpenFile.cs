using System;
using Cosmos.Core.Pal;

namespace Cosmos.System.IO
{
    /// <summary>
    /// An open file description, as a Unix kernel has them: what a file descriptor refers to.
    /// Operations return a byte count (≥ 0) or a negated <see cref="Errno"/> value.
    /// </summary>
    public abstract class OpenFile
    {
        /// <summary>Reads into <paramref name="buffer"/>; 0 at end of file.</summary>
        public virtual int Read(Span<byte> buffer) => -Errno.EBADF;

        /// <summary>Writes <paramref name="buffer"/>.</summary>
        public virtual int Write(ReadOnlySpan<byte> buffer) => -Errno.EBADF;

        /// <summary>Moves the file position (whence: 0 set, 1 current, 2 end); returns the new position or -errno.</summary>
        public virtual long Seek(long offset, int whence) => -Errno.ESPIPE;

        /// <summary>True for terminals (isatty).</summary>
        public virtual bool IsTerminal => false;

        /// <summary>The POSIX file type and permission bits (st_mode).</summary>
        public virtual int Mode => 0x2000 | 0x1B6;    // S_IFCHR, rw-rw-rw-

        /// <summary>Size in bytes for regular files, else 0.</summary>
        public virtual long Length => 0;

        /// <summary>True when a read would not block.</summary>
        public virtual bool CanReadWithoutBlocking => true;

        /// <summary>Called when the last descriptor referring to this description closes.</summary>
        public virtual void Release()
        {
        }
    }
}
