using System;
using System.Collections.Generic;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>List, Dictionary, HashSet, Queue, Stack, SortedDictionary and LinkedList.</summary>
    internal static class CollectionChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("list.add-insert-remove", ListAddInsertRemove);
            tests.Add("list.sort-search-and-structs", ListSortSearchAndStructs);
            tests.Add("list.modified-during-enumeration-throws", ListModifiedDuringEnumerationThrows);
            tests.Add("dictionary.thousand-entries", DictionaryThousandEntries);
            tests.Add("dictionary.errors", DictionaryErrors);
            tests.Add("dictionary.comparers-and-struct-keys", DictionaryComparersAndStructKeys);
            tests.Add("hashset.set-operations", HashSetOperations);
            tests.Add("collections.queue-stack-sorted-linked", QueueStackSortedLinked);
        }

        private readonly record struct Coordinate(int X, int Y);

        private static void ListAddInsertRemove()
        {
            var list = new List<int>();
            for (int i = 0; i < 100; i++)
            {
                list.Add(i);
            }

            list.Insert(0, -1);
            list.RemoveAt(list.Count - 1);
            list.Remove(50);
            list.RemoveAll(x => x % 10 == 5);
            Assert.Equal(89, list.Count, "Count");
            Assert.Equal(-1, list[0], "first");
            Assert.Equal(98, list[^1], "last");
            Assert.False(list.Contains(45), "45 was removed");
            Assert.Equal(37, list.IndexOf(40), "IndexOf(40)");
            list.AddRange(new[] { 7, 8 });
            Assert.Equal(91, list.Count, "after AddRange");
            Assert.SequenceEqual(new[] { 2, 3, 4 }, list.GetRange(3, 3), "GetRange");
            list.Clear();
            Assert.Equal(0, list.Count, "after Clear");
        }

        private static void ListSortSearchAndStructs()
        {
            var names = new List<string> { "delta", "alpha", "charlie", "bravo" };
            names.Sort(StringComparer.Ordinal);
            Assert.SequenceEqual(new[] { "alpha", "bravo", "charlie", "delta" }, names, "Sort");
            Assert.Equal(2, names.BinarySearch("charlie", StringComparer.Ordinal), "BinarySearch");
            names.Sort((a, b) => b.Length != a.Length ? b.Length.CompareTo(a.Length) : string.CompareOrdinal(a, b));
            Assert.Equal("charlie", names[0], "Sort by a Comparison");
            var points = new List<Coordinate> { new(3, 1), new(1, 2), new(2, 0) };
            points.Sort((a, b) => a.X.CompareTo(b.X));
            Assert.Equal(new Coordinate(1, 2), points[0], "sorted structs");
            Assert.True(points.Contains(new Coordinate(2, 0)), "Contains a struct by value");
            points.Reverse();
            Assert.Equal(3, points[0].X, "Reverse");
        }

        private static void ListModifiedDuringEnumerationThrows()
        {
            var list = new List<int> { 1, 2, 3 };
            Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (int value in list)
                {
                    if (value == 2)
                    {
                        list.Add(4);
                    }
                }
            }, "adding while enumerating");
            Assert.Throws<ArgumentOutOfRangeException>(() => Opaque.Value(list[Opaque.Value(10)]), "List indexer out of range");
        }

        private static void DictionaryThousandEntries()
        {
            var squares = new Dictionary<int, string>();
            for (int i = 0; i < 1000; i++)
            {
                squares[i] = (i * i).ToString();
            }

            Assert.Equal(1000, squares.Count, "Count");
            Assert.Equal("998001", squares[999], "squares[999]");
            Assert.True(squares.TryGetValue(12, out string? twelve) && twelve == "144", "TryGetValue(12)");
            Assert.False(squares.TryGetValue(1000, out _), "TryGetValue(1000)");
            for (int i = 0; i < 1000; i += 2)
            {
                squares.Remove(i);
            }

            Assert.Equal(500, squares.Count, "Count after removing even keys");
            Assert.False(squares.ContainsKey(500), "500 removed");
            Assert.True(squares.ContainsKey(501), "501 kept");
            long keySum = 0;
            foreach (KeyValuePair<int, string> pair in squares)
            {
                keySum += pair.Key;
            }

            Assert.Equal(250000L, keySum, "sum of the odd keys below 1000");
        }

        private static void DictionaryErrors()
        {
            var map = new Dictionary<string, int> { ["one"] = 1 };
            Assert.Throws<ArgumentException>(() => map.Add("one", 2), "Add of a duplicate key");
            KeyNotFoundException missing = Assert.Throws<KeyNotFoundException>(() => Opaque.Value(map[Opaque.Value("two")]), "missing key");
            Assert.Contains("two", missing.Message, "the message names the key");
            Assert.Throws<ArgumentNullException>(() => map[null!] = 3, "null key");
        }

        private static void DictionaryComparersAndStructKeys()
        {
            var ignoringCase = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["Kernel"] = 1 };
            Assert.Equal(1, ignoringCase["KERNEL"], "OrdinalIgnoreCase lookup");
            ignoringCase["kernel"] = 2;
            Assert.Equal(1, ignoringCase.Count, "same key in another case replaces");
            var grid = new Dictionary<Coordinate, char>();
            for (int x = 0; x < 20; x++)
            {
                for (int y = 0; y < 20; y++)
                {
                    grid[new Coordinate(x, y)] = (char)('a' + ((x + y) % 26));
                }
            }

            Assert.Equal(400, grid.Count, "record struct keys");
            Assert.Equal('n', grid[new Coordinate(6, 7)], "lookup by an equal struct");
            var byType = new Dictionary<Type, string> { [typeof(int)] = "int", [typeof(string)] = "string" };
            Assert.Equal("string", byType[Opaque.Value("s").GetType()], "Type keys");
        }

        private static void HashSetOperations()
        {
            var evens = new HashSet<int> { 0, 2, 4, 6, 8 };
            var small = new HashSet<int> { 0, 1, 2, 3 };
            Assert.False(evens.Add(4), "adding a duplicate");
            var union = new HashSet<int>(evens);
            union.UnionWith(small);
            Assert.Equal(7, union.Count, "UnionWith");
            var intersection = new HashSet<int>(evens);
            intersection.IntersectWith(small);
            Assert.True(intersection.SetEquals(new[] { 0, 2 }), "IntersectWith");
            var difference = new HashSet<int>(evens);
            difference.ExceptWith(small);
            Assert.True(difference.SetEquals(new[] { 4, 6, 8 }), "ExceptWith");
            Assert.True(new HashSet<int> { 2, 4 }.IsSubsetOf(evens), "IsSubsetOf");
            var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Cosmos" };
            Assert.True(words.Contains("COSMOS"), "comparer-aware Contains");
        }

        private static void QueueStackSortedLinked()
        {
            var queue = new Queue<string>();
            queue.Enqueue("a");
            queue.Enqueue("b");
            queue.Enqueue("c");
            Assert.Equal("a", queue.Dequeue(), "Queue is first in, first out");
            var stack = new Stack<int>(new[] { 1, 2, 3 });
            Assert.Equal(3, stack.Pop(), "Stack is last in, first out");
            Assert.Equal(2, stack.Peek(), "Peek");
            Assert.Throws<InvalidOperationException>(() => new Stack<int>().Pop(), "Pop of an empty stack");
            var sorted = new SortedDictionary<string, int> { ["pear"] = 3, ["apple"] = 1, ["fig"] = 2 };
            Assert.SequenceEqual(new[] { "apple", "fig", "pear" }, sorted.Keys, "SortedDictionary keys in order");
            var linked = new LinkedList<int>(new[] { 1, 3 });
            linked.AddAfter(linked.First!, 2);
            linked.AddFirst(0);
            Assert.SequenceEqual(new[] { 0, 1, 2, 3 }, linked, "LinkedList");
            var priority = new PriorityQueue<string, int>();
            priority.Enqueue("low", 5);
            priority.Enqueue("high", 1);
            priority.Enqueue("mid", 3);
            Assert.Equal("high", priority.Dequeue(), "PriorityQueue");
        }
    }
}
