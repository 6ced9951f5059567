using Cosmos.Core.Boot;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.HAL.Tests.Devices
{
    /// <summary>Which multiboot2 framebuffer tags the VGA text console believes: EGA text of a sane size only, each refusal with its reason.</summary>
    public class VgaTextDisplayTests
    {
        [Fact]
        public void NoFramebufferTagIsNoTextMode()
        {
            Assert.Null(VgaTextDisplay.TryCreate(null, out string? reason));
            Assert.Equal("the boot loader described no display", reason);
        }

        [Fact]
        public void AGraphicsFramebufferIsNotTextMode()
        {
            Assert.Null(VgaTextDisplay.TryCreate(new FramebufferInfo(0xFD000000, 4096, 1024, 768, 32, 1), out string? reason));
            Assert.Equal("framebuffer type 1 is not EGA text", reason);
        }

        [Theory]
        [InlineData(80u, 25u, 8, 160u)]      // not 16 bits a cell
        [InlineData(0u, 25u, 16, 0u)]        // no columns
        [InlineData(80u, 0u, 16, 160u)]      // no rows
        [InlineData(80u, 25u, 16, 200u)]     // rows not packed
        [InlineData(4000u, 25u, 16, 8000u)]  // nonsense width
        public void AnEgaTextTagOfNonsenseIsRefused(uint width, uint height, byte bitsPerCell, uint pitch)
        {
            Assert.Null(VgaTextDisplay.TryCreate(new FramebufferInfo(0xB8000, pitch, width, height, bitsPerCell, 2), out string? reason));
            Assert.Equal($"EGA text {width}x{height}, {bitsPerCell} bits a cell, pitch {pitch} is not a text mode this console can use", reason);
        }
    }
}
