using System;
using System.Buffers.Binary;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Gpu;
using Xunit;

namespace Cosmos.Drivers.Tests.Gpu
{
    /// <summary>EDID's preferred timing and the byte layout of virtio-gpu requests (§5.7.6.8).</summary>
    public class EdidAndCommandEncodingTests
    {
        [Theory]
        [InlineData(1280, 800)]
        [InlineData(1920, 1080)]
        [InlineData(3840, 2160)]
        public void ThePreferredTimingIsRead(int width, int height)
        {
            Assert.True(EdidPreferredMode.TryRead(SimGpuDevice.MakeEdid(width, height), out int w, out int h, out string? problem), problem);
            Assert.Equal((width, height), (w, h));
        }

        [Fact]
        public void ABadHeaderChecksumOrLengthIsRefusedWithAReason()
        {
            byte[] edid = SimGpuDevice.MakeEdid(1024, 768);
            Assert.False(EdidPreferredMode.TryRead(edid.AsSpan(0, 100), out _, out _, out string? shortProblem));
            Assert.Equal("EDID is 100 bytes, a base block is 128", shortProblem);
            byte[] header = (byte[])edid.Clone();
            header[1] = 0;
            Assert.False(EdidPreferredMode.TryRead(header, out _, out _, out string? headerProblem));
            Assert.Equal("EDID header is not 00 FF FF FF FF FF FF 00", headerProblem);
            byte[] sum = (byte[])edid.Clone();
            sum[127]++;
            Assert.False(EdidPreferredMode.TryRead(sum, out _, out _, out string? sumProblem));
            Assert.Equal("EDID checksum is off by 1", sumProblem);
        }

        [Fact]
        public void TransferAndFlushAreLaidOutAsTheSpecificationSays()
        {
            var buffer = new byte[64];
            Assert.Equal(56, VirtioGpuCommands.TransferToHost2D(buffer, new VirtioGpuCommands.Rect(1, 2, 3, 4), 0x1122334455, 7));
            Assert.Equal(0x105u, BinaryPrimitives.ReadUInt32LittleEndian(buffer));
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4)));
            Assert.Equal(new uint[] { 1, 2, 3, 4 }, new[] { U(buffer, 24), U(buffer, 28), U(buffer, 32), U(buffer, 36) });
            Assert.Equal(0x1122334455UL, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40)));
            Assert.Equal(7u, U(buffer, 48));

            Assert.Equal(48, VirtioGpuCommands.ResourceFlush(buffer, new VirtioGpuCommands.Rect(5, 6, 7, 8), 9, fenceId: 42));
            Assert.Equal(0x104u, U(buffer, 0));
            Assert.Equal(1u, U(buffer, 4));
            Assert.Equal(42UL, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(8)));
            Assert.Equal(9u, U(buffer, 40));

            Assert.Equal(48, VirtioGpuCommands.AttachBacking(buffer, 3, 0xABCDE000, 4096));
            Assert.Equal((0x106u, 3u, 1u), (U(buffer, 0), U(buffer, 24), U(buffer, 28)));
            Assert.Equal(0xABCDE000UL, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32)));
            Assert.Equal(4096u, U(buffer, 40));
        }

        private static uint U(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    }
}
