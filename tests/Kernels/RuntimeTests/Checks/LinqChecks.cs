using System;
using System.Collections.Generic;
using System.Linq;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>LINQ to objects: projection, ordering, grouping, joins, set operators, deferred execution.</summary>
    internal static class LinqChecks
    {
        public static void Register(TestRunner tests)
        {
            tests.Add("linq.where-select-aggregate", WhereSelectAggregate);
            tests.Add("linq.order-by-then-by", OrderByThenBy);
            tests.Add("linq.group-by-and-lookup", GroupByAndLookup);
            tests.Add("linq.join-zip-distinct", JoinZipDistinct);
            tests.Add("linq.element-operators-throw-when-empty", ElementOperatorsThrowWhenEmpty);
            tests.Add("linq.deferred-execution-and-iterators", DeferredExecutionAndIterators);
        }

        private sealed record Person(string Name, string City, int Age);

        private static readonly Person[] People =
        {
            new("Ada", "London", 36),
            new("Alan", "London", 41),
            new("Grace", "New York", 45),
            new("Linus", "Helsinki", 21),
            new("Barbara", "New York", 36),
        };

        private static IEnumerable<int> CountTo(int limit, EventLog log)
        {
            for (int i = 1; i <= limit; i++)
            {
                log.Add("yield " + i);
                yield return i;
            }
        }

        private static void WhereSelectAggregate()
        {
            int[] numbers = Enumerable.Range(1, 10).ToArray();
            Assert.Equal(30, numbers.Where(n => n % 2 == 0).Sum(), "sum of the even numbers");
            Assert.SequenceEqual(new[] { 1, 4, 9 }, numbers.Take(3).Select(n => n * n), "squares");
            Assert.Equal(3628800L, numbers.Aggregate(1L, (product, n) => product * n), "Aggregate (10!)");
            Assert.BitEqual(5.5, numbers.Average(), "Average");
            Assert.Equal(10, numbers.Max(), "Max");
            Assert.True(numbers.Any(n => n > 9) && numbers.All(n => n > 0), "Any and All");
            Assert.Equal(4, numbers.Count(n => n > 6), "Count with a predicate");
            Assert.Equal("Ada,Alan", string.Join(",", People.Where(p => p.City == "London").Select(p => p.Name)), "records");
        }

        private static void OrderByThenBy()
        {
            string order = string.Join(",", People.OrderBy(p => p.Age).ThenByDescending(p => p.Name).Select(p => p.Name));
            Assert.Equal("Linus,Barbara,Ada,Alan,Grace", order, "OrderBy age, ThenByDescending name");
            Assert.SequenceEqual(new[] { 5, 4, 3 }, new[] { 3, 5, 4 }.OrderDescending(), "OrderDescending");
        }

        private static void GroupByAndLookup()
        {
            var byCity = People.GroupBy(p => p.City).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key + "=" + g.Count()).ToList();
            Assert.SequenceEqual(new[] { "Helsinki=1", "London=2", "New York=2" }, byCity, "GroupBy");
            ILookup<int, string> byAge = People.ToLookup(p => p.Age, p => p.Name);
            Assert.SequenceEqual(new[] { "Ada", "Barbara" }, byAge[36], "ToLookup");
            Assert.Equal(0, byAge[99].Count(), "a missing lookup key is empty");
            Dictionary<string, int> ages = People.ToDictionary(p => p.Name, p => p.Age);
            Assert.Equal(45, ages["Grace"], "ToDictionary");
        }

        private static void JoinZipDistinct()
        {
            var countries = new[] { ("London", "UK"), ("New York", "US"), ("Helsinki", "FI") };
            var joined = People.Join(countries, p => p.City, c => c.Item1, (p, c) => p.Name + "@" + c.Item2).ToList();
            Assert.Equal(5, joined.Count, "Join count");
            Assert.Contains("Linus@FI", string.Join(" ", joined), "Join result");
            Assert.SequenceEqual(new[] { "1a", "2b" }, new[] { 1, 2, 3 }.Zip(new[] { "a", "b" }, (n, s) => n + s), "Zip");
            Assert.SequenceEqual(new[] { 3, 1, 2 }, new[] { 3, 1, 3, 2, 1 }.Distinct(), "Distinct keeps first occurrences");
            Assert.SequenceEqual(new[] { 1, 2 }, new[] { 1, 2, 3 }.Intersect(new[] { 2, 1, 7 }), "Intersect");
            Assert.SequenceEqual(new[] { 2, 3, 4 }, Enumerable.Range(0, 10).Skip(2).Take(3), "Skip and Take");
            Assert.SequenceEqual(new[] { "a", "b", "c", "d" }, new[] { "a", "b" }.Concat(new[] { "c", "d" }), "Concat");
            Assert.SequenceEqual(new[] { new[] { 1, 2 }, new[] { 3 } }.SelectMany(x => x), new[] { 1, 2, 3 }, "SelectMany");
        }

        private static void ElementOperatorsThrowWhenEmpty()
        {
            int[] empty = Array.Empty<int>();
            Assert.Throws<InvalidOperationException>(() => empty.First(), "First of an empty sequence");
            Assert.Throws<InvalidOperationException>(() => new[] { 1, 2 }.Single(), "Single of two elements");
            Assert.Throws<InvalidOperationException>(() => empty.Max(), "Max of an empty sequence");
            Assert.Equal(0, empty.FirstOrDefault(), "FirstOrDefault");
            Assert.Equal(-1, empty.FirstOrDefault(-1), "FirstOrDefault with a default");
            Assert.Equal(2, new[] { 1, 2, 3 }.ElementAt(1), "ElementAt");
            Assert.Throws<ArgumentOutOfRangeException>(() => new[] { 1 }.ElementAt(5), "ElementAt past the end");
        }

        private static void DeferredExecutionAndIterators()
        {
            var log = new EventLog();
            IEnumerable<int> query = CountTo(5, log).Where(n => n % 2 == 1).Select(n => n * 10);
            Assert.Equal("", log.ToString(), "nothing runs before enumeration");
            using (IEnumerator<int> enumerator = query.GetEnumerator())
            {
                Assert.True(enumerator.MoveNext(), "first MoveNext");
                Assert.Equal(10, enumerator.Current, "first element");
                Assert.Equal("yield 1", log.ToString(), "one element produced so far");
            }

            Assert.SequenceEqual(new[] { 10, 30, 50 }, query.ToList(), "the whole query");
            Assert.Equal(2, CountTo(100, new EventLog()).TakeWhile(n => n < 3).Count(), "TakeWhile stops the iterator early");
        }
    }
}
