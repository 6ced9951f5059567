using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>
    /// System.Security.Cryptography's digests and HMACs, whose native seam (libSystem.Security.Cryptography.Native.OpenSsl)
    /// the kernel implements in Plugs/Crypto: one-shot, stream, HashAlgorithm, IncrementalHash (with Clone and
    /// GetCurrentHash) and HMAC, against the examples of FIPS 180-4, RFC 1321 and RFC 4231.
    /// </summary>
    internal static class CryptographyChecks
    {
        // FIPS 180-4 examples (csrc.nist.gov SHA256.pdf, SHA1.pdf, SHA384.pdf, SHA512.pdf).
        private const string Sha256OfAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        private const string TwoBlockMessage = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        private const string Sha256OfTwoBlockMessage = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

        public static void Register(TestRunner tests)
        {
            tests.Add("crypto.sha256-hashdata-abc", Sha256HashDataAbc);
            tests.Add("crypto.sha256-one-mebibyte-span", Sha256OneMebibyteSpan);
            tests.Add("crypto.sha256-stream-and-compute-hash", Sha256StreamAndComputeHash);
            tests.Add("crypto.incremental-hash-sha256-chunks", IncrementalHashSha256Chunks);
            tests.Add("crypto.sha1-sha384-sha512-md5-examples", OtherDigestExamples);
            tests.Add("crypto.hmac-sha256-rfc4231", HmacSha256Rfc4231);
            tests.Add("crypto.incremental-hmac-sha256", IncrementalHmacSha256);
        }

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

        private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(Opaque.Value(text));

        private static byte[] Repeat(byte value, int count)
        {
            var bytes = new byte[count];
            bytes.AsSpan().Fill(value);
            return bytes;
        }

        private static void Sha256HashDataAbc()
        {
            Assert.Equal(Sha256OfAbc, Hex(SHA256.HashData(Ascii("abc"))), "SHA256.HashData(\"abc\")");
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex(SHA256.HashData(Array.Empty<byte>())), "SHA256 of nothing");
            Span<byte> destination = stackalloc byte[40];
            Assert.Equal(32, SHA256.HashData(Ascii(TwoBlockMessage), destination), "bytes written by SHA256.HashData(span, span)");
            Assert.Equal(Sha256OfTwoBlockMessage, Convert.ToHexStringLower(destination[..32]), "SHA256 of the two-block example");
        }

        private static void Sha256OneMebibyteSpan()
        {
            // FIPS 180-4's long example: one million 'a's.
            Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                Hex(SHA256.HashData(Repeat((byte)'a', Opaque.Value(1_000_000)))), "SHA256 of a million 'a's");

            // Exactly 1 MiB of i mod 251; the expected value is what OpenSSL and Python's hashlib give.
            var data = new byte[Opaque.Value(1 << 20)];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i % 251);
            }

            Assert.Equal("631b84027d6b9e52b539c4e8373622d23032dfadc64d60af87339c9037e4f769", Hex(SHA256.HashData(data.AsSpan())), "SHA256 of 1 MiB of i mod 251");
        }

        private static void Sha256StreamAndComputeHash()
        {
            using (var stream = new MemoryStream(Ascii(TwoBlockMessage)))
            {
                Assert.Equal(Sha256OfTwoBlockMessage, Hex(SHA256.HashData(stream)), "SHA256.HashData(Stream)");
            }

            using SHA256 sha = SHA256.Create();
            Assert.Equal(Sha256OfAbc, Hex(sha.ComputeHash(Ascii("abc"))), "SHA256.Create().ComputeHash");
            Assert.Equal(Sha256OfTwoBlockMessage, Hex(sha.ComputeHash(Ascii(TwoBlockMessage))), "the same instance, a second message");
            Assert.Equal(256, sha.HashSize, "HashSize");
        }

        private static void IncrementalHashSha256Chunks()
        {
            byte[] message = Ascii(TwoBlockMessage);
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int[] chunks = [1, 2, 5, 13, 21];
            int offset = 0;
            for (int i = 0; offset < message.Length; i++)
            {
                int length = Math.Min(chunks[i % chunks.Length], message.Length - offset);
                hash.AppendData(message, offset, length);
                offset += length;
                if (offset == 3)
                {
                    Assert.Equal(Sha256OfAbc, Hex(hash.GetCurrentHash()), "GetCurrentHash after \"abc\"");
                }
            }

            using IncrementalHash copy = hash.Clone();
            Assert.Equal(Sha256OfTwoBlockMessage, Hex(hash.GetHashAndReset()), "IncrementalHash in chunks of 1, 2, 5, 13, 21");
            Assert.Equal(Sha256OfTwoBlockMessage, Hex(copy.GetHashAndReset()), "a Clone taken before the end");
            hash.AppendData(Ascii("abc"));
            Assert.Equal(Sha256OfAbc, Hex(hash.GetHashAndReset()), "after GetHashAndReset, a new message");
        }

        private static void OtherDigestExamples()
        {
            Assert.Equal("a9993e364706816aba3e25717850c26c9cd0d89d", Hex(SHA1.HashData(Ascii("abc"))), "SHA-1(\"abc\"), FIPS 180-4");
            Assert.Equal("84983e441c3bd26ebaae4aa1f95129e5e54670f1", Hex(SHA1.HashData(Ascii(TwoBlockMessage))), "SHA-1 of the two-block example");
            Assert.Equal("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
                Hex(SHA384.HashData(Ascii("abc"))), "SHA-384(\"abc\"), FIPS 180-4");
            Assert.Equal("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                Hex(SHA512.HashData(Ascii("abc"))), "SHA-512(\"abc\"), FIPS 180-4");
            Assert.Equal("f96b697d7cb7938d525a2f31aaf161d0", Hex(MD5.HashData(Ascii("message digest"))), "MD5(\"message digest\"), RFC 1321 A.5");
            Assert.Equal("57edf4a22be3c955ac49da2e2107b67a",
                Hex(MD5.HashData(Ascii("12345678901234567890123456789012345678901234567890123456789012345678901234567890"))), "MD5 of 80 digits, RFC 1321 A.5");
        }

        private static void HmacSha256Rfc4231()
        {
            // RFC 4231 §4.2 (test case 1): a 20-byte key.
            byte[] key = Repeat(0x0B, 20);
            const string HiThere = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
            Assert.Equal(HiThere, Hex(HMACSHA256.HashData(key, Ascii("Hi There"))), "HMACSHA256.HashData, RFC 4231 case 1");
            using (var hmac = new HMACSHA256(key))
            {
                Assert.Equal(HiThere, Hex(hmac.ComputeHash(Ascii("Hi There"))), "new HMACSHA256(key).ComputeHash, RFC 4231 case 1");
                Assert.Equal(HiThere, Hex(hmac.ComputeHash(Ascii("Hi There"))), "the same instance again");
            }

            // RFC 4231 §4.7 (test case 6): a 131-byte key, longer than the block, is hashed first.
            byte[] longKey = Repeat(0xAA, 131);
            using (var hmac = new HMACSHA256(longKey))
            {
                Assert.Equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                    Hex(hmac.ComputeHash(Ascii("Test Using Larger Than Block-Size Key - Hash Key First"))), "RFC 4231 case 6");
            }

            // RFC 4231 §4.3 (test case 2), HMAC-SHA-512.
            Assert.Equal("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
                Hex(HMACSHA512.HashData(Ascii("Jefe"), Ascii("what do ya want for nothing?"))), "HMAC-SHA-512, RFC 4231 case 2");
        }

        private static void IncrementalHmacSha256()
        {
            // RFC 4231 §4.3 (test case 2) fed in pieces.
            using IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Ascii("Jefe"));
            const string Expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
            hmac.AppendData(Ascii("what do ya "));
            using IncrementalHash copy = hmac.Clone();
            hmac.AppendData(Ascii("want for "));
            hmac.AppendData(Ascii("nothing?"));
            Assert.Equal(Expected, Hex(hmac.GetCurrentHash()), "GetCurrentHash");
            Assert.Equal(Expected, Hex(hmac.GetHashAndReset()), "GetHashAndReset");
            hmac.AppendData(Ascii("what do ya want for nothing?"));
            Assert.Equal(Expected, Hex(hmac.GetHashAndReset()), "after a reset, the same key");
            copy.AppendData(Ascii("want for nothing?"));
            Assert.Equal(Expected, Hex(copy.GetHashAndReset()), "a Clone taken halfway");
        }
    }
}
