using Cosmos.System.Network;
using Xunit;

namespace Cosmos.System.Tests.Network
{
    /// <summary>The RTO estimator (RFC 6298) and NewReno congestion control (RFC 5681, RFC 6582) on their own.</summary>
    public class TcpAlgorithmTests
    {
        [Fact]
        public void RtoFollowsRfc6298()
        {
            var rtt = new TcpRttEstimator(initial: 1000, minimum: 200, maximum: 60_000);
            Assert.Equal(1000, rtt.Rto);
            rtt.Sample(100);   // SRTT 100, RTTVAR 50, RTO 100 + 4*50
            Assert.Equal(100, rtt.SmoothedRtt);
            Assert.Equal(50, rtt.RttVariation);
            Assert.Equal(300, rtt.Rto);
            rtt.Sample(200);   // RTTVAR 3/4*50 + 1/4*100 = 62.5, SRTT 7/8*100 + 1/8*200 = 112.5
            Assert.Equal(112, rtt.SmoothedRtt);
            Assert.Equal(362, rtt.Rto);
            rtt.Backoff();
            rtt.Backoff();
            Assert.Equal(1448, rtt.Rto);
            for (int i = 0; i < 10; i++)
            {
                rtt.Backoff();
            }

            Assert.Equal(60_000, rtt.Rto);
            rtt.Sample(10);   // a fresh sample ends the backoff; the floor applies
            Assert.True(rtt.Rto >= 200 && rtt.Rto < 1000);
        }

        [Fact]
        public void NewRenoRecoversFromOneLossWithoutTimeout()
        {
            const int mss = 1000;
            var cc = new TcpCongestionControl(mss, 0);
            Assert.Equal(4000, cc.Window);   // RFC 5681 IW for a 1000-byte MSS
            for (int i = 0; i < 16; i++)
            {
                cc.OnNewAck(mss, (uint)(1 + (i + 1) * mss), 10 * mss);
            }

            Assert.Equal(20_000, cc.Window);   // slow start: one MSS per acknowledged MSS
            uint una = 17_001;
            uint highest = una + 20_000;
            Assert.False(cc.OnDuplicateAck(una, 20_000, highest));
            Assert.False(cc.OnDuplicateAck(una, 20_000, highest));
            Assert.True(cc.OnDuplicateAck(una, 20_000, highest));
            Assert.True(cc.InRecovery);
            Assert.Equal(10_000, cc.SlowStartThreshold);
            Assert.Equal(13_000, cc.Window);   // ssthresh + 3 MSS
            Assert.False(cc.OnDuplicateAck(una, 20_000, highest));
            Assert.Equal(14_000, cc.Window);   // inflation

            // A partial acknowledgement: retransmit the next hole, deflate.
            Assert.True(cc.OnNewAck(5 * mss, una + 5 * mss, 15_000));
            Assert.Equal(10_000, cc.Window);   // 14000 - 5000 + 1000
            Assert.True(cc.InRecovery);
            // The full acknowledgement ends recovery at ssthresh or below.
            Assert.False(cc.OnNewAck(15 * mss, highest, 0));
            Assert.False(cc.InRecovery);
            Assert.Equal(2_000, cc.Window);   // min(ssthresh, max(flight, MSS) + MSS)

            cc.OnTimeout(8_000, highest + 8_000);
            Assert.Equal(mss, cc.Window);
            Assert.Equal(4_000, cc.SlowStartThreshold);
            // Duplicates for data sent before the timeout do not start another fast retransmit (RFC 6582 §3.2 (2)).
            for (int i = 0; i < 3; i++)
            {
                Assert.False(cc.OnDuplicateAck(highest, 8_000, highest + 8_000));
            }
        }
    }
}
