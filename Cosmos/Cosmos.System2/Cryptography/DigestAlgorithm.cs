namespace Cosmos.System.Cryptography
{
    /// <summary>The message digests <see cref="MessageDigest.Create"/> makes.</summary>
    public enum DigestAlgorithm
    {
        /// <summary>MD5 (RFC 1321): 16-byte digest, 64-byte blocks. Broken for collisions; kept for compatibility.</summary>
        Md5,

        /// <summary>SHA-1 (FIPS 180-4 §6.1): 20-byte digest, 64-byte blocks. Broken for collisions; kept for compatibility.</summary>
        Sha1,

        /// <summary>SHA-256 (FIPS 180-4 §6.2): 32-byte digest, 64-byte blocks.</summary>
        Sha256,

        /// <summary>SHA-384 (FIPS 180-4 §6.5): SHA-512 with its own initial hash value, truncated to 48 bytes.</summary>
        Sha384,

        /// <summary>SHA-512 (FIPS 180-4 §6.4): 64-byte digest, 128-byte blocks.</summary>
        Sha512,
    }
}
