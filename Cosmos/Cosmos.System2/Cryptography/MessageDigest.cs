using System;

namespace Cosmos.System.Cryptography
{
    /// <summary>
    /// An incremental message digest: <see cref="Append"/> any number of times, then <see cref="Finish"/>
    /// writes the digest and starts over. Instances are not thread-safe.
    /// </summary>
    public abstract class MessageDigest
    {
        // Only the algorithms in this assembly derive from it.
        private protected MessageDigest()
        {
        }

        /// <summary>The largest <see cref="DigestSize"/> of any algorithm here (SHA-512's), in bytes.</summary>
        public const int MaxDigestSize = 64;

        /// <summary>The largest <see cref="BlockSize"/> of any algorithm here (SHA-384's and SHA-512's), in bytes.</summary>
        public const int MaxBlockSize = 128;

        /// <summary>Which algorithm this is.</summary>
        public abstract DigestAlgorithm Algorithm { get; }

        /// <summary>The length of the digest <see cref="Finish"/> writes, in bytes.</summary>
        public abstract int DigestSize { get; }

        /// <summary>The length of the blocks the compression function takes, in bytes (HMAC pads its key to it).</summary>
        public abstract int BlockSize { get; }

        /// <summary>Adds <paramref name="data"/> to the message.</summary>
        public abstract void Append(ReadOnlySpan<byte> data);

        /// <summary>
        /// Writes the digest of everything appended since the last reset to the first <see cref="DigestSize"/>
        /// bytes of <paramref name="digest"/>, then resets.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="digest"/> is shorter than <see cref="DigestSize"/>.</exception>
        public abstract void Finish(Span<byte> digest);

        /// <summary>Forgets everything appended: the state of a new instance.</summary>
        public abstract void Reset();

        /// <summary>An independent copy, in the middle of the same message.</summary>
        public abstract MessageDigest Clone();

        /// <summary>A new, empty digest of <paramref name="algorithm"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="algorithm"/> is not a <see cref="DigestAlgorithm"/>.</exception>
        public static MessageDigest Create(DigestAlgorithm algorithm) => algorithm switch
        {
            DigestAlgorithm.Md5 => new Md5(),
            DigestAlgorithm.Sha1 => new Sha1(),
            DigestAlgorithm.Sha256 => new Sha256(),
            DigestAlgorithm.Sha384 => new Sha384(),
            DigestAlgorithm.Sha512 => new Sha512(),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not a digest algorithm"),
        };

        /// <summary>The digest length of <paramref name="algorithm"/> in bytes, without making an instance.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="algorithm"/> is not a <see cref="DigestAlgorithm"/>.</exception>
        public static int SizeOf(DigestAlgorithm algorithm) => algorithm switch
        {
            DigestAlgorithm.Md5 => 16,
            DigestAlgorithm.Sha1 => 20,
            DigestAlgorithm.Sha256 => 32,
            DigestAlgorithm.Sha384 => 48,
            DigestAlgorithm.Sha512 => 64,
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not a digest algorithm"),
        };

        /// <summary>
        /// The digest of <paramref name="data"/>, written to <paramref name="digest"/>; returns its length.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="digest"/> is too short.</exception>
        public static int HashData(DigestAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> digest)
        {
            MessageDigest instance = Create(algorithm);
            instance.Append(data);
            instance.Finish(digest);
            return instance.DigestSize;
        }

        /// <summary>Throws unless <paramref name="digest"/> holds <see cref="DigestSize"/> bytes.</summary>
        protected void CheckDigestLength(Span<byte> digest)
        {
            if (digest.Length < DigestSize)
            {
                throw new ArgumentException($"{Algorithm} writes a {DigestSize}-byte digest; the destination holds {digest.Length}", nameof(digest));
            }
        }
    }
}
