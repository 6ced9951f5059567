using System;
using System.Linq;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.Block
{
    /// <summary>Many requests in flight: the asynchronous API, scatter-gather of caller memory, out-of-order completion.</summary>
    public class VirtioBlockQueueDepthTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void SeveralRequestsAreInFlightAtOnceAndCompleteOutOfOrder(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.Device.AutoProcess = false;
            var buffers = new DmaBuffer[6];
            var tickets = new int[6];
            for (int i = 0; i < buffers.Length; i++)
            {
                buffers[i] = sim.Rig.Memory.Allocate(1024, 512);
                Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead((ulong)(i * 10), buffers[i], out tickets[i]));
            }

            Assert.Equal(6, disk.RequestsOutstanding);
            Assert.Equal(6, sim.Queue.Fetch());
            for (int i = 5; i >= 0; i--)
            {
                sim.Queue.Complete(sim.Queue.Pending[i]);
            }

            for (int i = 0; i < buffers.Length; i++)
            {
                Assert.True(disk.TryComplete(tickets[i], out BlockResult result));
                Assert.Equal(BlockResult.Ok, result);
                Assert.Equal(sim.Disk.AsSpan(i * 10 * 512, 1024).ToArray(), buffers[i].Span.ToArray());
            }

            Assert.Equal(0, disk.RequestsOutstanding);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void TryCompleteIsFalseWhileInFlight()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.Device.AutoProcess = false;
            DmaBuffer buffer = sim.Rig.Memory.Allocate(512, 512);
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitWrite(3, buffer, out int ticket));
            Assert.False(disk.TryComplete(ticket, out _));
            sim.Queue.ProcessAll();
            Assert.True(disk.TryComplete(ticket, out BlockResult result));
            Assert.Equal(BlockResult.Ok, result);
        }

        [Fact]
        public void ScatterGatherUsesTheCallersMemoryWithoutCopying()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, sizeMax: 4096);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            DmaBuffer a = sim.Rig.Memory.Allocate(512, 512), b = sim.Rig.Memory.Allocate(8192, 4096), c = sim.Rig.Memory.Allocate(1024, 512);
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(20, [a, b, c], out int ticket));
            Assert.Equal(BlockResult.Ok, disk.Complete(ticket));
            SimBlockRequest request = sim.Requests.Single();
            Assert.Equal(4, request.DataSegments); // b is split at SIZE_MAX
            Assert.Equal(new[] { a.PhysicalAddress, b.PhysicalAddress, b.PhysicalAddress + 4096, c.PhysicalAddress },
                request.Chain.Segments.Skip(1).Take(4).Select(s => s.Address).ToArray());
            byte[] expected = sim.Disk.AsSpan(20 * 512, 512 + 8192 + 1024).ToArray();
            Assert.Equal(expected, a.Span.ToArray().Concat(b.Span.ToArray()).Concat(c.Span.ToArray()).ToArray());

            b.Span.Fill(0xAB);
            Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitWrite(100, [b], out ticket));
            Assert.Equal(BlockResult.Ok, disk.Complete(ticket));
            Assert.All(sim.Disk.AsSpan(100 * 512, 8192).ToArray(), x => Assert.Equal(0xAB, x));
        }

        [Fact]
        public void TooManySegmentsOrTooLargeARequestThrows()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, segMax: 2, sizeMax: 4096);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            DmaBuffer small = sim.Rig.Memory.Allocate(512, 512);
            Assert.Throws<ArgumentException>(() => disk.SubmitRead(0, [small, small, small], out _));
            Assert.Throws<ArgumentException>(() => disk.SubmitRead(0, sim.Rig.Memory.Allocate(3 * 4096, 4096), out _));
            Assert.Throws<ArgumentException>(() => disk.SubmitRead(0, sim.Rig.Memory.Allocate(100, 8), out _));
            Assert.Equal(0, disk.RequestsOutstanding);
        }

        [Fact]
        public void WhenEverySlotIsTakenSubmitSaysBusy()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            sim.Device.AutoProcess = false;
            var tickets = new int[disk.QueueDepth];
            for (int i = 0; i < tickets.Length; i++)
            {
                Assert.Equal(VirtioBlockSubmitStatus.Submitted, disk.SubmitRead(0, sim.Rig.Memory.Allocate(512, 512), out tickets[i]));
            }

            Assert.Equal(VirtioBlockSubmitStatus.Busy, disk.SubmitRead(0, sim.Rig.Memory.Allocate(512, 512), out _));
            Assert.Throws<InvalidOperationException>(() => disk.Read(0, new byte[512]));
            foreach (int ticket in tickets)
            {
                Assert.Equal(BlockResult.Ok, disk.Complete(ticket));
            }

            Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[512]));
        }

        [Theory]
        [InlineData(SimLayout.PciModern, 1)]
        [InlineData(SimLayout.PciModern, 8)]
        [InlineData(SimLayout.PciLegacy, 32)]
        [InlineData(SimLayout.MmioV1, 4)]
        public void ReadManyEqualsASequentialRead(SimLayout layout, int depth)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout, sectors: 4096, segMax: 4, sizeMax: 4096);
            var waiter = new SimWaiter();
            VirtioBlockDevice disk = sim.StartDriver(waiter);
            int mostPending = 0;
            sim.Device.AutoProcess = false;
            waiter.Idle = () =>
            {
                sim.Queue.Fetch();
                mostPending = Math.Max(mostPending, sim.Queue.Pending.Count);
                // Complete newest first: the device finishes out of order.
                for (int i = sim.Queue.Pending.Count - 1; i >= 0; i--)
                {
                    sim.Queue.Complete(sim.Queue.Pending[i]);
                }
            };

            byte[] many = new byte[1024 * 1024];
            Assert.Equal(BlockResult.Ok, disk.ReadMany(100, many, depth));
            Assert.Equal(Math.Min(depth, disk.QueueDepth), mostPending);
            sim.Device.AutoProcess = true;
            byte[] sequential = new byte[many.Length];
            for (int at = 0; at < many.Length; at += 4096)
            {
                Assert.Equal(BlockResult.Ok, disk.Read(100 + (ulong)(at / 512), sequential.AsSpan(at, 4096)));
            }

            Assert.Equal(sequential, many);
            Assert.Equal(sim.Disk.AsSpan(100 * 512, many.Length).ToArray(), many);
            Assert.Empty(sim.Device.Violations);
        }

        [Fact]
        public void WriteManyKeepsSeveralWritesInFlight()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern, sectors: 4096, segMax: 4, sizeMax: 4096);
            var waiter = new SimWaiter();
            VirtioBlockDevice disk = sim.StartDriver(waiter);
            int mostPending = 0;
            sim.Device.AutoProcess = false;
            waiter.Idle = () =>
            {
                sim.Queue.Fetch();
                mostPending = Math.Max(mostPending, sim.Queue.Pending.Count);
                sim.Queue.CompleteAllPending();
            };

            byte[] data = Enumerable.Range(0, 256 * 1024).Select(i => (byte)(i % 251)).ToArray();
            Assert.Equal(BlockResult.Ok, disk.WriteMany(8, data, depth: 6));
            Assert.Equal(6, mostPending);
            Assert.Equal(data, sim.Disk.AsSpan(8 * 512, data.Length).ToArray());
        }
    }
}
