using System;

namespace Cosmos.System.Cryptography
{
    /// <summary>SHA-512, FIPS 180-4 §6.4.</summary>
    internal sealed class Sha512 : Sha512Family
    {
        // FIPS 180-4 §5.3.5: the first 64 bits of the fractional parts of the square roots of the first 8 primes.
        private static readonly ulong[] InitialHash =
        [
            0x6A09E667F3BCC908UL, 0xBB67AE8584CAA73BUL, 0x3C6EF372FE94F82BUL, 0xA54FF53A5F1D36F1UL,
            0x510E527FADE682D1UL, 0x9B05688C2B3E6C1FUL, 0x1F83D9ABFB41BD6BUL, 0x5BE0CD19137E2179UL,
        ];

        public Sha512()
        {
            ResetState();
        }

        private Sha512(Sha512 source)
            : base(source)
        {
        }

        public override DigestAlgorithm Algorithm => DigestAlgorithm.Sha512;

        public override int DigestSize => 64;

        public override MessageDigest Clone() => new Sha512(this);

        private protected override ReadOnlySpan<ulong> InitialHashValue => InitialHash;
    }
}
