using System;
using System.Runtime.CompilerServices;

namespace GcTests
{
    /// <summary>A node of a linked list whose checksum proves that every node and value is still intact.</summary>
    internal sealed class Node
    {
        public Node(long value, Node? next)
        {
            Value = value;
            Next = next;
            Payload = new byte[(int)(value % 61) + 1];
            Payload[0] = (byte)value;
        }

        public long Value { get; }

        public Node? Next { get; set; }

        public byte[] Payload { get; }
    }

    /// <summary>Helpers: lists with known checksums, garbage, and the heap's live size after a collection.</summary>
    internal static class Shapes
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static Node MakeList(int count, long seed)
        {
            Node? head = null;
            for (int i = 0; i < count; i++)
            {
                head = new Node((seed * 31) + i, head);
            }

            return head!;
        }

        public static long Checksum(Node? node)
        {
            long sum = 17;
            int count = 0;
            for (; node != null; node = node.Next)
            {
                if (node.Payload.Length != (int)(node.Value % 61) + 1 || node.Payload[0] != (byte)node.Value)
                {
                    return -1;
                }

                sum = (sum * 1_000_003) ^ node.Value;
                count++;
            }

            return sum ^ count;
        }

        /// <summary>Allocates about <paramref name="bytes"/> of objects that die at once, in several sizes.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static long Garbage(long bytes)
        {
            long made = 0, touched = 0;
            int round = 0;
            while (made < bytes)
            {
                int size = round % 4 == 0 ? 40_000 : 24 + (round % 200);
                byte[] junk = new byte[size];
                junk[size - 1] = (byte)round;
                touched += junk[size - 1];
                made += size + 24;
                string text = round.ToString();
                touched += text.Length;
                made += 32;
                round++;
            }

            return touched;
        }

        /// <summary>GC.GetTotalMemory after a collection: the bytes of live objects.</summary>
        public static long Live()
        {
            GC.Collect();
            return GC.GetTotalMemory(false);
        }
    }
}
