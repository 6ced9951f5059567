using System;
using System.Linq;
using Cosmos.System.Network;
using CsCheck;
using Xunit;

namespace Cosmos.System.Tests.Properties
{
    /// <summary>What the DHCP and DNS encoders write, the decoders read back field for field.</summary>
    public class DhcpDnsRoundTripProperties
    {
        private static readonly Gen<Ipv4Address> Address = Gen.UInt.Select(value => new Ipv4Address(value));

        private static readonly Gen<DhcpMessage> Dhcp =
            Gen.Select(
                Gen.Select(Gen.Byte[1, 2], Gen.UInt, Gen.UShort, Gen.UShort, (operation, xid, seconds, flags) => (operation, xid, seconds, flags)),
                Gen.Select(Address, Address, Address, Address, Gen.ULong[0, 0xFFFF_FFFF_FFFF], (client, your, next, relay, mac) => (client, your, next, relay, mac)),
                Gen.Select(Gen.Byte[1, 8], Address, Address.Array[0, 8], Address.Array[0, 8], (type, mask, routers, dns) => (type, mask, routers, dns)),
                Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Address, Address, (lease, renew, rebind, server, requested) => (lease, renew, rebind, server, requested)),
                Gen.Select(Gen.Byte.Array[1, 20].Null(), Gen.String[Gen.Char["abcxyz0-9"], 1, 60].Null(), (prl, name) => (prl, name)),
                (header, addresses, network, times, extra) =>
                {
                    var message = new DhcpMessage
                    {
                        Operation = header.operation,
                        TransactionId = header.xid,
                        Seconds = header.seconds,
                        Flags = header.flags,
                        ClientAddress = addresses.client,
                        YourAddress = addresses.your,
                        NextServerAddress = addresses.next,
                        RelayAddress = addresses.relay,
                        ClientHardwareAddress = new MacAddress(addresses.mac),
                        MessageType = (DhcpMessageType)network.type,
                        SubnetMask = network.mask,
                        LeaseTime = times.lease,
                        RenewalTime = times.renew,
                        RebindingTime = times.rebind,
                        ServerIdentifier = times.server,
                        RequestedAddress = times.requested,
                        ParameterRequestList = extra.prl,
                        HostName = extra.name,
                    };
                    message.Routers.AddRange(network.routers);
                    message.DnsServers.AddRange(network.dns);
                    return message;
                });

        [Fact]
        public void DhcpMessagesDecodeAsEncoded()
        {
            Dhcp.Sample(sent =>
            {
                byte[] wire = new byte[sent.EncodedLength];
                Assert.Equal(wire.Length, sent.Write(wire));
                Assert.True(DhcpMessage.TryParse(wire, out DhcpMessage? read, out NetworkDropReason reason), $"rejected: {reason}");
                Assert.Equal(
                    (sent.Operation, sent.TransactionId, sent.Seconds, sent.Flags, sent.ClientAddress, sent.YourAddress, sent.NextServerAddress, sent.RelayAddress),
                    (read!.Operation, read.TransactionId, read.Seconds, read.Flags, read.ClientAddress, read.YourAddress, read.NextServerAddress, read.RelayAddress));
                Assert.Equal(sent.ClientHardwareAddress, read.ClientHardwareAddress);
                Assert.Equal(sent.MessageType, read.MessageType);
                Assert.Equal(sent.SubnetMask, read.SubnetMask);
                Assert.Equal(sent.Routers, read.Routers);
                Assert.Equal(sent.DnsServers, read.DnsServers);
                Assert.Equal((sent.LeaseTime, sent.RenewalTime, sent.RebindingTime), (read.LeaseTime, read.RenewalTime, read.RebindingTime));
                Assert.Equal((sent.ServerIdentifier, sent.RequestedAddress), (read.ServerIdentifier, read.RequestedAddress));
            });
        }

        // RFC 1035 §2.3.1 (letters, digits, hyphens; labels of 1 to 63 bytes; at most 253 characters in all).
        private static readonly Gen<string> Label =
            Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ"], Gen.String[Gen.Char["abcxyz0189-"], 0, 61], Gen.Char["az09"], (first, middle, last) => first + middle + last);

        private static readonly Gen<string> HostNames =
            Label.Array[1, 6].Select(labels => string.Join('.', labels)).Where(name => name.Length <= 253);

        [Fact]
        public void DnsQueriesDecodeAsEncoded()
        {
            Gen.Select(Gen.UShort, HostNames, Gen.Int[0, 2].Select(i => new ushort[] { 1, 5, 28 }[i])).Sample((id, name, type) =>
            {
                byte[] wire = new byte[DnsMessage.HeaderLength + 256 + 4];
                int length = DnsMessage.WriteQuery(wire, id, name, type);
                Assert.True(DnsMessage.TryParse(wire.AsSpan(0, length), out DnsMessage? read, out NetworkDropReason reason), $"rejected: {reason}");
                Assert.Equal(id, read!.Id);
                Assert.False(read.IsResponse);
                Assert.Equal(name.ToLowerInvariant(), read.QuestionName);
                Assert.Equal(type, read.QuestionType);
                Assert.Empty(read.Answers);
            });
        }

        [Fact]
        public void DnsNamesDecodeAsEncodedAtAnyOffset()
        {
            Gen.Select(HostNames, Gen.Int[0, 40]).Sample((name, offset) =>
            {
                byte[] wire = new byte[offset + 256];
                int written = global::Cosmos.System.Network.DnsName.Write(wire.AsSpan(offset), name);
                int position = offset;
                Assert.True(global::Cosmos.System.Network.DnsName.TryRead(wire, ref position, out string read));
                Assert.Equal(offset + written, position);
                Assert.Equal(name.ToLowerInvariant(), read);
            });
        }
    }
}
