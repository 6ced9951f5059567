using System;
using System.Buffers.Binary;

namespace Cosmos.System.Cryptography
{
    /// <summary>
    /// The Merkle–Damgård construction MD5 and the SHA-1/SHA-2 family share: the message is cut into
    /// blocks for a compression function, and the last block is padded with a 1 bit, zeros and the
    /// message length in bits (RFC 1321 §3.1–3.2, FIPS 180-4 §5.1). Subclasses supply the compression
    /// function and the chaining state; this class does the buffering and the padding.
    /// </summary>
    internal abstract class MerkleDamgardDigest : MessageDigest
    {
        private readonly byte[] _partialBlock;
        private readonly int _lengthFieldSize;
        private readonly bool _lengthIsLittleEndian;
        private int _partialLength;

        // Bytes appended since the last reset. The specifications count bits modulo 2^64 (MD5) or
        // limit messages to below 2^64 (SHA-1, SHA-256) or 2^128 bits (SHA-512); 2^64 bytes is beyond
        // anything a caller can hand us, and Finish derives the 128-bit count from it.
        private ulong _byteCount;

        /// <param name="blockSize">Bytes per compression-function block: 64 or 128.</param>
        /// <param name="lengthFieldSize">Bytes of the message-length field at the end of the last block: 8 or 16.</param>
        /// <param name="lengthIsLittleEndian">MD5 stores the length little-endian, the SHA family big-endian.</param>
        private protected MerkleDamgardDigest(int blockSize, int lengthFieldSize, bool lengthIsLittleEndian)
        {
            _partialBlock = new byte[blockSize];
            _lengthFieldSize = lengthFieldSize;
            _lengthIsLittleEndian = lengthIsLittleEndian;
        }

        /// <summary>A copy of <paramref name="source"/>'s buffered input and count; the subclass copies its chaining state.</summary>
        private protected MerkleDamgardDigest(MerkleDamgardDigest source)
        {
            _partialBlock = source._partialBlock.AsSpan().ToArray();
            _lengthFieldSize = source._lengthFieldSize;
            _lengthIsLittleEndian = source._lengthIsLittleEndian;
            _partialLength = source._partialLength;
            _byteCount = source._byteCount;
        }

        public sealed override int BlockSize => _partialBlock.Length;

        public sealed override void Append(ReadOnlySpan<byte> data)
        {
            _byteCount += (ulong)data.Length;
            int blockSize = _partialBlock.Length;
            if (_partialLength > 0)
            {
                int taken = Math.Min(data.Length, blockSize - _partialLength);
                data[..taken].CopyTo(_partialBlock.AsSpan(_partialLength));
                _partialLength += taken;
                data = data[taken..];
                if (_partialLength < blockSize)
                {
                    return;
                }

                CompressBlocks(_partialBlock);
                _partialLength = 0;
            }

            // Whole blocks straight from the caller's memory: no copy.
            int wholeBlocksLength = data.Length - data.Length % blockSize;
            if (wholeBlocksLength > 0)
            {
                CompressBlocks(data[..wholeBlocksLength]);
                data = data[wholeBlocksLength..];
            }

            data.CopyTo(_partialBlock);
            _partialLength = data.Length;
        }

        public sealed override void Finish(Span<byte> digest)
        {
            CheckDigestLength(digest);
            Span<byte> block = _partialBlock;
            int lengthFieldOffset = block.Length - _lengthFieldSize;

            // The 1 bit right after the message, then zeros up to the length field; if the length
            // no longer fits in this block, the padding spills into one more.
            block[_partialLength++] = 0x80;
            if (_partialLength > lengthFieldOffset)
            {
                block[_partialLength..].Clear();
                CompressBlocks(block);
                _partialLength = 0;
            }

            block[_partialLength..].Clear();
            ulong bitCountLow = _byteCount << 3;
            ulong bitCountHigh = _byteCount >> 61;
            Span<byte> lengthField = block[lengthFieldOffset..];
            if (_lengthIsLittleEndian)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(lengthField, bitCountLow);
            }
            else
            {
                BinaryPrimitives.WriteUInt64BigEndian(lengthField[^8..], bitCountLow);
                if (_lengthFieldSize == 16)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(lengthField, bitCountHigh);
                }
            }

            CompressBlocks(block);
            WriteDigest(digest[..DigestSize]);
            Reset();
        }

        public sealed override void Reset()
        {
            _partialBlock.AsSpan().Clear();
            _partialLength = 0;
            _byteCount = 0;
            ResetState();
        }

        /// <summary>Runs the compression function over <paramref name="blocks"/>, a whole number of blocks.</summary>
        private protected abstract void CompressBlocks(ReadOnlySpan<byte> blocks);

        /// <summary>Sets the chaining state to the algorithm's initial hash value.</summary>
        private protected abstract void ResetState();

        /// <summary>Writes the chaining state as the digest: exactly <see cref="MessageDigest.DigestSize"/> bytes.</summary>
        private protected abstract void WriteDigest(Span<byte> digest);
    }
}
