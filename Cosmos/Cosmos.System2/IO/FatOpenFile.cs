using System;
using System.Threading;
using Cosmos.Core.Pal;
using Cosmos.System.Storage.Fat;

namespace Cosmos.System.IO
{
    /// <summary>An open regular file on a FAT volume: a file position over a <see cref="FatFile"/>.</summary>
    public sealed class FatOpenFile : OpenFile
    {
        private readonly FatFileSystem _fileSystem;
        private readonly FatFile _file;
        private readonly bool _canRead;
        private readonly bool _canWrite;
        private readonly bool _synchronous;
        private readonly long _id;
        private long _position;

        /// <summary>Opens <paramref name="file"/> of <paramref name="fileSystem"/> with the given access.</summary>
        public FatOpenFile(FatFileSystem fileSystem, FatFile file, bool canRead, bool canWrite, bool synchronous, long id)
        {
            _fileSystem = fileSystem;
            _file = file;
            _canRead = canRead;
            _canWrite = canWrite;
            _synchronous = synchronous;
            _id = id;
        }

        /// <inheritdoc />
        public override int Read(Span<byte> buffer)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            int read = ReadAt(_position, buffer);
            if (read > 0)
            {
                _position += read;
            }

            return read;
        }

        /// <inheritdoc />
        public override int Write(ReadOnlySpan<byte> buffer)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            int written = WriteAt(_position, buffer);
            if (written > 0)
            {
                _position += written;
            }

            return written;
        }

        /// <inheritdoc />
        public override int ReadAt(long offset, Span<byte> buffer)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            if (!_canRead)
            {
                return -Errno.EBADF;
            }

            if (offset < 0)
            {
                return -Errno.EINVAL;
            }

            try
            {
                return _file.Read(offset, buffer);
            }
            catch (Exception error) when (FileCalls.IsFileSystemError(error))
            {
                return FileCalls.Fail(error, _file.Entry.Path);
            }
        }

        /// <inheritdoc />
        public override int WriteAt(long offset, ReadOnlySpan<byte> buffer)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            if (!_canWrite)
            {
                return -Errno.EBADF;
            }

            if (offset < 0)
            {
                return -Errno.EINVAL;
            }

            if (offset + buffer.Length > uint.MaxValue)
            {
                return FileCalls.Fail(Errno.EFBIG, $"FAT files end at 4 GiB - 1 bytes; '{_file.Entry.Path}' cannot reach {offset + buffer.Length}");
            }

            try
            {
                _file.Write(offset, buffer);
                if (_synchronous)
                {
                    _fileSystem.Flush();
                }

                return buffer.Length;
            }
            catch (Exception error) when (FileCalls.IsFileSystemError(error))
            {
                return FileCalls.Fail(error, _file.Entry.Path);
            }
        }

        /// <inheritdoc />
        public override long Seek(long offset, int whence)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            long basis;
            switch (whence)
            {
                case 0:
                    basis = 0;
                    break;
                case 1:
                    basis = _position;
                    break;
                case 2:
                    try
                    {
                        basis = _file.Length;
                    }
                    catch (Exception error) when (FileCalls.IsFileSystemError(error))
                    {
                        return FileCalls.Fail(error, _file.Entry.Path);
                    }

                    break;
                default:
                    return -Errno.EINVAL;
            }

            long target = basis + offset;
            if (target < 0)
            {
                return -Errno.EINVAL;
            }

            _position = target;
            return target;
        }

        /// <inheritdoc />
        public override int SetLength(long length)
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            if (!_canWrite)
            {
                return -Errno.EINVAL;
            }

            if (length < 0)
            {
                return -Errno.EINVAL;
            }

            if (length > uint.MaxValue)
            {
                return FileCalls.Fail(Errno.EFBIG, $"FAT files end at 4 GiB - 1 bytes; '{_file.Entry.Path}' cannot be {length} bytes");
            }

            try
            {
                _file.SetLength(length);
                return 0;
            }
            catch (Exception error) when (FileCalls.IsFileSystemError(error))
            {
                return FileCalls.Fail(error, _file.Entry.Path);
            }
        }

        /// <inheritdoc />
        public override int Sync()
        {
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            try
            {
                _fileSystem.Flush();
                return 0;
            }
            catch (Exception error) when (FileCalls.IsFileSystemError(error))
            {
                return FileCalls.Fail(error, _file.Entry.Path);
            }
        }

        /// <inheritdoc />
        public override FileStatus Status => FileCalls.StatusOf(_file.Entry, _id);
    }
}
