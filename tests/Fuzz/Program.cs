using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cosmos.Fuzz.Harnesses;
using SharpFuzz;

namespace Cosmos.Fuzz
{
    /// <summary>
    /// Cosmos.Fuzz list                        the harnesses, one a line: name, documented errors, target
    /// Cosmos.Fuzz run HARNESS                 the harness under afl-fuzz (SharpFuzz's fork server; input on stdin)
    /// Cosmos.Fuzz replay HARNESS FILE...      runs each input once and says what happened (exit 1 on a finding)
    /// Cosmos.Fuzz seeds DIR                   writes the generated part of the seed corpus (network, shell, virtio)
    /// Cosmos.Fuzz fat-chunks IMAGE OUT        turns a FAT image into the fat-volume harness's sector-chunk input
    /// </summary>
    public static class Program
    {
        internal static IReadOnlyList<Harness> Harnesses { get; } =
            StorageHarnesses.All()
                .Concat(NetworkHarnesses.All())
                .Concat(VirtioHarnesses.All())
                .Concat(ShellHarnesses.All())
                .ToList();

        public static int Main(string[] args)
        {
            switch (args.Length > 0 ? args[0] : "")
            {
                case "list":
                    foreach (Harness harness in Harnesses)
                    {
                        Console.WriteLine($"{harness.Name}\t{harness.DocumentedErrors}\t{harness.Target}");
                    }

                    return 0;
                case "run" when args.Length == 2:
                    Harness target = Find(args[1]);
                    // Out of process: a stack overflow or a fatal out-of-memory ends the .NET process, which must be
                    // reported as a crash of that input, not kill afl-fuzz's fork server.
                    Fuzzer.OutOfProcess.Run(stream =>
                    {
                        using var copy = new MemoryStream();
                        stream.CopyTo(copy);
                        target.Execute(copy.ToArray());
                    });
                    return 0;
                case "replay" when args.Length >= 3:
                    return Replay(Find(args[1]), args.Skip(2));
                case "seeds" when args.Length == 2:
                    SeedCorpus.Write(args[1]);
                    return 0;
                case "fat-chunks" when args.Length == 3:
                    File.WriteAllBytes(args[2], FatChunks.FromImage(File.ReadAllBytes(args[1])));
                    return 0;
                default:
                    Console.Error.WriteLine("usage: Cosmos.Fuzz list | run HARNESS | replay HARNESS FILE... | seeds DIR | fat-chunks IMAGE OUT");
                    return 2;
            }
        }

        private static Harness Find(string name) =>
            Harnesses.FirstOrDefault(h => h.Name == name) ?? throw new ArgumentException($"no harness named '{name}' (see 'list')");

        // Every exception thrown while the input runs is printed with its stack, caught or not: the network stack
        // catches a bug in its frame handler, and this is where the replay shows where it was.
        private static int Replay(Harness harness, IEnumerable<string> files)
        {
            int findings = 0;
            foreach (string file in files)
            {
                var thrown = new List<(Exception Error, string Stack)>();
                void Record(object? sender, global::System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) =>
                    thrown.Add((e.Exception, new global::System.Diagnostics.StackTrace(1, true).ToString()));
                AppDomain.CurrentDomain.FirstChanceException += Record;
                Exception? escaped = null;
                try
                {
                    harness.Execute(File.ReadAllBytes(file));
                }
                catch (Exception e)
                {
                    escaped = e;
                }
                finally
                {
                    AppDomain.CurrentDomain.FirstChanceException -= Record;
                }

                if (escaped == null)
                {
                    Console.WriteLine($"{file}: ok ({thrown.Count(e => harness.IsDocumented(e.Error))} documented error(s))");
                    continue;
                }

                findings++;
                Console.WriteLine($"{file}: FINDING {escaped.GetType().FullName}: {escaped.Message}");
                foreach ((Exception error, string stack) in thrown)
                {
                    Console.WriteLine($"  thrown: {error.GetType().FullName}: {error.Message}");
                    Console.WriteLine(stack);
                }
            }

            return findings > 0 ? 1 : 0;
        }
    }
}
