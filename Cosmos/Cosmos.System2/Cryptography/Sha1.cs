using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cosmos.System.Cryptography
{
    /// <summary>SHA-1, FIPS 180-4 §6.1.</summary>
    internal sealed class Sha1 : MerkleDamgardDigest
    {
        private const int BlockBytes = 64;

        private readonly uint[] _state = new uint[5];

        public Sha1()
            : base(BlockBytes, lengthFieldSize: 8, lengthIsLittleEndian: false)
        {
            ResetState();
        }

        private Sha1(Sha1 source)
            : base(source)
        {
            source._state.AsSpan().CopyTo(_state);
        }

        public override DigestAlgorithm Algorithm => DigestAlgorithm.Sha1;

        public override int DigestSize => 20;

        public override MessageDigest Clone() => new Sha1(this);

        // FIPS 180-4 §5.3.1.
        private protected override void ResetState()
        {
            _state[0] = 0x67452301;
            _state[1] = 0xEFCDAB89;
            _state[2] = 0x98BADCFE;
            _state[3] = 0x10325476;
            _state[4] = 0xC3D2E1F0;
        }

        [SkipLocalsInit]
        private protected override void CompressBlocks(ReadOnlySpan<byte> blocks)
        {
            Span<uint> schedule = stackalloc uint[80];
            uint[] state = _state;
            for (; !blocks.IsEmpty; blocks = blocks[BlockBytes..])
            {
                // FIPS 180-4 §6.1.2 step 1: the message schedule.
                for (int t = 0; t < 16; t++)
                {
                    schedule[t] = BinaryPrimitives.ReadUInt32BigEndian(blocks[(t * 4)..]);
                }

                for (int t = 16; t < 80; t++)
                {
                    schedule[t] = BitOperations.RotateLeft(schedule[t - 3] ^ schedule[t - 8] ^ schedule[t - 14] ^ schedule[t - 16], 1);
                }

                uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];

                // §6.1.2 step 3, with f_t and K_t from §4.1.1 and §4.2.1: Ch, Parity, Maj, Parity.
                for (int t = 0; t < 80; t++)
                {
                    uint f;
                    uint k;
                    if (t < 20)
                    {
                        f = (b & c) ^ (~b & d);
                        k = 0x5A827999;
                    }
                    else if (t < 40)
                    {
                        f = b ^ c ^ d;
                        k = 0x6ED9EBA1;
                    }
                    else if (t < 60)
                    {
                        f = (b & c) ^ (b & d) ^ (c & d);
                        k = 0x8F1BBCDC;
                    }
                    else
                    {
                        f = b ^ c ^ d;
                        k = 0xCA62C1D6;
                    }

                    uint temp = BitOperations.RotateLeft(a, 5) + f + e + k + schedule[t];
                    e = d;
                    d = c;
                    c = BitOperations.RotateLeft(b, 30);
                    b = a;
                    a = temp;
                }

                state[0] += a;
                state[1] += b;
                state[2] += c;
                state[3] += d;
                state[4] += e;
            }
        }

        private protected override void WriteDigest(Span<byte> digest)
        {
            for (int i = 0; i < 5; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], _state[i]);
            }
        }
    }
}
