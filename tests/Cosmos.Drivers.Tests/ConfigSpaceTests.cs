using System;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class ConfigSpaceTests
    {
        private static readonly byte[] Sample =
        {
            0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, // capacity 0x100000 (le64 @0)
            0x52, 0x54, 0x00, 0x12, 0x34, 0x56,             // a MAC @8
            0x01, 0x00,                                     // le16 @14
            0x00, 0x02, 0x00, 0x00,                         // le32 512 @16
            0x07, 0x00, 0x00, 0x00,
        };

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ReadsFieldsOfEveryWidth(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            Sample.CopyTo(rig.Device.Config, 0);
            IVirtioTransport transport = rig.Transport;
            Assert.Equal(0x100000UL, transport.ReadConfig64(0));
            Assert.Equal(512u, transport.ReadConfig32(16));
            Assert.Equal(1, transport.ReadConfig16(14));
            Assert.Equal(0x07, transport.ReadConfig8(20));
            Span<byte> mac = stackalloc byte[6];
            transport.ReadConfig(8, mac);
            Assert.Equal(new byte[] { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, mac.ToArray());
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void WritesFields(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            rig.Transport.WriteConfig8(0, 0x11);
            rig.Transport.WriteConfig16(2, 0x2233);
            rig.Transport.WriteConfig32(4, 0x44556677);
            Assert.Equal(new byte[] { 0x11, 0, 0x33, 0x22, 0x77, 0x66, 0x55, 0x44 }, rig.Device.Config[..8]);
        }

        [Theory]
        [MemberData(nameof(Layouts.Modern), MemberType = typeof(Layouts))]
        public void ReadRacingAGenerationChangeIsRepeated(SimLayout layout)
        {
            // §2.5.1: the device updates the 64-bit capacity between the two halves of the first two
            // reads; the driver must notice the new generation and read again.
            using SimRig rig = SimRig.Create(layout);
            Assert.True(rig.Transport.HasConfigGeneration);
            SetCapacity(rig.Device, 0x0000_0001_FFFF_FFFFUL);
            int changes = 0;
            rig.Device.ConfigRead = offset =>
            {
                if (offset == 4 && changes < 2)
                {
                    changes++;
                    SetCapacity(rig.Device, 0x0000_0002_0000_0000UL * (ulong)changes);
                    rig.Device.Generation++;
                }
            };

            Assert.Equal(0x0000_0004_0000_0000UL, rig.Transport.ReadConfig64(0));
            Assert.Equal(6, rig.Device.ConfigReads); // three attempts of two 32-bit reads
        }

        [Theory]
        [MemberData(nameof(Layouts.Modern), MemberType = typeof(Layouts))]
        public void ByteArrayReadsAreRepeatedOnAGenerationChange(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            Sample.CopyTo(rig.Device.Config, 0);
            bool changed = false;
            rig.Device.ConfigRead = offset =>
            {
                if (offset == 10 && !changed)
                {
                    changed = true;
                    rig.Device.Config[13] = 0x99;
                    rig.Device.Generation++;
                }
            };

            byte[] mac = new byte[6];
            rig.Transport.ReadConfig(8, mac);
            Assert.Equal(new byte[] { 0x52, 0x54, 0x00, 0x12, 0x34, 0x99 }, mac);
        }

        [Theory]
        [MemberData(nameof(Layouts.Modern), MemberType = typeof(Layouts))]
        public void GenerationThatNeverSettlesIsAnError(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            rig.Device.ConfigRead = _ => rig.Device.Generation++;
            var error = Assert.Throws<VirtioDeviceException>(() => rig.Transport.ReadConfig32(16));
            Assert.Contains("virtio-blk", error.Message);
            Assert.Contains("configuration at offset 0x10 kept changing over 64 reads", error.Message);
        }

        [Theory]
        [MemberData(nameof(Layouts.Legacy), MemberType = typeof(Layouts))]
        public void LegacySingleFieldsAreReadOnce(SimLayout layout)
        {
            // No generation: a field of one access is read once (§2.5.4 concerns multi-access fields).
            using SimRig rig = SimRig.Create(layout);
            Assert.False(rig.Transport.HasConfigGeneration);
            Sample.CopyTo(rig.Device.Config, 0);
            Assert.Equal(512u, rig.Transport.ReadConfig32(16));
            Assert.Equal(1, rig.Device.ConfigReads);
        }

        [Theory]
        [MemberData(nameof(Layouts.Legacy), MemberType = typeof(Layouts))]
        public void LegacyMultiAccessFieldsAreReadUntilTwoReadsAgree(SimLayout layout)
        {
            // §2.5.4: without a generation, capacity and MAC are read until two reads agree.
            using SimRig rig = SimRig.Create(layout);
            SetCapacity(rig.Device, 0x0000_0001_FFFF_FFFFUL);
            bool changed = false;
            rig.Device.ConfigRead = offset =>
            {
                if (offset == 4 && !changed)
                {
                    changed = true; // torn: low half old, high half new
                    SetCapacity(rig.Device, 0x0000_0002_0000_0000UL);
                }
            };

            Assert.Equal(0x0000_0002_0000_0000UL, rig.Transport.ReadConfig64(0));
            Assert.Equal(6, rig.Device.ConfigReads);
        }

        [Theory]
        [MemberData(nameof(Layouts.Legacy), MemberType = typeof(Layouts))]
        public void LegacyFieldThatNeverSettlesIsAnError(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            rig.Device.ConfigRead = _ => rig.Device.Config[9]++;
            Assert.Throws<VirtioDeviceException>(() => rig.Transport.ReadConfig(8, new byte[6]));
        }

        [Theory]
        [InlineData(InterruptMode.Intx)]
        [InlineData(InterruptMode.MsiX)]
        public void LegacyPciConfigurationMovesTo0x18WithMsix(InterruptMode mode)
        {
            // §4.1.4.8: with MSI-X enabled, config_vector and queue_vector take 0x14-0x17.
            using SimRig rig = SimRig.Create(SimLayout.PciLegacy, new SimOptions { Interrupts = mode });
            Sample.CopyTo(rig.Device.Config, 0);
            var init = new VirtioDeviceInitializer(rig.Transport, rig.Memory);
            DriverHarness.Check(init.NegotiateFeatures(0));
            DriverHarness.Check(init.EnableInterrupts(2));
            Assert.Equal(mode, init.InterruptMode);
            Assert.Equal(0x100000UL, rig.Transport.ReadConfig64(0));
            Assert.Equal(mode == InterruptMode.MsiX ? 0x100 - 0x18 : 0x100 - 0x14, rig.Transport.ConfigLength);
            Assert.Contains(mode == InterruptMode.MsiX ? "config at 0x18" : "config at 0x14", rig.Transport.Describe());
            Assert.Empty(rig.Device.Violations);
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void AccessOutsideTheConfigurationThrows(SimLayout layout)
        {
            using SimRig rig = SimRig.Create(layout);
            int length = rig.Transport.ConfigLength;
            Assert.Throws<ArgumentOutOfRangeException>(() => rig.Transport.ReadConfig32(length - 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => rig.Transport.ReadConfig8(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => rig.Transport.WriteConfig16(length, 0));
        }

        private static void SetCapacity(SimDevice device, ulong value) => BitConverter.TryWriteBytes(device.Config.AsSpan(0, 8), value);
    }
}
