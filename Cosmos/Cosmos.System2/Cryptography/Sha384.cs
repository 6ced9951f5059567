using System;

namespace Cosmos.System.Cryptography
{
    /// <summary>SHA-384, FIPS 180-4 §6.5: the SHA-512 computation with its own H(0), truncated to 48 bytes.</summary>
    internal sealed class Sha384 : Sha512Family
    {
        // FIPS 180-4 §5.3.4: the first 64 bits of the fractional parts of the square roots of the 9th through 16th primes.
        private static readonly ulong[] InitialHash =
        [
            0xCBBB9D5DC1059ED8UL, 0x629A292A367CD507UL, 0x9159015A3070DD17UL, 0x152FECD8F70E5939UL,
            0x67332667FFC00B31UL, 0x8EB44A8768581511UL, 0xDB0C2E0D64F98FA7UL, 0x47B5481DBEFA4FA4UL,
        ];

        public Sha384()
        {
            ResetState();
        }

        private Sha384(Sha384 source)
            : base(source)
        {
        }

        public override DigestAlgorithm Algorithm => DigestAlgorithm.Sha384;

        public override int DigestSize => 48;

        public override MessageDigest Clone() => new Sha384(this);

        private protected override ReadOnlySpan<ulong> InitialHashValue => InitialHash;
    }
}
