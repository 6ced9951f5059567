using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cosmos.System.Cryptography
{
    /// <summary>
    /// The SHA-512 computation, FIPS 180-4 §6.4: 128-byte blocks, 64-bit words, a 128-bit length
    /// field. SHA-512 and SHA-384 (§6.5) run it unchanged and differ only in the initial hash value
    /// and in how many bytes of the final state they output.
    /// </summary>
    internal abstract class Sha512Family : MerkleDamgardDigest
    {
        private const int BlockBytes = 128;

        // FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes.
        private static readonly ulong[] RoundConstants =
        [
            0x428A2F98D728AE22UL, 0x7137449123EF65CDUL, 0xB5C0FBCFEC4D3B2FUL, 0xE9B5DBA58189DBBCUL,
            0x3956C25BF348B538UL, 0x59F111F1B605D019UL, 0x923F82A4AF194F9BUL, 0xAB1C5ED5DA6D8118UL,
            0xD807AA98A3030242UL, 0x12835B0145706FBEUL, 0x243185BE4EE4B28CUL, 0x550C7DC3D5FFB4E2UL,
            0x72BE5D74F27B896FUL, 0x80DEB1FE3B1696B1UL, 0x9BDC06A725C71235UL, 0xC19BF174CF692694UL,
            0xE49B69C19EF14AD2UL, 0xEFBE4786384F25E3UL, 0x0FC19DC68B8CD5B5UL, 0x240CA1CC77AC9C65UL,
            0x2DE92C6F592B0275UL, 0x4A7484AA6EA6E483UL, 0x5CB0A9DCBD41FBD4UL, 0x76F988DA831153B5UL,
            0x983E5152EE66DFABUL, 0xA831C66D2DB43210UL, 0xB00327C898FB213FUL, 0xBF597FC7BEEF0EE4UL,
            0xC6E00BF33DA88FC2UL, 0xD5A79147930AA725UL, 0x06CA6351E003826FUL, 0x142929670A0E6E70UL,
            0x27B70A8546D22FFCUL, 0x2E1B21385C26C926UL, 0x4D2C6DFC5AC42AEDUL, 0x53380D139D95B3DFUL,
            0x650A73548BAF63DEUL, 0x766A0ABB3C77B2A8UL, 0x81C2C92E47EDAEE6UL, 0x92722C851482353BUL,
            0xA2BFE8A14CF10364UL, 0xA81A664BBC423001UL, 0xC24B8B70D0F89791UL, 0xC76C51A30654BE30UL,
            0xD192E819D6EF5218UL, 0xD69906245565A910UL, 0xF40E35855771202AUL, 0x106AA07032BBD1B8UL,
            0x19A4C116B8D2D0C8UL, 0x1E376C085141AB53UL, 0x2748774CDF8EEB99UL, 0x34B0BCB5E19B48A8UL,
            0x391C0CB3C5C95A63UL, 0x4ED8AA4AE3418ACBUL, 0x5B9CCA4F7763E373UL, 0x682E6FF3D6B2B8A3UL,
            0x748F82EE5DEFB2FCUL, 0x78A5636F43172F60UL, 0x84C87814A1F0AB72UL, 0x8CC702081A6439ECUL,
            0x90BEFFFA23631E28UL, 0xA4506CEBDE82BDE9UL, 0xBEF9A3F7B2C67915UL, 0xC67178F2E372532BUL,
            0xCA273ECEEA26619CUL, 0xD186B8C721C0C207UL, 0xEADA7DD6CDE0EB1EUL, 0xF57D4F7FEE6ED178UL,
            0x06F067AA72176FBAUL, 0x0A637DC5A2C898A6UL, 0x113F9804BEF90DAEUL, 0x1B710B35131C471BUL,
            0x28DB77F523047D84UL, 0x32CAAB7B40C72493UL, 0x3C9EBE0A15C9BEBCUL, 0x431D67C49C100D4CUL,
            0x4CC5D4BECB3E42B6UL, 0x597F299CFC657E2AUL, 0x5FCB6FAB3AD6FAECUL, 0x6C44198C4A475817UL,
        ];

        private readonly ulong[] _state = new ulong[8];

        private protected Sha512Family()
            : base(BlockBytes, lengthFieldSize: 16, lengthIsLittleEndian: false)
        {
        }

        private protected Sha512Family(Sha512Family source)
            : base(source)
        {
            source._state.AsSpan().CopyTo(_state);
        }

        /// <summary>The algorithm's initial hash value H(0): eight words.</summary>
        private protected abstract ReadOnlySpan<ulong> InitialHashValue { get; }

        private protected override void ResetState() => InitialHashValue.CopyTo(_state);

        [SkipLocalsInit]
        private protected override void CompressBlocks(ReadOnlySpan<byte> blocks)
        {
            Span<ulong> schedule = stackalloc ulong[80];
            ulong[] state = _state;
            ulong[] roundConstants = RoundConstants;
            for (; !blocks.IsEmpty; blocks = blocks[BlockBytes..])
            {
                // FIPS 180-4 §6.4.2 step 1, with σ0 and σ1 from §4.1.3.
                for (int t = 0; t < 16; t++)
                {
                    schedule[t] = BinaryPrimitives.ReadUInt64BigEndian(blocks[(t * 8)..]);
                }

                for (int t = 16; t < 80; t++)
                {
                    ulong w15 = schedule[t - 15];
                    ulong w2 = schedule[t - 2];
                    ulong sigma0 = BitOperations.RotateRight(w15, 1) ^ BitOperations.RotateRight(w15, 8) ^ (w15 >> 7);
                    ulong sigma1 = BitOperations.RotateRight(w2, 19) ^ BitOperations.RotateRight(w2, 61) ^ (w2 >> 6);
                    schedule[t] = sigma1 + schedule[t - 7] + sigma0 + schedule[t - 16];
                }

                ulong a = state[0], b = state[1], c = state[2], d = state[3];
                ulong e = state[4], f = state[5], g = state[6], h = state[7];

                // §6.4.2 step 3, with Ch, Maj, Σ0 and Σ1 from §4.1.3.
                for (int t = 0; t < 80; t++)
                {
                    ulong bigSigma1 = BitOperations.RotateRight(e, 14) ^ BitOperations.RotateRight(e, 18) ^ BitOperations.RotateRight(e, 41);
                    ulong choose = (e & f) ^ (~e & g);
                    ulong t1 = h + bigSigma1 + choose + roundConstants[t] + schedule[t];
                    ulong bigSigma0 = BitOperations.RotateRight(a, 28) ^ BitOperations.RotateRight(a, 34) ^ BitOperations.RotateRight(a, 39);
                    ulong majority = (a & b) ^ (a & c) ^ (b & c);
                    ulong t2 = bigSigma0 + majority;
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

        // SHA-384 (§6.5) keeps the leftmost 384 bits: six of the eight words.
        private protected override void WriteDigest(Span<byte> digest)
        {
            for (int i = 0; i < DigestSize / 8; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(digest[(i * 8)..], _state[i]);
            }
        }
    }
}
