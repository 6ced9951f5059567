using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cosmos.Core.Memory;
using Cosmos.TestKit;

namespace GcTests
{
    /// <summary>Allocating many times the heap, keeping a live set through churn, and running out of memory.</summary>
    internal static class PressureChecks
    {
        public static void Add(TestRunner tests)
        {
            tests.Add("gc.allocating-20-heaps-of-arrays-survives", () =>
            {
                ulong target = GcHeap.TotalBytes * 20;
                int before = GC.CollectionCount(0);
                ulong made = 0;
                long touched = 0;
                while (made < target)
                {
                    byte[] chunk = new byte[256 * 1024];
                    chunk[0] = 1;
                    chunk[^1] = 2;
                    touched += chunk[0] + chunk[^1];
                    made += (ulong)chunk.Length;
                }

                Assert.True(touched > 0, "the arrays were written");
                Assert.True(GC.CollectionCount(0) - before >= 10, $"{GC.CollectionCount(0) - before} collections for 20 heaps of arrays");
            });

            tests.Add("gc.allocating-a-heap-of-small-objects-survives", () =>
            {
                ulong target = GcHeap.TotalBytes;
                ulong made = 0;
                Node? last = null;
                while (made < target)
                {
                    last = new Node((long)made, null);
                    made += 96;
                }

                Assert.NotNull(last, "the last node");
            });

            tests.Add("gc.live-window-survives-churn", () =>
            {
                var window = new Node[1000];
                long[] sums = new long[window.Length];
                ulong target = GcHeap.TotalBytes * 2;
                ulong made = 0;
                int i = 0;
                while (made < target)
                {
                    int slot = i % window.Length;
                    window[slot] = Shapes.MakeList(20, i);
                    sums[slot] = Shapes.Checksum(window[slot]);
                    byte[] junk = new byte[(i % 7) * 3000 + 100];
                    made += (ulong)junk.Length + 2000;
                    i++;
                }

                for (int slot = 0; slot < window.Length; slot++)
                {
                    Assert.Equal(sums[slot], Shapes.Checksum(window[slot]), $"list {slot} of the live window");
                }
            });

            tests.Add("gc.huge-array-throws-out-of-memory", () =>
            {
                long length = (long)GcHeap.TotalBytes * 2;
                Assert.Throws<OutOfMemoryException>(() => GC.KeepAlive(new byte[(int)Math.Min(length, int.MaxValue - 64)]), "an array twice the heap");
            });

            tests.Add("gc.filling-the-heap-with-live-data-throws-then-recovers", () =>
            {
                var kept = new List<byte[]>();
                bool threw = false;
                try
                {
                    while (true)
                    {
                        kept.Add(new byte[1024 * 1024]);
                    }
                }
                catch (OutOfMemoryException)
                {
                    threw = true;
                }

                int count = kept.Count;
                kept = null!;
                GC.Collect();
                byte[] after = new byte[1024 * 1024];
                after[^1] = 9;
                Assert.True(threw && count > 10, $"OutOfMemoryException after {count} live megabytes");
                Assert.Equal((byte)9, after[^1], "an allocation after the live data was dropped");
            });

            tests.Add("gc.string-churn-keeps-memory-steady", () =>
            {
                long baseline = Shapes.Live();
                for (int round = 0; round < 200; round++)
                {
                    var builder = new StringBuilder();
                    for (int i = 0; i < 200; i++)
                    {
                        builder.Append("line ").Append(i).Append('\n');
                    }

                    GC.KeepAlive(builder.ToString().Split('\n'));
                }

                long after = Shapes.Live();
                Assert.True(after <= baseline + (baseline / 10) + 65536, $"live bytes {after} after string churn (baseline {baseline})");
            });

            tests.Add("gc.collection-churn-keeps-results", () =>
            {
                long total = 0;
                for (int round = 0; round < 100; round++)
                {
                    var list = new List<int>();
                    for (int i = 0; i < 2000; i++)
                    {
                        list.Add(i);
                    }

                    total += list.Where(x => x % 3 == 0).Select(x => (long)x).Sum();
                    var set = new HashSet<string>(list.Select(x => x.ToString()));
                    total += set.Count;
                }

                Assert.Equal(100L * (666_333 + 2000), total, "sums over 100 rounds of list, LINQ and set churn");
            });

            tests.Add("gc.heap-reports-its-size", () =>
            {
                Assert.True(GcHeap.TotalBytes > 16UL * 1024 * 1024, $"heap of {GcHeap.TotalBytes} bytes");
                Assert.True(GcHeap.FreeBytes < GcHeap.TotalBytes, "some of the heap is in use");
            });
        }
    }
}
