using System;
using System.Security.Cryptography;
using System.Text;
using Cosmos.System.Cryptography;
using Xunit;

namespace Cosmos.System.Tests.Cryptography
{
    /// <summary>HMAC (RFC 2104) over every digest, against the host and the RFC 2202 / RFC 4231 test cases.</summary>
    public class HmacTests
    {
        public static readonly TheoryData<DigestAlgorithm> Algorithms = DigestTests.Algorithms;

        private static byte[] HostMac(DigestAlgorithm algorithm, byte[] key, byte[] data) => algorithm switch
        {
            DigestAlgorithm.Md5 => HMACMD5.HashData(key, data),
            DigestAlgorithm.Sha1 => HMACSHA1.HashData(key, data),
            DigestAlgorithm.Sha256 => HMACSHA256.HashData(key, data),
            DigestAlgorithm.Sha384 => HMACSHA384.HashData(key, data),
            DigestAlgorithm.Sha512 => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };

        private static byte[] OurMac(DigestAlgorithm algorithm, byte[] key, byte[] data)
        {
            var mac = new byte[MessageDigest.SizeOf(algorithm)];
            Assert.Equal(mac.Length, Hmac.Compute(algorithm, key, data, mac));
            return mac;
        }

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

        private static byte[] Repeat(byte value, int count)
        {
            var bytes = new byte[count];
            bytes.AsSpan().Fill(value);
            return bytes;
        }

        // Keys shorter than, equal to and longer than both block sizes (64 and 128 bytes).
        [Theory]
        [MemberData(nameof(Algorithms))]
        public void KeysOfEveryInterestingLengthMatchTheHost(DigestAlgorithm algorithm)
        {
            int[] keyLengths = [0, 1, 16, 20, 32, 63, 64, 65, 100, 127, 128, 129, 200, 1000];
            int[] dataLengths = [0, 1, 55, 64, 111, 128, 300];
            foreach (int keyLength in keyLengths)
            {
                byte[] key = DigestTests.Pattern(keyLength, seed: keyLength + 100);
                foreach (int dataLength in dataLengths)
                {
                    byte[] data = DigestTests.Pattern(dataLength, seed: dataLength);
                    Assert.True(HostMac(algorithm, key, data).AsSpan().SequenceEqual(OurMac(algorithm, key, data)),
                        $"HMAC-{algorithm} with a {keyLength}-byte key over {dataLength} bytes differs from the host's");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void IncrementalResetAndCloneMatchTheHost(DigestAlgorithm algorithm)
        {
            byte[] key = DigestTests.Pattern(70, seed: 5);
            byte[] data = DigestTests.Pattern(3000, seed: 6);
            var hmac = new Hmac(algorithm, key);
            Assert.Equal(algorithm, hmac.Algorithm);

            hmac.Append(DigestTests.Pattern(99));
            hmac.Reset();
            int offset = 0;
            for (int chunk = 1; offset < data.Length; chunk = chunk * 3 % 257 + 1)
            {
                int length = Math.Min(chunk, data.Length - offset);
                hmac.Append(data.AsSpan(offset, length));
                offset += length;
                if (offset == 1000)
                {
                    break;
                }
            }

            Hmac copy = hmac.Clone();
            hmac.Append(data.AsSpan(offset));
            var whole = new byte[hmac.MacSize];
            var prefix = new byte[copy.MacSize];
            hmac.Finish(whole);
            copy.Finish(prefix);
            Assert.Equal(Hex(HostMac(algorithm, key, data)), Hex(whole));
            Assert.Equal(Hex(HostMac(algorithm, key, data[..offset])), Hex(prefix));

            // Finish starts a new message under the same key.
            hmac.Append(data.AsSpan(0, 10));
            hmac.Finish(whole);
            Assert.Equal(Hex(HostMac(algorithm, key, data[..10])), Hex(whole));
        }

        [Theory]
        [MemberData(nameof(Algorithms))]
        public void TooShortADestinationThrows(DigestAlgorithm algorithm)
        {
            var hmac = new Hmac(algorithm, [1, 2, 3]);
            Assert.Throws<ArgumentException>(() => hmac.Finish(new byte[hmac.MacSize - 1]));
        }

        // RFC 2202 §2 and §3, test cases 1, 2 and 6 (key longer than the block).
        [Theory]
        [InlineData(DigestAlgorithm.Md5, 1, "9294727a3638bb1c13f48ef8158bfc9d")]
        [InlineData(DigestAlgorithm.Md5, 2, "750c783e6ab0b503eaa86e310a5db738")]
        [InlineData(DigestAlgorithm.Md5, 6, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd")]
        [InlineData(DigestAlgorithm.Sha1, 1, "b617318655057264e28bc0b6fb378c8ef146be00")]
        [InlineData(DigestAlgorithm.Sha1, 2, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
        [InlineData(DigestAlgorithm.Sha1, 6, "aa4ae5e15272d00e95705637ce8a3b55ed402112")]
        public void Rfc2202(DigestAlgorithm algorithm, int testCase, string expectedHex)
        {
            (byte[] key, byte[] data) = testCase switch
            {
                1 => (Repeat(0x0B, algorithm == DigestAlgorithm.Md5 ? 16 : 20), Encoding.ASCII.GetBytes("Hi There")),
                2 => (Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?")),
                _ => (Repeat(0xAA, 80), Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First")),
            };
            Assert.Equal(expectedHex, Hex(OurMac(algorithm, key, data)));
        }

        // RFC 4231 §4.2, §4.3 and §4.7 (a 131-byte key, longer than either block).
        [Theory]
        [InlineData(DigestAlgorithm.Sha256, 1, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
        [InlineData(DigestAlgorithm.Sha384, 1, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6")]
        [InlineData(DigestAlgorithm.Sha512, 1, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")]
        [InlineData(DigestAlgorithm.Sha256, 2, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
        [InlineData(DigestAlgorithm.Sha256, 6, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")]
        public void Rfc4231(DigestAlgorithm algorithm, int testCase, string expectedHex)
        {
            (byte[] key, byte[] data) = testCase switch
            {
                1 => (Repeat(0x0B, 20), Encoding.ASCII.GetBytes("Hi There")),
                2 => (Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?")),
                _ => (Repeat(0xAA, 131), Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First")),
            };
            Assert.Equal(expectedHex, Hex(OurMac(algorithm, key, data)));
        }
    }
}
