using System;
using Cosmos.Drivers.E1000;
using Cosmos.Drivers.Tests.Fakes;
using Cosmos.HAL.Hardware;
using Xunit;

namespace Cosmos.Drivers.Tests.E1000
{
    /// <summary>The 82540EM driver against a simulated controller: reset, MAC, rings, transmit, receive and the frames it must drop.</summary>
    public class E1000DeviceTests
    {
        [Fact]
        public void StartResetsOnceAndProgramsBothRings()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            Assert.Equal(1, rig.Nic.Resets);
            Assert.Equal(0u, rig.Nic[0x0000] & (1u << 26));                              // CTRL.RST cleared
            Assert.Equal(1u << 6, rig.Nic[0x0000] & (1u << 6));                          // CTRL.SLU
            uint rctl = rig.Nic[0x0100];
            Assert.Equal((1u << 1) | (1u << 15) | (1u << 26), rctl);                     // EN, BAM, SECRC, BSIZE 2048
            Assert.Equal(E1000Device.RingSize * 16u, rig.Nic[0x2808]);                   // RDLEN
            Assert.Equal(E1000Device.RingSize - 1u, rig.Nic[0x2818]);                    // RDT: all but one posted
            Assert.Equal(E1000Device.RingSize * 16u, rig.Nic[0x3808]);                   // TDLEN
            Assert.Equal(0u, rig.Nic[0x3818]);                                           // TDT
            Assert.NotEqual(0u, rig.Nic[0x0400] & (1u << 1));                            // TCTL.EN
            Assert.Equal((uint)(FakeDmaAllocator.PhysicalBase >> 32), rig.Nic[0x2804]);    // RDBAH: a bus address, not a host pointer
            Assert.Equal(0u, rig.Nic[0x2800] % 128);
            Assert.Equal(1500, nic.Mtu);
            Assert.Equal(1518, nic.MaxFrameLength);
            Assert.False(nic.OffloadsTransmitChecksum);
        }

        [Fact]
        public void MacComesFromReceiveAddressZeroAfterReset()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            Assert.Equal(rig.Nic.Mac, nic.MacAddress.ToArray());
            Assert.False(nic.MacFromEeprom);
            Assert.Equal(0, rig.Nic.EepromReads);
            Assert.Equal("[e1000] mac 52:54:00:12:34:56, link up, 64 rx/64 tx descriptors", nic.Summary);
        }

        [Fact]
        public void WithoutAValidReceiveAddressTheMacIsReadFromTheEepromAndProgrammed()
        {
            using var rig = new E1000Rig();
            rig.Nic.ResetLeavesReceiveAddressEmpty = true;
            E1000Device nic = rig.Start();
            Assert.Equal(rig.Nic.Mac, nic.MacAddress.ToArray());
            Assert.True(nic.MacFromEeprom);
            Assert.Equal(3, rig.Nic.EepromReads);
            Assert.Equal(0x1200_5452u, rig.Nic[0x5400]);
            Assert.Equal(0x8000_5634u, rig.Nic[0x5404]);
        }

        [Fact]
        public void AnEepromThatNeverAnswersFailsStartWithTheRegisterValues()
        {
            using var rig = new E1000Rig();
            rig.Nic.ResetLeavesReceiveAddressEmpty = true;
            rig.Nic.EepromNeverAnswers = true;
            Assert.Null(rig.Start(out string? error));
            Assert.StartsWith("no MAC address: RAH0.AV clear (RAL0=0x00000000, RAH0=0x00000000) and the EEPROM did not answer EERD for word 0 within 5 ms", error);
            Assert.Equal(0, rig.Dma.LiveAllocations);
        }

        [Fact]
        public void AControllerThatNeverLeavesResetFailsStartWithinItsTimeout()
        {
            using var rig = new E1000Rig();
            rig.Nic.ResetNeverCompletes = true;
            Assert.Null(rig.Start(out string? error));
            Assert.Equal("reset did not complete (CTRL.RST still set after 20 ms, CTRL=0x04000000)", error);
            Assert.Equal(0, rig.Dma.LiveAllocations);
        }

        [Fact]
        public void LinkFollowsStatusLu()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            Assert.True(nic.IsLinkUp);
            rig.Nic.LinkUp = false;
            Assert.False(nic.IsLinkUp);
        }

        [Fact]
        public void TransmitWritesADescriptorAndAdvancesTdt()
        {
            using var rig = new E1000Rig();
            rig.Nic.TransmitsImmediately = false;
            E1000Device nic = rig.Start();
            byte[] frame = E1000Rig.Frame(60);
            Assert.True(nic.TrySend(frame));
            Assert.Equal(1u, rig.Nic[0x3818]);
            Assert.Empty(rig.Nic.Sent);
            Assert.Equal(1, nic.TransmitsInFlight);

            rig.Nic.ProcessTransmit();
            Assert.Equal(frame, Assert.Single(rig.Nic.Sent));
            Assert.Equal(0x0B, rig.Nic.SentCommands[0]); // EOP | IFCS | RS
            Assert.Equal(1u, rig.Nic[0x3810]);

            Assert.True(nic.TrySend(frame)); // reclaims the first
            Assert.Equal(1, nic.TransmitsInFlight);
            Assert.Equal(2, nic.Statistics.FramesSent);
            Assert.Equal(120, nic.Statistics.BytesSent);
        }

        [Fact]
        public void AFullTransmitRingRefusesAndCountsThenRecoversWhenTheDeviceCatchesUp()
        {
            using var rig = new E1000Rig();
            rig.Nic.TransmitsImmediately = false;
            E1000Device nic = rig.Start();
            for (int i = 0; i < E1000Device.RingSize - 1; i++)
            {
                Assert.True(nic.TrySend(E1000Rig.Frame(64, (byte)i)));
            }

            Assert.False(nic.TrySend(E1000Rig.Frame(64)));
            Assert.Equal(1, nic.Statistics.TransmitQueueFull);
            rig.Nic.ProcessTransmit();
            Assert.Equal(E1000Device.RingSize - 1, rig.Nic.Sent.Count);
            Assert.Equal((byte)62, rig.Nic.Sent[62][20]);

            for (int i = 0; i < 2 * E1000Device.RingSize; i++)
            {
                Assert.True(nic.TrySend(E1000Rig.Frame(64)));
                rig.Nic.ProcessTransmit();
            }

            Assert.Equal(E1000Device.RingSize - 1 + (2 * E1000Device.RingSize), rig.Nic.Sent.Count);
        }

        [Fact]
        public void TransmitWithChecksumComputesItInTheCopy()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            byte[] frame = E1000Rig.Frame(64, 0);
            frame[40] = 0x12;
            frame[41] = 0x34;
            Assert.True(nic.TrySend(frame, 34, 6));
            byte[] sent = Assert.Single(rig.Nic.Sent);
            // The field held the pseudo-header sum 0x1234 and the rest of the segment is zero: the checksum is its complement.
            Assert.Equal(new byte[] { 0xED, 0xCB }, sent.AsSpan(40, 2).ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => nic.TrySend(frame, 63, 0));
            Assert.Throws<ArgumentException>(() => nic.TrySend(new byte[1519]));
        }

        [Fact]
        public void ReceiveHandsFramesUpAndRepostsTheirDescriptors()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            var buffer = new byte[2048];
            Assert.False(nic.HasFrameWaiting);
            Assert.Equal(0, nic.TryReceive(buffer));

            // Three times round the ring: only reposting keeps descriptors available.
            for (int i = 0; i < 3 * E1000Device.RingSize; i++)
            {
                byte[] frame = E1000Rig.Frame(60 + (i % 1400), (byte)i);
                rig.Nic.Deliver(frame);
                Assert.True(nic.HasFrameWaiting);
                int length = nic.TryReceive(buffer, out bool checksumValid);
                Assert.Equal(frame.Length, length);
                Assert.Equal(frame, buffer.AsSpan(0, length).ToArray());
                Assert.False(checksumValid);
                Assert.Equal((uint)(i % E1000Device.RingSize), rig.Nic[0x2818]); // RDT moved onto the reposted descriptor
            }

            Assert.Equal(0, rig.Nic.Missed);
            Assert.Equal(3 * E1000Device.RingSize, nic.Statistics.FramesReceived);
            Assert.Equal(0, nic.Statistics.Dropped);
        }

        [Fact]
        public void FramesQueuedWhileTheCallerWasAwayAreTakenInOrder()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            for (int i = 0; i < E1000Device.RingSize - 1; i++)
            {
                rig.Nic.Deliver(E1000Rig.Frame(100, (byte)i));
            }

            rig.Nic.Deliver(E1000Rig.Frame(100));
            Assert.Equal(1, rig.Nic.Missed); // the ring held 63

            var buffer = new byte[1518];
            for (int i = 0; i < E1000Device.RingSize - 1; i++)
            {
                Assert.Equal(100, nic.TryReceive(buffer));
                Assert.Equal((byte)i, buffer[50]);
            }

            Assert.Equal(0, nic.TryReceive(buffer));
        }

        [Fact]
        public void AFrameSpreadOverTwoBuffersIsDroppedAndCountedNotTruncated()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            rig.Nic.Deliver(E1000Rig.Frame(3000, 1));
            rig.Nic.Deliver(E1000Rig.Frame(200, 2));
            var buffer = new byte[4096];
            Assert.Equal(200, nic.TryReceive(buffer));
            Assert.Equal(2, buffer[100]);
            Assert.Equal(1, nic.Statistics.DroppedOversize);
            Assert.Equal(1, nic.Statistics.FramesReceived);
            Assert.Equal(3, nic.ReceiveNext);
        }

        [Fact]
        public void AFrameLongerThanMaxFrameLengthInOneBufferIsDroppedAndCounted()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            rig.Nic.Deliver(E1000Rig.Frame(1600));
            Assert.Equal(0, nic.TryReceive(new byte[2048]));
            Assert.Equal(1, nic.Statistics.DroppedOversize);
        }

        [Fact]
        public void FramesTheCallerCannotHoldOrTheDeviceFlaggedOrDescribedImpossiblyAreDroppedAndCounted()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            rig.Nic.Deliver(E1000Rig.Frame(500));
            rig.Nic.Deliver(E1000Rig.Frame(100), errors: 0x01);              // CE
            rig.Nic.Deliver(E1000Rig.Frame(100), reportedLength: 4000);     // longer than its buffer
            rig.Nic.Deliver(E1000Rig.Frame(100), reportedLength: 0);
            rig.Nic.Deliver(E1000Rig.Frame(64, 7));
            var buffer = new byte[128];
            Assert.Equal(64, nic.TryReceive(buffer));
            Assert.Equal(7, buffer[40]);
            Assert.Equal(1, nic.Statistics.DroppedBufferTooSmall);
            Assert.Equal(3, nic.Statistics.DroppedDeviceError);
            Assert.Equal(4, nic.Statistics.Dropped);
        }

        [Fact]
        public void TheReceiveInterruptAcknowledgesIcrAndSignalsFramesArrived()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            var interrupts = new FakeInterruptSource(InterruptMode.Intx, 1);
            rig.Nic.Interrupt = () => interrupts.Raise(0);
            int arrived = 0;
            nic.FramesArrived = () => arrived++;
            nic.AttachInterrupts(interrupts);
            Assert.Equal(InterruptMode.Intx, nic.InterruptMode);
            Assert.NotEqual(0u, rig.Nic[0x00D0] & (1u << 7)); // IMS.RXT0

            rig.Nic.Deliver(E1000Rig.Frame(80));
            Assert.Equal(1, arrived);
            Assert.Equal(0u, rig.Nic[0x00C0]); // ICR read-to-clear
            Assert.Equal(80, nic.TryReceive(new byte[2048]));
        }

        [Fact]
        public void APolledSourceLeavesInterruptsMasked()
        {
            using var rig = new E1000Rig();
            E1000Device nic = rig.Start();
            nic.AttachInterrupts(new FakeInterruptSource(InterruptMode.Polled, 0));
            Assert.Equal(InterruptMode.Polled, nic.InterruptMode);
            Assert.Equal(0u, rig.Nic[0x00D0]);
            rig.Nic.Deliver(E1000Rig.Frame(80));
            Assert.True(nic.HasFrameWaiting);
        }

        [Fact]
        public void NoDmaMemoryFailsStartAndFreesWhatWasTaken()
        {
            using var rig = new E1000Rig();
            rig.Dma.AllocationsLeft = 2;
            Assert.Null(rig.Start(out string? error));
            Assert.Equal("no DMA memory for 64 receive and 64 transmit buffers of 2048 B", error);
            Assert.Equal(0, rig.Dma.LiveAllocations);
        }
    }
}
