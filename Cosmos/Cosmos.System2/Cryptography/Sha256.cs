using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cosmos.System.Cryptography
{
    /// <summary>SHA-256, FIPS 180-4 §6.2.</summary>
    internal sealed class Sha256 : MerkleDamgardDigest
    {
        private const int BlockBytes = 64;

        // FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
        private static readonly uint[] RoundConstants =
        [
            0x428A2F98U, 0x71374491U, 0xB5C0FBCFU, 0xE9B5DBA5U, 0x3956C25BU, 0x59F111F1U, 0x923F82A4U, 0xAB1C5ED5U,
            0xD807AA98U, 0x12835B01U, 0x243185BEU, 0x550C7DC3U, 0x72BE5D74U, 0x80DEB1FEU, 0x9BDC06A7U, 0xC19BF174U,
            0xE49B69C1U, 0xEFBE4786U, 0x0FC19DC6U, 0x240CA1CCU, 0x2DE92C6FU, 0x4A7484AAU, 0x5CB0A9DCU, 0x76F988DAU,
            0x983E5152U, 0xA831C66DU, 0xB00327C8U, 0xBF597FC7U, 0xC6E00BF3U, 0xD5A79147U, 0x06CA6351U, 0x14292967U,
            0x27B70A85U, 0x2E1B2138U, 0x4D2C6DFCU, 0x53380D13U, 0x650A7354U, 0x766A0ABBU, 0x81C2C92EU, 0x92722C85U,
            0xA2BFE8A1U, 0xA81A664BU, 0xC24B8B70U, 0xC76C51A3U, 0xD192E819U, 0xD6990624U, 0xF40E3585U, 0x106AA070U,
            0x19A4C116U, 0x1E376C08U, 0x2748774CU, 0x34B0BCB5U, 0x391C0CB3U, 0x4ED8AA4AU, 0x5B9CCA4FU, 0x682E6FF3U,
            0x748F82EEU, 0x78A5636FU, 0x84C87814U, 0x8CC70208U, 0x90BEFFFAU, 0xA4506CEBU, 0xBEF9A3F7U, 0xC67178F2U,
        ];

        private readonly uint[] _state = new uint[8];

        public Sha256()
            : base(BlockBytes, lengthFieldSize: 8, lengthIsLittleEndian: false)
        {
            ResetState();
        }

        private Sha256(Sha256 source)
            : base(source)
        {
            source._state.AsSpan().CopyTo(_state);
        }

        public override DigestAlgorithm Algorithm => DigestAlgorithm.Sha256;

        public override int DigestSize => 32;

        public override MessageDigest Clone() => new Sha256(this);

        // FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
        private protected override void ResetState()
        {
            _state[0] = 0x6A09E667;
            _state[1] = 0xBB67AE85;
            _state[2] = 0x3C6EF372;
            _state[3] = 0xA54FF53A;
            _state[4] = 0x510E527F;
            _state[5] = 0x9B05688C;
            _state[6] = 0x1F83D9AB;
            _state[7] = 0x5BE0CD19;
        }

        [SkipLocalsInit]
        private protected override void CompressBlocks(ReadOnlySpan<byte> blocks)
        {
            Span<uint> schedule = stackalloc uint[64];
            uint[] state = _state;
            uint[] roundConstants = RoundConstants;
            for (; !blocks.IsEmpty; blocks = blocks[BlockBytes..])
            {
                // FIPS 180-4 §6.2.2 step 1, with σ0 and σ1 from §4.1.2.
                for (int t = 0; t < 16; t++)
                {
                    schedule[t] = BinaryPrimitives.ReadUInt32BigEndian(blocks[(t * 4)..]);
                }

                for (int t = 16; t < 64; t++)
                {
                    uint w15 = schedule[t - 15];
                    uint w2 = schedule[t - 2];
                    uint sigma0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
                    uint sigma1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
                    schedule[t] = sigma1 + schedule[t - 7] + sigma0 + schedule[t - 16];
                }

                uint a = state[0], b = state[1], c = state[2], d = state[3];
                uint e = state[4], f = state[5], g = state[6], h = state[7];

                // §6.2.2 step 3, with Ch, Maj, Σ0 and Σ1 from §4.1.2.
                for (int t = 0; t < 64; t++)
                {
                    uint bigSigma1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
                    uint choose = (e & f) ^ (~e & g);
                    uint t1 = h + bigSigma1 + choose + roundConstants[t] + schedule[t];
                    uint bigSigma0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
                    uint majority = (a & b) ^ (a & c) ^ (b & c);
                    uint t2 = bigSigma0 + majority;
                    h = g;
                    g = f;
                    f = e;
                    e = d + t1;
                    d = c;
                    c = b;
                    b = a;
                    a = t1 + t2;
                }

                state[0] += a;
                state[1] += b;
                state[2] += c;
                state[3] += d;
                state[4] += e;
                state[5] += f;
                state[6] += g;
                state[7] += h;
            }
        }

        private protected override void WriteDigest(Span<byte> digest)
        {
            for (int i = 0; i < 8; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], _state[i]);
            }
        }
    }
}
