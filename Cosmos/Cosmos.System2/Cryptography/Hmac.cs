using System;

namespace Cosmos.System.Cryptography
{
    /// <summary>
    /// HMAC, RFC 2104, over any <see cref="DigestAlgorithm"/>: H((K0 ⊕ opad) ‖ H((K0 ⊕ ipad) ‖ text)).
    /// Incremental like <see cref="MessageDigest"/>: <see cref="Append"/>, then <see cref="Finish"/>
    /// writes the code and starts a new message under the same key. Instances are not thread-safe.
    /// </summary>
    public sealed class Hmac
    {
        // RFC 2104 §2.
        private const byte InnerPad = 0x36;
        private const byte OuterPad = 0x5C;

        private readonly MessageDigest _inner;
        private readonly MessageDigest _outer;

        // K0 ⊕ ipad and K0 ⊕ opad, one block each. Never written after the constructor, so clones share them.
        private readonly byte[] _innerKeyBlock;
        private readonly byte[] _outerKeyBlock;

        /// <summary>An HMAC of <paramref name="algorithm"/> keyed with <paramref name="key"/>, ready for a message.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="algorithm"/> is not a <see cref="DigestAlgorithm"/>.</exception>
        public Hmac(DigestAlgorithm algorithm, ReadOnlySpan<byte> key)
        {
            _inner = MessageDigest.Create(algorithm);
            _outer = MessageDigest.Create(algorithm);
            int blockSize = _inner.BlockSize;
            _innerKeyBlock = new byte[blockSize];
            _outerKeyBlock = new byte[blockSize];

            // RFC 2104 §2: a key longer than the block is replaced by its digest; K0 is the key
            // padded with zeros to the block size.
            Span<byte> paddedKey = _innerKeyBlock;
            if (key.Length > blockSize)
            {
                _outer.Append(key);
                _outer.Finish(paddedKey);
            }
            else
            {
                key.CopyTo(paddedKey);
            }

            for (int i = 0; i < blockSize; i++)
            {
                _outerKeyBlock[i] = (byte)(paddedKey[i] ^ OuterPad);
                _innerKeyBlock[i] = (byte)(paddedKey[i] ^ InnerPad);
            }

            _inner.Append(_innerKeyBlock);
        }

        private Hmac(Hmac source)
        {
            _inner = source._inner.Clone();
            _outer = MessageDigest.Create(source.Algorithm);
            _innerKeyBlock = source._innerKeyBlock;
            _outerKeyBlock = source._outerKeyBlock;
        }

        /// <summary>The underlying digest.</summary>
        public DigestAlgorithm Algorithm => _inner.Algorithm;

        /// <summary>The length of the code <see cref="Finish"/> writes, in bytes: the digest's length.</summary>
        public int MacSize => _inner.DigestSize;

        /// <summary>Adds <paramref name="data"/> to the message.</summary>
        public void Append(ReadOnlySpan<byte> data) => _inner.Append(data);

        /// <summary>
        /// Writes the code of everything appended since the last reset to the first <see cref="MacSize"/>
        /// bytes of <paramref name="mac"/>, then starts a new message under the same key.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="mac"/> is shorter than <see cref="MacSize"/>.</exception>
        public void Finish(Span<byte> mac)
        {
            if (mac.Length < MacSize)
            {
                throw new ArgumentException($"HMAC-{Algorithm} writes a {MacSize}-byte code; the destination holds {mac.Length}", nameof(mac));
            }

            Span<byte> innerDigest = stackalloc byte[MessageDigest.MaxDigestSize];
            innerDigest = innerDigest[..MacSize];
            _inner.Finish(innerDigest);
            _outer.Append(_outerKeyBlock);
            _outer.Append(innerDigest);
            _outer.Finish(mac);
            innerDigest.Clear();
            _inner.Append(_innerKeyBlock);
        }

        /// <summary>Forgets the message appended so far; the key stays.</summary>
        public void Reset()
        {
            _inner.Reset();
            _inner.Append(_innerKeyBlock);
        }

        /// <summary>An independent copy, in the middle of the same message under the same key.</summary>
        public Hmac Clone() => new Hmac(this);

        /// <summary>The HMAC of <paramref name="data"/> under <paramref name="key"/>, written to <paramref name="mac"/>; returns its length.</summary>
        /// <exception cref="ArgumentException"><paramref name="mac"/> is too short.</exception>
        public static int Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
        {
            var hmac = new Hmac(algorithm, key);
            hmac.Append(data);
            hmac.Finish(mac);
            return hmac.MacSize;
        }
    }
}
