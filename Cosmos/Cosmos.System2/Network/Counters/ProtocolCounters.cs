using System;

namespace Cosmos.System.Network
{
    /// <summary>Packets and bytes in each direction and drops by reason, for one interface or one protocol.</summary>
    public class ProtocolCounters
    {
        private readonly long[] _drops = new long[DropReasonCount];

        /// <summary>How many values <see cref="NetworkDropReason"/> has.</summary>
        public const int DropReasonCount = (int)NetworkDropReason.Unacceptable + 1;

        /// <summary>Creates counters labelled <paramref name="name"/> ("eth0", "tcp").</summary>
        public ProtocolCounters(string name)
        {
            Name = name;
        }

        /// <summary>The label ifconfig and netstat print.</summary>
        public string Name { get; }

        /// <summary>Frames or packets accepted.</summary>
        public long PacketsIn { get; private set; }

        /// <summary>Frames or packets sent.</summary>
        public long PacketsOut { get; private set; }

        /// <summary>Bytes accepted.</summary>
        public long BytesIn { get; private set; }

        /// <summary>Bytes sent.</summary>
        public long BytesOut { get; private set; }

        /// <summary>Drops for every reason together.</summary>
        public long TotalDrops
        {
            get
            {
                long total = 0;
                foreach (long count in _drops)
                {
                    total += count;
                }

                return total;
            }
        }

        /// <summary>Drops for one reason.</summary>
        public long Drops(NetworkDropReason reason) => _drops[(int)reason];

        /// <summary>The short name of a reason, for listings (no reflection needed).</summary>
        public static string ReasonName(NetworkDropReason reason) => reason switch
        {
            NetworkDropReason.BadChecksum => "bad-checksum",
            NetworkDropReason.Truncated => "truncated",
            NetworkDropReason.BadLength => "bad-length",
            NetworkDropReason.BadHeader => "bad-header",
            NetworkDropReason.UnknownProtocol => "unknown-protocol",
            NetworkDropReason.NotForUs => "not-for-us",
            NetworkDropReason.NoSocket => "no-socket",
            NetworkDropReason.QueueFull => "queue-full",
            NetworkDropReason.NoRoute => "no-route",
            NetworkDropReason.Unresolved => "unresolved",
            NetworkDropReason.TransmitFailed => "transmit-failed",
            NetworkDropReason.FragmentOverlap => "fragment-overlap",
            NetworkDropReason.ReassemblyTimeout => "reassembly-timeout",
            NetworkDropReason.ReassemblyLimit => "reassembly-limit",
            NetworkDropReason.FragmentationNeeded => "fragmentation-needed",
            NetworkDropReason.BadSourceAddress => "bad-source",
            NetworkDropReason.Unsolicited => "unsolicited",
            NetworkDropReason.Unacceptable => "unacceptable",
            _ => "reason-" + ((int)reason).ToString(),
        };

        /// <summary>One line per non-zero drop reason, for ifconfig ("  bad-checksum 3").</summary>
        public string DescribeDrops()
        {
            var text = new global::System.Text.StringBuilder();
            for (int i = 0; i < _drops.Length; i++)
            {
                if (_drops[i] != 0)
                {
                    text.Append("  ").Append(ReasonName((NetworkDropReason)i)).Append(' ').Append(_drops[i]).Append('\n');
                }
            }

            return text.ToString();
        }

        internal void CountIn(int bytes)
        {
            PacketsIn++;
            BytesIn += bytes;
        }

        internal void CountOut(int bytes)
        {
            PacketsOut++;
            BytesOut += bytes;
        }

        internal void Drop(NetworkDropReason reason) => _drops[(int)reason]++;
    }
}
