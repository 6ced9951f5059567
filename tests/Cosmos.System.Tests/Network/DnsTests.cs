using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>The name parser against hostile encodings, and the resolver against a simulated server.</summary>
    public class DnsTests
    {
        private static readonly Ipv4Address ServerA = new Ipv4Address(10, 0, 0, 53);
        private static readonly Ipv4Address ServerB = new Ipv4Address(10, 0, 0, 54);
        private static readonly MacAddress ServerMac = new MacAddress(0x0200000000DD);

        /// <summary>Answers queries from a table: name -> (CNAME target or null, addresses, TTL); names missing get NXDOMAIN.</summary>
        private sealed class DnsServer
        {
            private readonly SingleHost _host;

            public DnsServer(SingleHost host)
            {
                _host = host;
            }

            public Dictionary<string, (string? Alias, Ipv4Address[] Addresses, uint Ttl)> Zone { get; } = new();

            /// <summary>Follow aliases inside one answer (as a recursive server does) or stop at the first.</summary>
            public bool ChainInOneAnswer { get; set; } = true;

            public bool Silent { get; set; }

            /// <summary>Replaces the answer to the next query.</summary>
            public Func<byte[], byte[]>? Tamper { get; set; }

            public List<(Ipv4Address Server, string Name)> Queries { get; } = new();

            public void Serve()
            {
                while (_host.Device.Sent.Count > 0)
                {
                    byte[] frame = _host.Device.Sent.Dequeue();
                    Assert.True(Ipv4Header.TryRead(frame.AsSpan(14), out Ipv4Header ip, out _));
                    Assert.True(UdpHeader.TryRead(frame.AsSpan(34, ip.PayloadLength), ip.Source, ip.Destination, out UdpHeader udp, out _));
                    Assert.Equal(DnsMessage.Port, udp.DestinationPort);
                    byte[] query = frame.AsSpan(42, udp.TotalLength - 8).ToArray();
                    Assert.True(DnsMessage.TryParse(query, out DnsMessage? parsed, out _));
                    Queries.Add((ip.Destination, parsed!.QuestionName));
                    if (Silent)
                    {
                        continue;
                    }

                    byte[] answer = Answer(query, parsed.QuestionName);
                    if (Tamper != null)
                    {
                        answer = Tamper(answer);
                        Tamper = null;
                    }

                    _host.Device.Inject(TcpFrames.Udp(ServerMac, _host.Device.Mac, ip.Destination, ip.Source, 53, udp.SourcePort, answer));
                }
            }

            private byte[] Answer(byte[] query, string name)
            {
                int questionEnd = DnsMessage.HeaderLength;
                DnsName.TryRead(query, ref questionEnd, out _);
                questionEnd += 4;
                var answer = new List<byte>(query.AsSpan(0, questionEnd).ToArray());
                answer[2] = 0x81;
                answer[3] = 0x80;
                int count = 0;
                string current = name;
                while (Zone.TryGetValue(current, out var entry))
                {
                    if (entry.Alias != null)
                    {
                        AddRecord(answer, current, DnsRecord.TypeCname, entry.Ttl, NameBytes(entry.Alias));
                        count++;
                        current = entry.Alias;
                        if (!ChainInOneAnswer)
                        {
                            break;
                        }

                        continue;
                    }

                    foreach (Ipv4Address address in entry.Addresses)
                    {
                        var data = new byte[4];
                        address.Write(data);
                        AddRecord(answer, current, DnsRecord.TypeA, entry.Ttl, data);
                        count++;
                    }

                    break;
                }

                if (count == 0 && !Zone.ContainsKey(name))
                {
                    answer[3] = 0x83;   // NXDOMAIN
                }

                byte[] bytes = answer.ToArray();
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)count);
                return bytes;
            }

            private static byte[] NameBytes(string name)
            {
                var bytes = new byte[name.Length + 2];
                return bytes.AsSpan(0, DnsName.Write(bytes, name)).ToArray();
            }

            private static void AddRecord(List<byte> message, string name, ushort type, uint ttl, byte[] data)
            {
                message.AddRange(NameBytes(name));
                var fixedPart = new byte[10];
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), DnsRecord.ClassInternet);
                BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), ttl);
                BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)data.Length);
                message.AddRange(fixedPart);
                message.AddRange(data);
            }
        }

        private static (SingleHost Host, DnsServer Server) Setup()
        {
            var host = new SingleHost();
            host.Interface.Arp.Add(ServerA, ServerMac);
            host.Interface.Arp.Add(ServerB, ServerMac);
            host.Interface.Arp.EntryLifetime = long.MaxValue / 4;
            host.Interface.Arp.Add(ServerA, ServerMac);
            host.Interface.Arp.Add(ServerB, ServerMac);
            host.Stack.Dns.Servers.Add(ServerA);
            return (host, new DnsServer(host));
        }

        private static void RunUntilComplete(SingleHost host, DnsServer server, DnsLookup lookup, long limit = 120_000)
        {
            long end = host.Clock.Milliseconds + limit;
            while (!lookup.IsComplete && host.Clock.Milliseconds < end)
            {
                server.Serve();
                host.Stack.Poll();
                if (host.Device.Sent.Count == 0 && !lookup.IsComplete)
                {
                    host.Clock.Milliseconds = Math.Min(end, Math.Max(host.Clock.Milliseconds + 1, host.Stack.NextDeadline));
                    host.Stack.Poll();
                }
            }
        }

        [Fact]
        public void CnameChainInOneAnswerResolves()
        {
            (SingleHost host, DnsServer server) = Setup();
            server.Zone["www.example.com"] = ("web.example.com", Array.Empty<Ipv4Address>(), 600);
            server.Zone["web.example.com"] = ("edge.example.net", Array.Empty<Ipv4Address>(), 600);
            server.Zone["edge.example.net"] = (null, new[] { new Ipv4Address(1, 2, 3, 4), new Ipv4Address(1, 2, 3, 5) }, 300);
            DnsLookup lookup = host.Stack.Dns.Resolve("WWW.Example.COM");
            RunUntilComplete(host, server, lookup);
            Assert.Equal(DnsLookupStatus.Succeeded, lookup.Status);
            Assert.Equal("edge.example.net", lookup.CanonicalName);
            Assert.Equal(new[] { new Ipv4Address(1, 2, 3, 4), new Ipv4Address(1, 2, 3, 5) }, lookup.Addresses);
            Assert.Single(server.Queries);
            Assert.False(lookup.FromCache);
        }

        [Fact]
        public void AliasWithoutItsAddressIsFollowedByAnotherQuery()
        {
            (SingleHost host, DnsServer server) = Setup();
            server.ChainInOneAnswer = false;
            server.Zone["a.test"] = ("b.test", Array.Empty<Ipv4Address>(), 600);
            server.Zone["b.test"] = ("c.test", Array.Empty<Ipv4Address>(), 600);
            server.Zone["c.test"] = (null, new[] { new Ipv4Address(5, 6, 7, 8) }, 600);
            DnsLookup lookup = host.Stack.Dns.Resolve("a.test");
            RunUntilComplete(host, server, lookup);
            Assert.Equal(DnsLookupStatus.Succeeded, lookup.Status);
            Assert.Equal(new[] { "a.test", "b.test", "c.test" }, server.Queries.ConvertAll(q => q.Name));
            Assert.Equal(3, lookup.QueriesSent);
        }

        [Fact]
        public void AliasLoopFails()
        {
            (SingleHost host, DnsServer server) = Setup();
            server.ChainInOneAnswer = false;
            server.Zone["x.test"] = ("y.test", Array.Empty<Ipv4Address>(), 600);
            server.Zone["y.test"] = ("x.test", Array.Empty<Ipv4Address>(), 600);
            DnsLookup lookup = host.Stack.Dns.Resolve("x.test");
            RunUntilComplete(host, server, lookup);
            Assert.Equal(DnsLookupStatus.ServerFailure, lookup.Status);
            Assert.True(server.Queries.Count <= 2);   // the second answer closes the loop in the cache
        }

        [Fact]
        public void CacheHonoursTheTtl()
        {
            (SingleHost host, DnsServer server) = Setup();
            server.Zone["cached.test"] = (null, new[] { new Ipv4Address(9, 9, 9, 9) }, 300);
            RunUntilComplete(host, server, host.Stack.Dns.Resolve("cached.test"));
            host.Clock.Advance(299_000);
            DnsLookup again = host.Stack.Dns.Resolve("cached.test");
            Assert.Equal(DnsLookupStatus.Succeeded, again.Status);
            Assert.True(again.FromCache);
            Assert.Single(server.Queries);
            host.Clock.Advance(1_000);
            DnsLookup expired = host.Stack.Dns.Resolve("cached.test");
            Assert.False(expired.IsComplete);
            RunUntilComplete(host, server, expired);
            Assert.Equal(2, server.Queries.Count);
        }

        [Fact]
        public void NameErrorIsReportedAndCachedBriefly()
        {
            (SingleHost host, DnsServer server) = Setup();
            DnsLookup lookup = host.Stack.Dns.Resolve("missing.test");
            RunUntilComplete(host, server, lookup);
            Assert.Equal(DnsLookupStatus.NameError, lookup.Status);
            Assert.Equal(DnsLookupStatus.NameError, host.Stack.Dns.Resolve("missing.test").Status);
            Assert.Single(server.Queries);
        }

        [Fact]
        public void SilentServersAreRetriedInTurnWithDoublingTimeouts()
        {
            (SingleHost host, DnsServer server) = Setup();
            host.Stack.Dns.Servers.Add(ServerB);
            server.Silent = true;
            long start = host.Clock.Milliseconds;
            DnsLookup lookup = host.Stack.Dns.Resolve("slow.test");
            RunUntilComplete(host, server, lookup);
            Assert.Equal(DnsLookupStatus.TimedOut, lookup.Status);
            Assert.Equal(new[] { ServerA, ServerB, ServerA, ServerB }, server.Queries.ConvertAll(q => q.Server));
            // 2 s, 2 s, then 4 s, 4 s.
            Assert.Equal(12_000, host.Clock.Milliseconds - start);
            Assert.Equal(0, host.Stack.Dns.PendingQueries);
        }

        [Fact]
        public void MalformedAndForgedRepliesAreDroppedAndTheRealOneAccepted()
        {
            (SingleHost host, DnsServer server) = Setup();
            server.Zone["ok.test"] = (null, new[] { new Ipv4Address(4, 4, 4, 4) }, 60);
            // First reply: the answer's name is a pointer to itself.
            server.Tamper = answer =>
            {
                byte[] bad = (byte[])answer.Clone();
                int answerStart = answer.Length - 16;
                bad[answerStart] = (byte)(0xC0 | (answerStart >> 8));
                bad[answerStart + 1] = (byte)answerStart;
                return bad;
            };
            DnsLookup lookup = host.Stack.Dns.Resolve("ok.test");
            RunUntilComplete(host, server, lookup);
            Assert.Equal(DnsLookupStatus.Succeeded, lookup.Status);
            Assert.Equal(2, server.Queries.Count);   // the bad reply was ignored, the retry answered
            Assert.Equal(1, host.Stack.Counters.Dns.Drops(NetworkDropReason.BadHeader));

            // A reply with the wrong ID.
            host.Stack.Dns.Cache.Clear();
            server.Tamper = answer =>
            {
                answer[0] ^= 0xFF;
                return answer;
            };
            RunUntilComplete(host, server, host.Stack.Dns.Resolve("ok.test"));
            Assert.Equal(1, host.Stack.Counters.Dns.Drops(NetworkDropReason.Unsolicited));
        }

        [Fact]
        public void LiteralsAndInvalidNamesNeedNoServer()
        {
            var host = new SingleHost();
            DnsLookup literal = host.Stack.Dns.Resolve("192.168.1.1");
            Assert.Equal(DnsLookupStatus.Succeeded, literal.Status);
            Assert.Equal(DnsLookupStatus.InvalidName, host.Stack.Dns.Resolve("bad..name").Status);
            Assert.Equal(DnsLookupStatus.InvalidName, host.Stack.Dns.Resolve(new string('a', 64) + ".com").Status);
            Assert.Equal(DnsLookupStatus.NoServers, host.Stack.Dns.Resolve("example.com").Status);
        }

        [Theory]
        [InlineData(new byte[] { 0xC0, 0x00 }, "pointer to itself")]
        [InlineData(new byte[] { 0x01, 0x61, 0xC0, 0x02 }, "pointer to the pointer")]
        [InlineData(new byte[] { 0x01, 0x61, 0xC0, 0x05, 0x00, 0x00 }, "forward pointer")]
        [InlineData(new byte[] { 0x05, 0x61, 0x62 }, "label past the end")]
        [InlineData(new byte[] { 0x01, 0x61 }, "no terminating zero")]
        [InlineData(new byte[] { 0x41, 0x61 }, "extended label type")]
        [InlineData(new byte[] { 0xC0 }, "half a pointer")]
        public void HostileNamesAreRejected(byte[] encoded, string why)
        {
            int offset = 0;
            Assert.False(DnsName.TryRead(encoded, ref offset, out _), why);
        }

        [Fact]
        public void PointerChainsWorkAndOverlongNamesAreRejected()
        {
            // "b" at 0, "a" + pointer to 0 at 3, "c" + pointer to 3 at 7: reading from 7 gives c.a.b.
            byte[] message = { 0x01, 0x62, 0x00, 0x01, 0x61, 0xC0, 0x00, 0x01, 0x63, 0xC0, 0x03 };
            int offset = 7;
            Assert.True(DnsName.TryRead(message, ref offset, out string name));
            Assert.Equal("c.a.b", name);
            Assert.Equal(11, offset);

            // Five 63-byte labels: 320 bytes, over the 255 limit.
            var longName = new List<byte>();
            for (int i = 0; i < 5; i++)
            {
                longName.Add(63);
                longName.AddRange(Encoding.ASCII.GetBytes(new string('x', 63)));
            }

            longName.Add(0);
            offset = 0;
            Assert.False(DnsName.TryRead(longName.ToArray(), ref offset, out _));
        }

        [Fact]
        public void TruncatedMessagesAreRejected()
        {
            byte[] response =
            {
                0xbe, 0xef, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x61, 0x00, 0x00, 0x01, 0x00, 0x01,
                0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 0x5d, 0xb8, 0xd8, 0x22,
            };
            Assert.True(DnsMessage.TryParse(response, out _, out _));
            for (int length = 0; length < response.Length; length++)
            {
                Assert.False(DnsMessage.TryParse(response.AsSpan(0, length), out _, out _), $"{length} bytes");
            }

            response[30] = 5;   // RDLENGTH 5 for an A record
            Assert.False(DnsMessage.TryParse(response, out _, out _));
        }
    }
}
