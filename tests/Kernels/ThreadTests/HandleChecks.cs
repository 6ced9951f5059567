using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Cosmos.Core.Runtime;
using Cosmos.TestKit;

namespace ThreadTests
{
    /// <summary>
    /// GC handles the class library takes for an object and gives back through finalizers once the object is dead: a
    /// sync-table entry (a lock held while the hash code is taken), a ConditionalWeakTable entry, and both at once
    /// (Monitor.Wait, from this thread and from short-lived ones, as httpd's connection threads do). A table that
    /// frees dead keys only when it compacts holds at most its capacity; anything that grows with the number of dead
    /// objects is a leak.
    /// </summary>
    internal static unsafe class HandleChecks
    {
        private const int Rounds = 8;
        private static readonly ConditionalWeakTable<object, object> s_table = new();

        public static void Add(TestRunner tests)
        {
            // Every entry's collector runs once its object is dead: nothing is left.
            tests.Add("handles.sync-entries-of-dead-objects-are-freed", () => Measure("sync", &HashWhileLocked, 300, 30));

            // 300 keys a round: the table doubles to 512 entries, then compacts in place; the old container frees the
            // dead keys' handles on its second finalization. 300 are held after each round here, against 2,400 dead keys.
            tests.Add("handles.conditional-weak-table-frees-dead-keys-as-it-compacts", () => Measure("table", &AddToTable, 300, 600));
            tests.Add("handles.monitor-waited-objects-give-their-handles-back", () => Measure("wait", &WaitOnce, 300, 600));
            tests.Add("handles.threads-that-waited-give-their-handles-back", () => Measure("thread", &WaitOnAThread, 75, 400));
        }

        private static void Measure(string what, delegate*<object, void> use, int perRound, int bound)
        {
            Settle();
            int before = Handles.LiveCount;
            string trace = string.Empty;
            for (int round = 0; round < Rounds; round++)
            {
                MakeAndDrop(use, perRound);
                Settle();
                trace += $" {Handles.LiveCount - before}";
            }

            int grown = Handles.LiveCount - before;
            Assert.True(grown < bound, $"{what}: {grown} more handles after {Rounds * perRound} dead objects (after each round:{trace}); at most {bound} expected");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MakeAndDrop(delegate*<object, void> use, int count)
        {
            for (int i = 0; i < count; i++)
            {
                use(new object());
            }
        }

        // Collections and finalizers until the container a compaction replaced has been finalized twice.
        private static void Settle()
        {
            for (int i = 0; i < 4; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }

        private static void HashWhileLocked(object value)
        {
            lock (value)
            {
                RuntimeHelpers.GetHashCode(value);
            }
        }

        private static void AddToTable(object value) => s_table.Add(value, new object());

        private static void WaitOnAThread(object value)
        {
            var thread = new Thread(() => WaitOnce(value));
            thread.Start();
            thread.Join();
        }

        private static void WaitOnce(object value)
        {
            lock (value)
            {
                Monitor.Wait(value, 0);
            }
        }
    }
}
