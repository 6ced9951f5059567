using Cosmos.Drivers.VirtIO.Queue;
using Xunit;

namespace Cosmos.Drivers.Tests
{
    public class VirtqueueMathTests
    {
        [Theory]
        [InlineData(10, 11, 10, true)]      // the entry at 10 was written
        [InlineData(10, 10, 9, false)]      // not yet
        [InlineData(10, 15, 8, true)]       // passed within a batch
        [InlineData(10, 15, 11, false)]     // passed before old: already signalled
        [InlineData(65535, 0, 65535, true)] // wraps: the entry at 65535 was written
        [InlineData(65535, 2, 65530, true)]
        [InlineData(0, 1, 65535, true)]
        [InlineData(1, 1, 65535, false)]
        [InlineData(65534, 65534, 65534, false)] // nothing new
        public void NeedEventIsWrapSafe(int eventIndex, int newIndex, int oldIndex, bool expected)
        {
            Assert.Equal(expected, VirtqueueMath.NeedEvent((ushort)eventIndex, (ushort)newIndex, (ushort)oldIndex));
        }

        [Fact]
        public void NeedEventMatchesAnUnwrappedModelAcrossTheWrap()
        {
            // Interpreting indices as 32-bit counters near the wrap, need_event is "old <= event < new".
            for (int baseIndex = 65530; baseIndex < 65545; baseIndex++)
            {
                for (int batch = 0; batch < 6; batch++)
                {
                    for (int eventAhead = -3; eventAhead < 8; eventAhead++)
                    {
                        int old = baseIndex;
                        int now = baseIndex + batch;
                        int eventIndex = baseIndex + eventAhead;
                        bool expected = eventIndex >= old && eventIndex < now;
                        Assert.Equal(expected, VirtqueueMath.NeedEvent((ushort)eventIndex, (ushort)now, (ushort)old));
                    }
                }
            }
        }

        [Theory]
        [InlineData(256, 1024, 256)]
        [InlineData(1000, 1024, 512)]
        [InlineData(256, 100, 64)]
        [InlineData(256, 256, 256)]
        [InlineData(1, 256, 1)]
        [InlineData(256, 0, 0)]
        [InlineData(65536, 65535, 32768)]
        public void ClampsToAPowerOfTwoWithinTheDeviceMaximum(int preferred, int deviceMaximum, int expected)
        {
            Assert.Equal(expected, VirtqueueMath.ClampQueueSize(preferred, deviceMaximum));
        }
    }
}
