using System;
using System.Security.Cryptography;
using System.Text;
using Cosmos.System.Cryptography;
using Xunit;

namespace Cosmos.System.Tests.Cryptography
{
    /// <summary>MD5, SHA-1, SHA-256, SHA-384 and SHA-512 against the host's implementations and the published examples.</summary>
    public class DigestTests
    {
        public static readonly TheoryData<DigestAlgorithm> Algorithms = new()
        {
            DigestAlgorithm.Md5, DigestAlgorithm.Sha1, DigestAlgorithm.Sha256, DigestAlgorithm.Sha384, DigestAlgorithm.Sha512,
        };

        internal static byte[] HostHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> data) => algorithm switch
        {
            DigestAlgorithm.Md5 => MD5.HashData(data),
            DigestAlgorithm.Sha1 => SHA1.HashData(data),
            DigestAlgorithm.Sha256 => SHA256.HashData(data),
            DigestAlgorithm.Sha384 => SHA384.HashData(data),
            DigestAlgorithm.Sha512 => SHA512.HashData(data),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };

        internal static byte[] Pattern(int length, int seed = 1)
        {
            var data = new byte[length];
            uint x = (uint)seed * 2654435761U;
            for (int i = 0; i < length; i++)
            {
                x = x * 1103515245U + 12345U;
                data[i] = (byte)(x >> 16);
            }

            return data;
        }

        private static byte[] OurHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> data)
        {
            var digest = new byte[MessageDigest.SizeOf(algorithm)];
            Assert.Equal(digest.Length, MessageDigest.HashData(algorithm, data, digest));
            return digest;
        }

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void EveryLengthUpTo300MatchesTheHost(DigestAlgorithm algorithm)
        {
            byte[] data = Pattern(300);
            for (int length = 0; length <= 300; length++)
            {
                Assert.True(HostHash(algorithm, data.AsSpan(0, length)).AsSpan().SequenceEqual(OurHash(algorithm, data.AsSpan(0, length))),
                    $"{algorithm} of {length} bytes differs from the host's");
            }
        }

        // Around where the padding fits in the last block or spills into another: 55/56 and 119/120
        // for 64-byte blocks (8-byte length), 111/112 and 239/240 for 128-byte blocks (16-byte length).
        [Theory]
        [MemberData(nameof(Algorithms))]
        public void PaddingBoundariesMatchTheHost(DigestAlgorithm algorithm)
        {
            int[] lengths = [55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129, 239, 240, 255, 256, 257, 1023, 1024, 1025];
            foreach (int length in lengths)
            {
                byte[] data = Pattern(length, seed: length);
                Assert.Equal(Hex(HostHash(algorithm, data)), Hex(OurHash(algorithm, data)));
            }
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void OneMebibyteMatchesTheHost(DigestAlgorithm algorithm)
        {
            byte[] data = Pattern(1 << 20, seed: 7);
            Assert.Equal(Hex(HostHash(algorithm, data)), Hex(OurHash(algorithm, data)));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void OddChunksGiveTheSameDigestAsOneAppend(DigestAlgorithm algorithm)
        {
            byte[] data = Pattern(5000, seed: 3);
            string expected = Hex(HostHash(algorithm, data));
            int[][] chunkings = [[1], [3], [7, 13], [61, 64, 3], [127, 1, 129], [500], [0, 5, 0, 200]];
            MessageDigest digest = MessageDigest.Create(algorithm);
            foreach (int[] chunks in chunkings)
            {
                int offset = 0;
                for (int i = 0; offset < data.Length; i++)
                {
                    int length = Math.Min(chunks[i % chunks.Length], data.Length - offset);
                    digest.Append(data.AsSpan(offset, length));
                    offset += length;
                }

                var result = new byte[digest.DigestSize];
                digest.Finish(result);
                Assert.Equal(expected, Hex(result));
            }
        }

        [Theory]
        [InlineData(DigestAlgorithm.Md5, "", "d41d8cd98f00b204e9800998ecf8427e")]
        [InlineData(DigestAlgorithm.Md5, "a", "0cc175b9c0f1b6a831c399e269772661")]
        [InlineData(DigestAlgorithm.Md5, "abc", "900150983cd24fb0d6963f7d28e17f72")]
        [InlineData(DigestAlgorithm.Md5, "message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
        [InlineData(DigestAlgorithm.Md5, "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
        [InlineData(DigestAlgorithm.Md5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f")]
        [InlineData(DigestAlgorithm.Md5, "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
        [InlineData(DigestAlgorithm.Sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d")]
        [InlineData(DigestAlgorithm.Sha1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1")]
        [InlineData(DigestAlgorithm.Sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
        [InlineData(DigestAlgorithm.Sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
        [InlineData(DigestAlgorithm.Sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
        [InlineData(DigestAlgorithm.Sha384, "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")]
        [InlineData(DigestAlgorithm.Sha384, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039")]
        [InlineData(DigestAlgorithm.Sha512, "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
        [InlineData(DigestAlgorithm.Sha512, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")]
        public void PublishedExamples(DigestAlgorithm algorithm, string message, string expectedHex)
        {
            Assert.Equal(expectedHex, Hex(OurHash(algorithm, Encoding.ASCII.GetBytes(message))));
        }

        // RFC 1321 A.5 / FIPS 180-2 appendix examples: one million repetitions of 'a'.
        [Theory]
        [InlineData(DigestAlgorithm.Md5, "7707d6ae4e027c70eea2a935c2296f21")]
        [InlineData(DigestAlgorithm.Sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f")]
        [InlineData(DigestAlgorithm.Sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")]
        [InlineData(DigestAlgorithm.Sha384, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985")]
        [InlineData(DigestAlgorithm.Sha512, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")]
        public void OneMillionAs(DigestAlgorithm algorithm, string expectedHex)
        {
            MessageDigest digest = MessageDigest.Create(algorithm);
            byte[] thousand = new byte[1000];
            thousand.AsSpan().Fill((byte)'a');
            for (int i = 0; i < 1000; i++)
            {
                digest.Append(thousand);
            }

            var result = new byte[digest.DigestSize];
            digest.Finish(result);
            Assert.Equal(expectedHex, Hex(result));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void FinishResetsForTheNextMessage(DigestAlgorithm algorithm)
        {
            MessageDigest digest = MessageDigest.Create(algorithm);
            var first = new byte[digest.DigestSize];
            var second = new byte[digest.DigestSize];
            digest.Append(Pattern(77));
            digest.Finish(first);
            digest.Append(Encoding.ASCII.GetBytes("abc"));
            digest.Finish(second);
            Assert.Equal(Hex(HostHash(algorithm, Pattern(77))), Hex(first));
            Assert.Equal(Hex(HostHash(algorithm, Encoding.ASCII.GetBytes("abc"))), Hex(second));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void ResetForgetsWhatWasAppended(DigestAlgorithm algorithm)
        {
            MessageDigest digest = MessageDigest.Create(algorithm);
            digest.Append(Pattern(200));
            digest.Reset();
            digest.Append(Pattern(30));
            var result = new byte[digest.DigestSize];
            digest.Finish(result);
            Assert.Equal(Hex(HostHash(algorithm, Pattern(30))), Hex(result));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void CloneContinuesIndependently(DigestAlgorithm algorithm)
        {
            byte[] data = Pattern(400, seed: 11);
            MessageDigest original = MessageDigest.Create(algorithm);
            original.Append(data.AsSpan(0, 150));
            MessageDigest copy = original.Clone();
            Assert.Equal(algorithm, copy.Algorithm);

            original.Append(data.AsSpan(150));
            copy.Append(data.AsSpan(150, 50));

            var originalResult = new byte[original.DigestSize];
            var copyResult = new byte[copy.DigestSize];
            original.Finish(originalResult);
            copy.Finish(copyResult);
            Assert.Equal(Hex(HostHash(algorithm, data)), Hex(originalResult));
            Assert.Equal(Hex(HostHash(algorithm, data.AsSpan(0, 200))), Hex(copyResult));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void SizesMatchTheAlgorithm(DigestAlgorithm algorithm)
        {
            MessageDigest digest = MessageDigest.Create(algorithm);
            Assert.Equal(HostHash(algorithm, []).Length, digest.DigestSize);
            Assert.Equal(MessageDigest.SizeOf(algorithm), digest.DigestSize);
            Assert.Equal(algorithm is DigestAlgorithm.Sha384 or DigestAlgorithm.Sha512 ? 128 : 64, digest.BlockSize);
            Assert.True(digest.DigestSize <= MessageDigest.MaxDigestSize);
            Assert.True(digest.BlockSize <= MessageDigest.MaxBlockSize);
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void TooShortADestinationThrowsAndALongerOneKeepsItsTail(DigestAlgorithm algorithm)
        {
            MessageDigest digest = MessageDigest.Create(algorithm);
            Assert.Throws<ArgumentException>(() => digest.Finish(new byte[digest.DigestSize - 1]));

            var longer = new byte[digest.DigestSize + 8];
            longer.AsSpan().Fill(0xEE);
            digest.Append(Encoding.ASCII.GetBytes("abc"));
            digest.Finish(longer);
            Assert.Equal(Hex(HostHash(algorithm, Encoding.ASCII.GetBytes("abc"))), Hex(longer[..digest.DigestSize]));
            Assert.All(longer[digest.DigestSize..], b => Assert.Equal(0xEE, b));
        }

        [Fact]
        public void AnUnknownAlgorithmIsRejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => MessageDigest.Create((DigestAlgorithm)99));
            Assert.Throws<ArgumentOutOfRangeException>(() => MessageDigest.SizeOf((DigestAlgorithm)99));
        }
    }
}
