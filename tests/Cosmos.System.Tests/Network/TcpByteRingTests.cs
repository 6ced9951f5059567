using System;
using System.Linq;
using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    public sealed class TcpByteRingTests
    {
        [Fact]
        public void StorageGrowsWithWhatArrivesAndKeepsTheOrderAcrossTheWrap()
        {
            var ring = new TcpByteRing(512 * 1024);
            byte[] first = Enumerable.Range(0, 12_000).Select(i => (byte)i).ToArray();
            byte[] second = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(first.Length, ring.Write(first));
            byte[] head = new byte[10_000];
            Assert.Equal(head.Length, ring.Read(head));
            Assert.Equal(first.AsSpan(0, 10_000).ToArray(), head);

            // The ring's head is no longer at the start of its storage: growing must move the held bytes in order.
            Assert.Equal(second.Length, ring.Write(second));
            byte[] rest = new byte[2_000 + second.Length];
            Assert.Equal(rest.Length, ring.Read(rest));
            Assert.Equal(first.AsSpan(10_000).ToArray().Concat(second).ToArray(), rest);
            Assert.Equal(0, ring.Count);
        }

        [Fact]
        public void NeverHoldsMoreThanItsCapacity()
        {
            var ring = new TcpByteRing(40_000);
            Assert.Equal(40_000, ring.Free);
            Assert.Equal(40_000, ring.Write(new byte[100_000]));
            Assert.Equal(0, ring.Free);
            Assert.Equal(0, ring.Write(new byte[1]));
            Assert.Equal(40_000, ring.Capacity);
        }
    }
}
