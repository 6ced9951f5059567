using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Xunit;

namespace Cosmos.Drivers.Tests.Fuzz
{
    /// <summary>
    /// Regression tests for what `./cosmos fuzz` found in the drivers (docs/robustness.md), each with the values of
    /// the crashing input.
    /// </summary>
    public class FuzzFindingTests
    {
        private const ulong Version1 = 1UL << 32;
        private const ulong SizeMax = 1UL << 1, SegMax = 1UL << 2, BlockSize = 1UL << 6, Discard = 1UL << 13, WriteZeroes = 1UL << 14;

        /// <summary>
        /// virtio-config finding: a virtio-blk device offering SEG_MAX, BLK_SIZE, DISCARD or WRITE_ZEROES with a
        /// configuration space that ends before those fields made Start throw ArgumentOutOfRangeException
        /// ("configuration access of 4 bytes at 0x24 is outside its 39 bytes"). Start must fail with a sentence instead.
        /// </summary>
        [Theory]
        [InlineData(0, SegMax, 16)]
        [InlineData(19, SizeMax | SegMax | BlockSize, 24)]
        [InlineData(29, Discard, 48)]
        [InlineData(39, Discard | WriteZeroes, 52)]
        [InlineData(48, WriteZeroes, 52)]
        public void BlockConfigurationShorterThanItsFeaturesFailsTheStart(int configLength, ulong features, int needed)
        {
            using SimRig rig = SimRig.Create(SimLayout.PciModern, new SimOptions
            {
                DeviceType = 2,
                Features = Version1 | features,
                QueueCount = 1,
                MaxQueueSize = 128,
                ConfigLength = configLength,
            });
            rig.Device.Config.AsSpan().Fill(0x10);

            var started = VirtioBlockDevice.Start(rig.Transport, rig.Memory, new SimWaiter());

            Assert.False(started.IsSuccess);
            Assert.Contains($"configuration is {configLength} bytes", started.Error);
            Assert.Contains($"need {needed}", started.Error);
            Assert.NotEqual(0, rig.Device.Status & 128); // FAILED
        }

        [Fact]
        public void BlockConfigurationLongEnoughForItsFeaturesStillStarts()
        {
            using SimBlockDevice sim = SimBlockDevice.Create(SimLayout.PciModern);
            Assert.True(VirtioBlockDevice.Start(sim.Rig.Transport, sim.Rig.Memory, new SimWaiter()).IsSuccess);
        }
    }
}
