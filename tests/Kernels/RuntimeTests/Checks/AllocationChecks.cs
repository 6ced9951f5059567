using System;
using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Object, array and string allocation (RhpNewFast, RhpNewArrayFast, RhNewString, RhpNewFinalizable).</summary>
    internal static class AllocationChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("alloc.new-object-has-zeroed-fields", NewObjectHasZeroedFields);
            tests.Add("alloc.ten-thousand-linked-objects", TenThousandLinkedObjects);
            tests.Add("alloc.one-mebibyte-array", OneMebibyteArray);
            tests.Add("alloc.zero-length-arrays", ZeroLengthArrays);
            tests.Add("alloc.sixteen-mebibyte-array", SixteenMebibyteArray);
            tests.Add("alloc.impossible-size-throws-out-of-memory", ImpossibleSizeThrowsOutOfMemory);
            tests.Add("alloc.negative-array-length-throws-overflow", NegativeArrayLengthThrowsOverflow);
            tests.Add("alloc.strings-of-many-lengths", StringsOfManyLengths);
            tests.Add("alloc.finalizable-object", FinalizableObject);
            tests.Add("alloc.identity-hash-code-is-stable", IdentityHashCodeIsStable);
            tests.Add("alloc.structs-with-references-in-arrays", StructsWithReferencesInArrays);
        }

        private sealed class Fields
        {
            public int Int;
            public long Long;
            public double Double;
            public object? Reference;
            public Guid Guid;
            public bool Bool;
        }

        private sealed class Node
        {
            public Node? Next;
            public int Value;
            public string? Label;
        }

        private sealed class Finalizable
        {
            public int Value = 17;

            ~Finalizable()
            {
                Value = -1;
            }
        }

        private struct Pair
        {
            public string Name;
            public object Payload;
            public int Number;
        }

        private static void NewObjectHasZeroedFields()
        {
            // Allocate and drop garbage first, so a heap that hands out unzeroed memory would show it.
            for (int i = 0; i < 100; i++)
            {
                var dirty = new Fields { Int = -1, Long = -1, Double = -1, Reference = "x", Guid = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), Bool = true };
                Opaque.Value(dirty);
            }

            var fresh = new Fields();
            Assert.Equal(0, fresh.Int, "Int");
            Assert.Equal(0L, fresh.Long, "Long");
            Assert.BitEqual(0.0, fresh.Double, "Double");
            Assert.Null(fresh.Reference, "Reference");
            Assert.Equal(Guid.Empty, fresh.Guid, "Guid");
            Assert.False(fresh.Bool, "Bool");
        }

        private static void TenThousandLinkedObjects()
        {
            Node? head = null;
            for (int i = 0; i < 10000; i++)
            {
                head = new Node { Next = head, Value = i, Label = (i % 1000 == 0) ? "node " + i : null };
            }

            long sum = 0;
            int count = 0;
            string? lastLabel = null;
            for (Node? node = head; node != null; node = node.Next)
            {
                sum += node.Value;
                count++;
                lastLabel = node.Label ?? lastLabel;
            }

            Assert.Equal(10000, count, "nodes");
            Assert.Equal(49995000L, sum, "sum of values");
            Assert.Equal("node 0", lastLabel, "label of the first node");
        }

        private static void OneMebibyteArray()
        {
            byte[] big = new byte[Opaque.Value(1 << 20)];
            Assert.Equal(1 << 20, big.Length, "Length");
            for (int i = 0; i < big.Length; i += 4096)
            {
                if (big[i] != 0)
                {
                    Assert.Fail($"byte {i} of a new array is {big[i]}, expected 0");
                }
            }

            big[big.Length - 1] = 0xAB;
            Assert.Equal((byte)0xAB, big[(1 << 20) - 1], "last byte");
        }

        private static void SixteenMebibyteArray()
        {
            long[] big = new long[Opaque.Value(2 * 1024 * 1024)];
            big[0] = 1;
            big[big.Length / 2] = 2;
            big[^1] = 3;
            long sum = 0;
            for (int i = 0; i < big.Length; i += 1024)
            {
                sum += big[i];
            }

            Assert.Equal(6L, sum + big[^1], "1 and 2 among the sampled elements, 3 in the last, zeros elsewhere");
        }

        private static void ImpossibleSizeThrowsOutOfMemory()
        {
            // 32 GiB: more than the machine has, so the allocator must refuse rather than wrap or fault.
            Assert.Throws<OutOfMemoryException>(() => Opaque.Value(new decimal[Opaque.Value(int.MaxValue)]), "new decimal[int.MaxValue]");
            var after = new int[16];
            after[15] = 5;
            Assert.Equal(5, after[15], "allocation still works after a refused one");
        }

        private static void ZeroLengthArrays()
        {
            int[] empty = new int[Opaque.Value(0)];
            Assert.Equal(0, empty.Length, "new int[0].Length");
            Assert.Same(Array.Empty<string>(), Array.Empty<string>(), "Array.Empty<string>() twice");
            Assert.Equal(0, Array.Empty<object>().Length, "Array.Empty<object>().Length");
        }

        private static void NegativeArrayLengthThrowsOverflow()
        {
            int length = Opaque.Value(-1);
            Assert.Throws<OverflowException>(() => Opaque.Value(new int[length]), "new int[-1]");
        }

        private static void StringsOfManyLengths()
        {
            for (int length = 0; length < 300; length += 7)
            {
                string text = new string('q', length);
                Assert.Equal(length, text.Length, "length of new string('q', n)");
                if (length > 0 && (text[0] != 'q' || text[length - 1] != 'q'))
                {
                    Assert.Fail($"new string('q', {length}) does not hold 'q' at both ends");
                }
            }

            string joined = string.Concat("abc", Opaque.Value("def"), new string('g', 3));
            Assert.Equal("abcdefggg", joined);
        }

        private static void FinalizableObject()
        {
            var objects = new Finalizable[64];
            for (int i = 0; i < objects.Length; i++)
            {
                objects[i] = new Finalizable();
            }

            int total = 0;
            foreach (Finalizable f in objects)
            {
                total += f.Value;
            }

            Assert.Equal(64 * 17, total, "sum of fields set by the initialiser");
        }

        private static void IdentityHashCodeIsStable()
        {
            var first = new object();
            var second = new object();
            int hash = RuntimeHelpers.GetHashCode(first);
            Assert.Equal(hash, RuntimeHelpers.GetHashCode(first), "hash code asked twice");
            Assert.Equal(hash, first.GetHashCode(), "object.GetHashCode");
            Assert.True(ReferenceEquals(first, first), "ReferenceEquals(a, a)");
            Assert.False(ReferenceEquals(first, second), "ReferenceEquals(a, b)");
            int distinct = 0;
            var hashes = new System.Collections.Generic.HashSet<int>();
            for (int i = 0; i < 100; i++)
            {
                if (hashes.Add(RuntimeHelpers.GetHashCode(new object())))
                {
                    distinct++;
                }
            }

            Assert.True(distinct > 90, $"identity hash codes of 100 new objects are mostly distinct (got {distinct})");
        }

        private static void StructsWithReferencesInArrays()
        {
            var pairs = new Pair[100];
            for (int i = 0; i < pairs.Length; i++)
            {
                pairs[i] = new Pair { Name = "p" + i, Payload = new int[] { i }, Number = i * 2 };
            }

            Pair[] copy = new Pair[100];
            Array.Copy(pairs, copy, pairs.Length);
            Assert.Equal("p42", copy[42].Name, "Name after Array.Copy");
            Assert.Equal(42, ((int[])copy[42].Payload)[0], "Payload after Array.Copy");
            Assert.Equal(84, copy[42].Number, "Number after Array.Copy");
            Assert.Same(pairs[99].Payload, copy[99].Payload, "copied reference");
        }
    }
}
