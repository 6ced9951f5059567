using System;
using System.Collections.Generic;
using System.Globalization;
using Cosmos.Core;
using Cosmos.Core.IO;

namespace Cosmos.TestKit
{
    /// <summary>The outcome of a run.</summary>
    public readonly record struct TestSummary(int Passed, int Failed)
    {
        /// <summary>True when nothing failed.</summary>
        public bool AllPassed => Failed == 0;
    }

    /// <summary>
    /// Runs named checks inside a test kernel and reports each one on COM1 in the
    /// <see cref="TestProtocol"/> line protocol. A check passes when it returns and fails when it
    /// throws; the exception's message (from <see cref="Assert"/>, or the unexpected exception
    /// itself) becomes the failure message. Checks run in the order they were added.
    /// </summary>
    public sealed class TestRunner
    {
        private readonly List<KeyValuePair<string, Action>> _checks = new List<KeyValuePair<string, Action>>();
        private readonly HashSet<string> _names = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The number of checks added so far.</summary>
        public int Count => _checks.Count;

        /// <summary>Adds a check. Names are unique and contain no whitespace (they stand in protocol lines).</summary>
        public void Add(string name, Action check)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(check);
            if (!TestProtocol.IsValidName(name))
            {
                throw new ArgumentException($"check name '{name}' must be non-empty printable ASCII without spaces", nameof(name));
            }

            if (!_names.Add(name))
            {
                throw new ArgumentException($"check name '{name}' is already registered", nameof(name));
            }

            _checks.Add(new KeyValuePair<string, Action>(name, check));
        }

        /// <summary>Runs every check, reporting the plan, each result and the totals.</summary>
        public TestSummary Run()
        {
            WriteLine(TestProtocol.Plan + " " + _checks.Count.ToString(CultureInfo.InvariantCulture));
            int passed = 0, failed = 0;
            foreach (KeyValuePair<string, Action> check in _checks)
            {
                string? failure = RunOne(check.Value);
                if (failure == null)
                {
                    passed++;
                    WriteLine(TestProtocol.Pass + " " + check.Key);
                }
                else
                {
                    failed++;
                    WriteLine(TestProtocol.Fail + " " + check.Key + " " + TestProtocol.Escape(failure));
                }
            }

            WriteLine(TestProtocol.Done + " " + passed.ToString(CultureInfo.InvariantCulture)
                + " " + failed.ToString(CultureInfo.InvariantCulture));
            return new TestSummary(passed, failed);
        }

        /// <summary>Runs every check, then ends QEMU with the all-passed or some-failed exit code.</summary>
        public void RunAndExit()
        {
            TestSummary summary = Run();
            Power.Exit(summary.AllPassed ? TestProtocol.ExitCodeAllPassed : TestProtocol.ExitCodeSomeFailed);
        }

        // Returns null on success, else the failure message.
        private static string? RunOne(Action check)
        {
            try
            {
                check();
                return null;
            }
            catch (CheckFailedException failure)
            {
                return failure.Message;
            }
            catch (Exception unexpected)
            {
                return "unexpected " + Assert.Describe(unexpected);
            }
        }

        // Protocol lines go straight to the UART: a check that breaks Console must not hide the report.
        private static void WriteLine(string line)
        {
            bool taken = SerialOutputLock.Enter();     // another thread's log line must not land inside a protocol line
            SerialPort.WriteAscii(SerialPort.Com1, line);
            SerialPort.WriteAscii(SerialPort.Com1, "\n");
            SerialOutputLock.Exit(taken);
        }
    }
}
