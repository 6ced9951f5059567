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
        /// <summary>Reads into <paramref name="buffer"/> at the file position; 0 at end of file.</summary>
        public virtual int Read(Span<byte> buffer) => -Errno.EBADF;

        /// <summary>Writes <paramref name="buffer"/> at the file position.</summary>
        public virtual int Write(ReadOnlySpan<byte> buffer) => -Errno.EBADF;

        /// <summary>Reads at <paramref name="offset"/> without moving the file position (pread).</summary>
        public virtual int ReadAt(long offset, Span<byte> buffer) => -Errno.ESPIPE;

        /// <summary>Writes at <paramref name="offset"/> without moving the file position (pwrite).</summary>
        public virtual int WriteAt(long offset, ReadOnlySpan<byte> buffer) => -Errno.ESPIPE;

        /// <summary>Moves the file position (whence: 0 set, 1 current, 2 end); returns the new position or -errno.</summary>
        public virtual long Seek(long offset, int whence) => -Errno.ESPIPE;

        /// <summary>Sets the length of a regular file (ftruncate); 0 or -errno.</summary>
        public virtual int SetLength(long length) => -Errno.EINVAL;

        /// <summary>Makes written data durable (fsync); 0 or -errno.</summary>
        public virtual int Sync() => 0;

        /// <summary>True for terminals (isatty).</summary>
        public virtual bool IsTerminal => false;

        /// <summary>What fstat reports.</summary>
        public virtual FileStatus Status => new FileStatus(FileKind.CharacterDevice, 0, FileStatus.NoTime, FileStatus.NoTime, false, 0);

        /// <summary>True when a read would not block.</summary>
        public virtual bool CanReadWithoutBlocking => true;

        /// <summary>Called when the last descriptor referring to this description closes.</summary>
        public virtual void Release()
        {
        }
    }
}
