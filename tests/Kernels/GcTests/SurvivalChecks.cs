using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Cosmos.TestKit;

namespace GcTests
{
    /// <summary>Objects reachable in every way a program can reach them survive collections unchanged.</summary>
    internal static class SurvivalChecks
    {
        private const long ChurnBytes = 12L * 1024 * 1024;

        private static Node? s_staticList;
        private static readonly object[] s_preinitialized = { "frozen-a", "frozen-b" };

        public static void Add(TestRunner tests)
        {
            tests.Add("gc.collect-counts-collections", () =>
            {
                int before = GC.CollectionCount(0);
                GC.Collect();
                GC.Collect();
                Assert.Equal(before + 2, GC.CollectionCount(0), "GC.CollectionCount after two GC.Collect()");
            });

            tests.Add("gc.local-survives", () =>
            {
                Node list = Shapes.MakeList(2000, 1);
                long expected = Shapes.Checksum(list);
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.Equal(expected, Shapes.Checksum(list), "checksum of a list held by a local");
            });

            tests.Add("gc.static-survives", () =>
            {
                s_staticList = Shapes.MakeList(2000, 2);
                long expected = Shapes.Checksum(s_staticList);
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.Equal(expected, Shapes.Checksum(s_staticList), "checksum of a list held by a static");
            });

            tests.Add("gc.interior-pointer-keeps-its-array", () =>
            {
                ref int element = ref ElementOfFreshArray();
                for (int i = 0; i < 3; i++)
                {
                    Shapes.Garbage(ChurnBytes);
                    GC.Collect();
                    Overwriter();
                }

                Assert.Equal(1500, element, "the element a ref points at");
                Assert.Equal(1503, Unsafe.Add(ref element, 1), "its neighbour");
            });

            tests.Add("gc.handle-keeps-object", () =>
            {
                GCHandle handle = GCHandle.Alloc(Shapes.MakeList(500, 3));
                long expected = Shapes.Checksum((Node)handle.Target!);
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.Equal(expected, Shapes.Checksum((Node)handle.Target!), "checksum through a normal handle");
                handle.Free();
            });

            tests.Add("gc.pinned-object-does-not-move", () =>
            {
                byte[] data = new byte[4096];
                data[100] = 42;
                GCHandle handle = GCHandle.Alloc(data, GCHandleType.Pinned);
                nint before = handle.AddrOfPinnedObject();
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.Equal(before, handle.AddrOfPinnedObject(), "the pinned array's address");
                Assert.Equal((byte)42, data[100], "its content");
                handle.Free();
            });

            tests.Add("gc.boxed-value-survives", () =>
            {
                object boxed = 1234567890123L;
                object boxedStruct = new KeyValuePair<int, string>(7, "seven");
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.Equal(1234567890123L, (long)boxed, "a boxed long");
                Assert.Equal("seven", ((KeyValuePair<int, string>)boxedStruct).Value, "a boxed struct's reference field");
            });

            tests.Add("gc.array-of-structs-with-references-survives", () =>
            {
                var pairs = new Pair[1000];
                for (int i = 0; i < pairs.Length; i++)
                {
                    pairs[i] = new Pair(new Node(i, null), i * 3, "s" + i);
                }

                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                for (int i = 0; i < pairs.Length; i++)
                {
                    Assert.True(pairs[i].First.Value == i && pairs[i].Number == i * 3 && pairs[i].Second == "s" + i, $"pair {i} intact");
                }
            });

            tests.Add("gc.array-of-references-survives", () =>
            {
                var strings = new string[3000];
                for (int i = 0; i < strings.Length; i++)
                {
                    strings[i] = "item-" + i;
                }

                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                for (int i = 0; i < strings.Length; i++)
                {
                    Assert.Equal("item-" + i, strings[i], $"string {i}");
                }
            });

            tests.Add("gc.dictionary-survives-churn", () =>
            {
                var map = new Dictionary<int, string>();
                for (int i = 0; i < 5000; i++)
                {
                    map[i] = (i * 7).ToString();
                }

                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                for (int i = 0; i < 5000; i++)
                {
                    Assert.Equal((i * 7).ToString(), map[i], $"entry {i}");
                }
            });

            tests.Add("gc.deep-stack-keeps-every-frames-objects", () =>
            {
                Assert.Equal(200L, DeepFrames(200), "frames whose node survived a collection at the bottom");
            });

            tests.Add("gc.collection-inside-catch-keeps-the-exception", () =>
            {
                try
                {
                    throw new InvalidOperationException("kept " + 42);
                }
                catch (InvalidOperationException error)
                {
                    Shapes.Garbage(ChurnBytes);
                    GC.Collect();
                    Overwriter();
                    Assert.Equal("kept 42", error.Message, "the caught exception's message");
                }
            });

            tests.Add("gc.collection-inside-finally-keeps-locals", () =>
            {
                Node list = Shapes.MakeList(300, 4);
                long expected = Shapes.Checksum(list);
                long seen = 0;
                try
                {
                    seen = 1;
                }
                finally
                {
                    Shapes.Garbage(ChurnBytes);
                    GC.Collect();
                    seen = Shapes.Checksum(list);
                }

                Assert.Equal(expected, seen, "checksum computed in a finally block after a collection");
            });

            tests.Add("gc.closure-keeps-captured-objects", () =>
            {
                Func<long> sum = MakeClosure();
                long expected = sum();
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                Assert.Equal(expected, sum(), "a closure's captured list");
            });

            tests.Add("gc.interface-typed-local-survives", () =>
            {
                IEnumerable<int> numbers = Enumerable.Range(0, 1000).ToList();
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                Assert.Equal(499500, numbers.Sum(), "sum through an interface-typed local");
            });

            tests.Add("gc.span-over-array-survives", () =>
            {
                Span<int> span = new int[1000];
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = i * 2;
                }

                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                Assert.Equal(1998, span[999], "last element of a span over a heap array");
                Assert.Equal(1000, span[500], "middle element");
            });

            tests.Add("gc.large-object-survives", () =>
            {
                byte[] large = new byte[300_000];
                for (int i = 0; i < large.Length; i += 1000)
                {
                    large[i] = (byte)(i / 1000);
                }

                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                for (int i = 0; i < large.Length; i += 1000)
                {
                    Assert.Equal((byte)(i / 1000), large[i], $"byte {i} of a 300 KB array");
                }
            });

            tests.Add("gc.built-strings-survive", () =>
            {
                var builder = new StringBuilder();
                for (int i = 0; i < 500; i++)
                {
                    builder.Append(i).Append(',');
                }

                string text = builder.ToString();
                int length = text.Length;
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                Assert.Equal(length, text.Length, "length of a built string");
                Assert.True(text.StartsWith("0,1,2,", StringComparison.Ordinal) && text.EndsWith("499,", StringComparison.Ordinal), "its content");
            });

            tests.Add("gc.preinitialized-static-array-holds-heap-object", () =>
            {
                s_preinitialized[0] = Shapes.MakeList(100, 5);
                long expected = Shapes.Checksum((Node)s_preinitialized[0]);
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                Assert.Equal(expected, Shapes.Checksum((Node)s_preinitialized[0]), "a heap list stored in a preinitialized static array");
                Assert.Equal("frozen-b", (string)s_preinitialized[1], "the array's other element");
            });

            tests.Add("gc.conditional-weak-table-keeps-value-while-key-lives", () =>
            {
                var table = new ConditionalWeakTable<object, Node>();
                object key = new object();
                table.Add(key, Shapes.MakeList(50, 6));
                long expected = Shapes.Checksum(table.TryGetValue(key, out Node? value) ? value : null);
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.True(table.TryGetValue(key, out Node? after), "the entry of a live key");
                Assert.Equal(expected, Shapes.Checksum(after), "its value's checksum");
                GC.KeepAlive(key);
            });

            tests.Add("gc.weak-reference-to-live-object-stays", () =>
            {
                Node list = Shapes.MakeList(10, 7);
                var weak = new WeakReference<Node>(list);
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Assert.True(weak.TryGetTarget(out Node? target) && ReferenceEquals(target, list), "the weak reference still gives the live list");
                GC.KeepAlive(list);
            });
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ref int ElementOfFreshArray()
        {
            int[] array = new int[1000];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = i * 3;
            }

            return ref array[500];
        }

        // Allocates and fills arrays so that memory a wrong collection freed would be overwritten.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Overwriter()
        {
            for (int i = 0; i < 200; i++)
            {
                int[] fill = new int[(i % 50) + 1];
                fill.AsSpan().Fill(-1);
                byte[] bytes = new byte[(i * 37 % 4000) + 1];
                bytes.AsSpan().Fill(0xEE);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long DeepFrames(int depth)
        {
            var node = new Node(depth * 1000L, null);
            string label = "frame " + depth;
            long below;
            if (depth == 1)
            {
                Shapes.Garbage(ChurnBytes);
                GC.Collect();
                Overwriter();
                below = 0;
            }
            else
            {
                below = DeepFrames(depth - 1);
            }

            bool intact = node.Value == depth * 1000L && node.Payload[0] == (byte)node.Value && label == "frame " + depth;
            return below + (intact ? 1 : 0);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Func<long> MakeClosure()
        {
            Node list = Shapes.MakeList(400, 8);
            return () => Shapes.Checksum(list);
        }

        private readonly struct Pair
        {
            public Pair(Node first, long number, string second)
            {
                First = first;
                Number = number;
                Second = second;
            }

            public Node First { get; }

            public long Number { get; }

            public string Second { get; }
        }
    }
}
