using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cosmos.System.Cryptography
{
    /// <summary>MD5, RFC 1321.</summary>
    internal sealed class Md5 : MerkleDamgardDigest
    {
        private const int BlockBytes = 64;

        // RFC 1321 §3.4: T[i] is the integer part of 2^32 × |sin(i)|, i = 1..64 (radians).
        private static readonly uint[] SineTable =
        [
            0xD76AA478U, 0xE8C7B756U, 0x242070DBU, 0xC1BDCEEEU, 0xF57C0FAFU, 0x4787C62AU, 0xA8304613U, 0xFD469501U,
            0x698098D8U, 0x8B44F7AFU, 0xFFFF5BB1U, 0x895CD7BEU, 0x6B901122U, 0xFD987193U, 0xA679438EU, 0x49B40821U,
            0xF61E2562U, 0xC040B340U, 0x265E5A51U, 0xE9B6C7AAU, 0xD62F105DU, 0x02441453U, 0xD8A1E681U, 0xE7D3FBC8U,
            0x21E1CDE6U, 0xC33707D6U, 0xF4D50D87U, 0x455A14EDU, 0xA9E3E905U, 0xFCEFA3F8U, 0x676F02D9U, 0x8D2A4C8AU,
            0xFFFA3942U, 0x8771F681U, 0x6D9D6122U, 0xFDE5380CU, 0xA4BEEA44U, 0x4BDECFA9U, 0xF6BB4B60U, 0xBEBFBC70U,
            0x289B7EC6U, 0xEAA127FAU, 0xD4EF3085U, 0x04881D05U, 0xD9D4D039U, 0xE6DB99E5U, 0x1FA27CF8U, 0xC4AC5665U,
            0xF4292244U, 0x432AFF97U, 0xAB9423A7U, 0xFC93A039U, 0x655B59C3U, 0x8F0CCC92U, 0xFFEFF47DU, 0x85845DD1U,
            0x6FA87E4FU, 0xFE2CE6E0U, 0xA3014314U, 0x4E0811A1U, 0xF7537E82U, 0xBD3AF235U, 0x2AD7D2BBU, 0xEB86D391U,
        ];

        // RFC 1321 §3.4: the left-rotation amounts, four per round, repeating within the round.
        private static readonly int[] RotationAmounts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

        private readonly uint[] _state = new uint[4];

        public Md5()
            : base(BlockBytes, lengthFieldSize: 8, lengthIsLittleEndian: true)
        {
            ResetState();
        }

        private Md5(Md5 source)
            : base(source)
        {
            source._state.AsSpan().CopyTo(_state);
        }

        public override DigestAlgorithm Algorithm => DigestAlgorithm.Md5;

        public override int DigestSize => 16;

        public override MessageDigest Clone() => new Md5(this);

        // RFC 1321 §3.3: the initial buffer A, B, C, D.
        private protected override void ResetState()
        {
            _state[0] = 0x67452301;
            _state[1] = 0xEFCDAB89;
            _state[2] = 0x98BADCFE;
            _state[3] = 0x10325476;
        }

        [SkipLocalsInit]
        private protected override void CompressBlocks(ReadOnlySpan<byte> blocks)
        {
            Span<uint> words = stackalloc uint[16];
            uint[] state = _state;
            for (; !blocks.IsEmpty; blocks = blocks[BlockBytes..])
            {
                for (int i = 0; i < 16; i++)
                {
                    words[i] = BinaryPrimitives.ReadUInt32LittleEndian(blocks[(i * 4)..]);
                }

                uint a = state[0], b = state[1], c = state[2], d = state[3];

                // RFC 1321 §3.4: four rounds of sixteen steps; each round has its own auxiliary
                // function (F, G, H, I) and its own order of the block's words.
                for (int step = 0; step < 64; step++)
                {
                    int round = step >> 4;
                    uint mixed;
                    int wordIndex;
                    switch (round)
                    {
                        case 0:
                            mixed = (b & c) | (~b & d);
                            wordIndex = step;
                            break;
                        case 1:
                            mixed = (b & d) | (c & ~d);
                            wordIndex = (5 * step + 1) & 15;
                            break;
                        case 2:
                            mixed = b ^ c ^ d;
                            wordIndex = (3 * step + 5) & 15;
                            break;
                        default:
                            mixed = c ^ (b | ~d);
                            wordIndex = (7 * step) & 15;
                            break;
                    }

                    uint sum = a + mixed + SineTable[step] + words[wordIndex];
                    a = d;
                    d = c;
                    c = b;
                    b += BitOperations.RotateLeft(sum, RotationAmounts[(round << 2) | (step & 3)]);
                }

                state[0] += a;
                state[1] += b;
                state[2] += c;
                state[3] += d;
            }
        }

        // RFC 1321 §3.5: A, B, C, D, each low-order byte first.
        private protected override void WriteDigest(Span<byte> digest)
        {
            for (int i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(digest[(i * 4)..], _state[i]);
            }
        }
    }
}
