using System;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>Arrays: multi-dimensional, jagged, covariance checks, bounds checks and the Array helpers.</summary>
    internal static class ArrayChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("array.two-dimensional", TwoDimensional);
            tests.Add("array.three-dimensional", ThreeDimensional);
            tests.Add("array.jagged", Jagged);
            tests.Add("array.covariant-store-throws-array-type-mismatch", CovariantStoreThrows);
            tests.Add("array.out-of-bounds-throws-index-out-of-range", OutOfBoundsThrows);
            tests.Add("array.multi-dimensional-out-of-bounds-throws", MultiDimensionalOutOfBoundsThrows);
            tests.Add("array.sort-search-reverse-resize", SortSearchReverseResize);
            tests.Add("array.copy-overlapping-and-clone", CopyOverlappingAndClone);
        }

        private static void TwoDimensional()
        {
            int rows = Opaque.Value(3), columns = Opaque.Value(4);
            int[,] grid = new int[rows, columns];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    grid[r, c] = (r * 10) + c;
                }
            }

            Assert.Equal(2, grid.Rank, "Rank");
            Assert.Equal(12, grid.Length, "Length");
            Assert.Equal(3, grid.GetLength(0), "GetLength(0)");
            Assert.Equal(4, grid.GetLength(1), "GetLength(1)");
            Assert.Equal(23, grid[2, 3], "grid[2, 3]");
            Assert.Equal(10, grid[1, 0], "grid[1, 0]");
            int sum = 0;
            foreach (int value in grid)
            {
                sum += value;
            }

            Assert.Equal(138, sum, "sum over foreach");
            string[,] names = { { "a", "b" }, { "c", "d" } };
            Assert.Equal("c", names[Opaque.Value(1), 0], "initialised string[,]");
        }

        private static void ThreeDimensional()
        {
            var cube = new long[2, 3, 4];
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    for (int k = 0; k < 4; k++)
                    {
                        cube[i, j, k] = (i * 100) + (j * 10) + k;
                    }
                }
            }

            Assert.Equal(3, cube.Rank, "Rank");
            Assert.Equal(24, cube.Length, "Length");
            Assert.Equal(123L, cube[Opaque.Value(1), 2, 3], "cube[1, 2, 3]");
            Assert.Equal(4, cube.GetUpperBound(2) + 1, "GetUpperBound(2) + 1");
        }

        private static void Jagged()
        {
            int[][] triangle = new int[5][];
            for (int row = 0; row < triangle.Length; row++)
            {
                triangle[row] = new int[row + 1];
                triangle[row][0] = triangle[row][row] = 1;
                for (int column = 1; column < row; column++)
                {
                    triangle[row][column] = triangle[row - 1][column - 1] + triangle[row - 1][column];
                }
            }

            Assert.SequenceEqual(new[] { 1, 4, 6, 4, 1 }, triangle[4], "row 4 of Pascal's triangle");
            Assert.Equal(3, triangle[2].Length, "length of row 2");
        }

        private static void CovariantStoreThrows()
        {
            object[] objects = Opaque.Value<object[]>(new string[2]);
            objects[0] = "fine";
            Assert.Throws<ArrayTypeMismatchException>(() => objects[1] = new object(), "storing an object into a string[] seen as object[]");
            Assert.Throws<ArrayTypeMismatchException>(() => objects[1] = Opaque.Value<object>(42), "storing a boxed int into a string[]");
            objects[1] = null!;
            Assert.Null(objects[1], "storing null is always allowed");
            Assert.Equal("fine", objects[0], "the element stored before");
            object[,] grid = Opaque.Value<object[,]>(new string[2, 2]);
            Assert.Throws<ArrayTypeMismatchException>(() => grid[1, 1] = new object(), "storing an object into a string[,] seen as object[,]");
            grid[0, 1] = "fine";
            Assert.Equal("fine", grid[0, 1], "a compatible store into the multi-dimensional array");
        }

        private static void OutOfBoundsThrows()
        {
            int[] array = new int[Opaque.Value(4)];
            int four = Opaque.Value(4), minusOne = Opaque.Value(-1);
            Assert.Throws<IndexOutOfRangeException>(() => Opaque.Value(array[four]), "read array[4] of 4");
            Assert.Throws<IndexOutOfRangeException>(() => array[four] = 1, "write array[4] of 4");
            Assert.Throws<IndexOutOfRangeException>(() => Opaque.Value(array[minusOne]), "read array[-1]");
            string text = Opaque.Value("abc");
            Assert.Throws<IndexOutOfRangeException>(() => Opaque.Value(text[four]), "string indexer past the end");
        }

        private static void MultiDimensionalOutOfBoundsThrows()
        {
            var grid = new int[2, 3];
            int three = Opaque.Value(3), two = Opaque.Value(2);
            Assert.Throws<IndexOutOfRangeException>(() => Opaque.Value(grid[0, three]), "grid[0, 3] of [2, 3]");
            Assert.Throws<IndexOutOfRangeException>(() => grid[two, 0] = 5, "grid[2, 0] of [2, 3]");
        }

        private static void SortSearchReverseResize()
        {
            int[] values = { 5, 3, 9, 1, 7, 3 };
            Array.Sort(values);
            Assert.SequenceEqual(new[] { 1, 3, 3, 5, 7, 9 }, values, "Array.Sort");
            Assert.Equal(4, Array.BinarySearch(values, 7), "BinarySearch(7)");
            Assert.True(Array.BinarySearch(values, 4) < 0, "BinarySearch(4) is negative");
            Array.Reverse(values);
            Assert.SequenceEqual(new[] { 9, 7, 5, 3, 3, 1 }, values, "Array.Reverse");
            Array.Resize(ref values, 8);
            Assert.SequenceEqual(new[] { 9, 7, 5, 3, 3, 1, 0, 0 }, values, "Array.Resize");
            Assert.Equal(2, Array.IndexOf(values, 5), "Array.IndexOf");
            string[] words = { "pear", "apple", "fig" };
            Array.Sort(words, (a, b) => a.Length.CompareTo(b.Length));
            Assert.SequenceEqual(new[] { "fig", "pear", "apple" }, words, "Array.Sort with a Comparison");
        }

        private static void CopyOverlappingAndClone()
        {
            int[] values = { 0, 1, 2, 3, 4, 5, 6, 7 };
            Array.Copy(values, 0, values, 2, 5);
            Assert.SequenceEqual(new[] { 0, 1, 0, 1, 2, 3, 4, 7 }, values, "overlapping Array.Copy forward");
            Array.Copy(values, 3, values, 1, 4);
            Assert.SequenceEqual(new[] { 0, 1, 2, 3, 4, 3, 4, 7 }, values, "overlapping Array.Copy backward");
            int[] clone = (int[])values.Clone();
            clone[0] = 99;
            Assert.Equal(0, values[0], "Clone is a copy");
            Assert.Equal(99, clone[0], "the clone changed");
            object[] objects = { "a", 1, null! };
            object[] objectsClone = (object[])objects.Clone();
            Assert.Same(objects[0], objectsClone[0], "Clone is shallow");
        }
    }
}
