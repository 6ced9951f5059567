using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Span&lt;T&gt;, stackalloc (small and past a page), slicing, MemoryExtensions, MemoryMarshal.</summary>
    internal static class SpanChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("span.stackalloc-small", StackallocSmall);
            tests.Add("span.stackalloc-across-pages", StackallocAcrossPages);
            tests.Add("span.slicing-and-bounds", SlicingAndBounds);
            tests.Add("span.memory-extensions", MemoryExtensionsChecks);
            tests.Add("span.memory-marshal-and-binary-primitives", MemoryMarshalAndBinaryPrimitives);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int SumOfSquares(int count)
        {
            Span<int> values = stackalloc int[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = i * i;
            }

            int sum = 0;
            foreach (int value in values)
            {
                sum += value;
            }

            return sum;
        }

        // More than a page of stack: exercises the stack probe helper.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long TouchLargeStackBuffer(int byteCount)
        {
            Span<byte> buffer = stackalloc byte[byteCount];
            buffer.Fill(0x5A);
            buffer[0] = 1;
            buffer[byteCount - 1] = 2;
            long sum = 0;
            for (int i = 0; i < buffer.Length; i += 512)
            {
                sum += buffer[i];
            }

            return sum + buffer[byteCount - 1];
        }

        private static void StackallocSmall()
        {
            Assert.Equal(285, SumOfSquares(Opaque.Value(10)), "sum of squares below 10");
            Span<char> text = stackalloc char[5];
            "hello".AsSpan().CopyTo(text);
            text[0] = 'j';
            Assert.Equal("jello", text.ToString(), "stackalloc char span");
        }

        private static void StackallocAcrossPages()
        {
            int size = Opaque.Value(64 * 1024);
            // 128 sampled bytes: the first is 1, the other 127 are 0x5A; plus the last byte (2).
            Assert.Equal(1L + (127L * 0x5A) + 2L, TouchLargeStackBuffer(size), "sum over a 64 KiB stack buffer");
        }

        private static void SlicingAndBounds()
        {
            int[] array = { 0, 1, 2, 3, 4, 5, 6, 7 };
            Span<int> span = array.AsSpan(2, 4);
            Assert.Equal(4, span.Length, "Length of AsSpan(2, 4)");
            span[0] = 20;
            Assert.Equal(20, array[2], "a span writes through to its array");
            Span<int> tail = span[1..];
            Assert.SequenceEqual(new[] { 3, 4, 5 }, tail.ToArray(), "range slice");
            int four = Opaque.Value(4);
            Assert.Throws<IndexOutOfRangeException>(() =>
            {
                Span<int> s = array.AsSpan(2, 4);
                Opaque.Value(s[four]);
            }, "span indexer past the end");
            Assert.Throws<ArgumentOutOfRangeException>(() => array.AsSpan(6, four), "AsSpan past the end");
            ReadOnlySpan<char> word = Opaque.Value("kernel").AsSpan(1, 3);
            Assert.Equal("ern", word.ToString(), "string span");
        }

        private static void MemoryExtensionsChecks()
        {
            Span<int> values = new[] { 5, 3, 8, 1, 9, 2 };
            Assert.Equal(2, values.IndexOf(8), "IndexOf");
            Assert.True(values.Contains(9), "Contains");
            values.Sort();
            Assert.SequenceEqual(new[] { 1, 2, 3, 5, 8, 9 }, values.ToArray(), "Sort");
            values.Reverse();
            Assert.Equal(9, values[0], "Reverse");
            Assert.True("abcdef".AsSpan().StartsWith("abc"), "StartsWith");
            Assert.True(new byte[] { 1, 2, 3 }.AsSpan().SequenceEqual(new byte[] { 1, 2, 3 }), "SequenceEqual");
            Assert.Equal(3, "a,b,,c".AsSpan().Count(','), "Count");
            Span<byte> bytes = stackalloc byte[8];
            bytes.Fill(7);
            Assert.Equal(-1, bytes.IndexOfAnyExcept((byte)7), "Fill");
            Assert.Equal("  x", "x".PadLeft(3), "PadLeft");
        }

        private static void MemoryMarshalAndBinaryPrimitives()
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x11223344);
            BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], 0x11223344);
            Assert.Equal((byte)0x44, bytes[0], "little endian low byte first");
            Assert.Equal((byte)0x11, bytes[4], "big endian high byte first");
            Span<uint> words = MemoryMarshal.Cast<byte, uint>(bytes);
            Assert.Equal(2, words.Length, "Cast length");
            Assert.Equal(0x11223344u, words[0], "Cast reads the little endian word");
            Assert.Equal(0x44332211u, words[1], "Cast reads the big endian word swapped");
            Assert.Equal(0x44332211u, BinaryPrimitives.ReverseEndianness(0x11223344u), "ReverseEndianness");
            int value = 0x01020304;
            Span<byte> valueBytes = MemoryMarshal.AsBytes(new Span<int>(ref value));
            Assert.Equal((byte)4, valueBytes[0], "AsBytes of an int on little-endian x86");
        }
    }
}
