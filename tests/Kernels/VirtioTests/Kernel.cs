using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using Cosmos.Core.Boot;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Cosmos.TestKit;

namespace VirtioTests
{
    /// <summary>
    /// Checks the devices the default driver catalog bound, as the host describes them on the
    /// command line: <c>expect=blk:pci-modern,net:pci-modern</c> (type and transport kind),
    /// <c>blkirq=MsiX</c> (the disk's interrupt mode) and <c>sectors=N</c> (the disk's size). The
    /// disk's sector 0 starts with "COSMOS-MATRIX-01" and its serial is "matrix-disk".
    /// <c>test=bench</c> instead prints GET_ID round-trip figures.
    /// </summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        private const string DiskSerial = "matrix-disk";
        private const string SectorZeroMagic = "COSMOS-MATRIX-01";

        protected override void BeforeRun()
        {
            string commandLine = BootInfo.Current.CommandLine;
            if (Argument(commandLine, "test") == "bench")
            {
                Bench();
                Cosmos.Core.Power.Exit(TestProtocol.ExitCodeAllPassed);
                return;
            }

            var tests = new TestRunner();
            tests.Add("no-binding-errors", () =>
            {
                foreach (BusDeviceBinding binding in Devices.Bindings)
                {
                    Assert.Null(binding.Error, $"binding of {binding.Device.Bus} {binding.Device.Address}");
                }
            });

            foreach (string expectation in (Argument(commandLine, "expect") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = expectation.Split(':');
                string type = parts[0], kind = parts[1].Replace('_', ' ');
                tests.Add($"bound-{type}-{parts[1]}", () =>
                {
                    DeviceEntry? entry = FindVirtio(type);
                    Assert.NotNull(entry, $"a device bound by virtio-{type}; have: {Describe()}");
                    Assert.True(entry!.Device.Transport.StartsWith(kind + " ", StringComparison.Ordinal),
                        $"virtio-{type} reached through {kind}, not \"{entry.Device.Transport}\"");
                });
            }

            if (FindVirtio("blk") != null)
            {
                AddDiskChecks(tests, commandLine);
            }

            tests.RunAndExit();
        }

        protected override void Run() => Stop();

        private void AddDiskChecks(TestRunner tests, string commandLine)
        {
            var disk = (VirtioBlockDevice)FindVirtio("blk")!.Device;
            tests.Add("blk-name-is-vda", () => Assert.Equal("vda", FindVirtio("blk")!.Name));
            tests.Add("blk-capacity", () => Assert.Equal(ulong.Parse(Argument(commandLine, "sectors") ?? "0"), disk.BlockCount, "512-byte blocks"));
            tests.Add("blk-interrupt-mode", () => Assert.Equal(Argument(commandLine, "blkirq") ?? "?", disk.InterruptMode.ToString()));
            tests.Add("blk-get-id", () => Assert.Equal(DiskSerial, disk.GetId()));
            tests.Add("blk-read-sector-0", () =>
            {
                byte[] sector = new byte[disk.BlockSize];
                Assert.Equal(BlockResult.Ok, disk.Read(0, sector));
                Assert.Equal(SectorZeroMagic, Encoding.ASCII.GetString(sector, 0, SectorZeroMagic.Length));
            });
            tests.Add("blk-write-then-read-back", () =>
            {
                byte[] written = new byte[disk.BlockSize * 3];
                for (int i = 0; i < written.Length; i++)
                {
                    written[i] = (byte)((i * 7) + 3);
                }

                Assert.Equal(BlockResult.Ok, disk.Write(2, written));
                Assert.Equal(BlockResult.Ok, disk.Flush());
                byte[] read = new byte[written.Length];
                Assert.Equal(BlockResult.Ok, disk.Read(2, read));
                Assert.SequenceEqual(written, read, "sectors 2-4 after a write");
            });
            tests.Add("blk-large-read-crosses-bounce-buffer", () =>
            {
                byte[] large = new byte[192 * 1024];
                Assert.Equal(BlockResult.Ok, disk.Read(0, large));
                Assert.Equal(SectorZeroMagic, Encoding.ASCII.GetString(large, 0, SectorZeroMagic.Length));
            });
            tests.Add("blk-limits-from-config", () =>
            {
                Assert.Equal(512, disk.BlockSize);
                Assert.True(disk.QueueDepth > 1, $"queue depth {disk.QueueDepth}");
                Assert.True(disk.Limits.MaxSegments >= 1 && disk.MaxTransferBytes >= disk.BlockSize,
                    $"seg_max {disk.Limits.MaxSegments}, size_max {disk.Limits.MaxSegmentBytes}");
                Assert.False(disk.IsReadOnly, "the matrix disk is writable");
            });
            tests.Add("blk-queue-depth-read-equals-sequential-read", () =>
            {
                byte[] many = new byte[512 * 1024];
                Assert.Equal(BlockResult.Ok, disk.ReadMany(0, many, disk.QueueDepth));
                byte[] sequential = new byte[many.Length];
                for (int at = 0; at < sequential.Length; at += 4096)
                {
                    Assert.Equal(BlockResult.Ok, disk.ReadMany((ulong)(at / disk.BlockSize), sequential.AsSpan(at, 4096), 1));
                }

                Assert.SequenceEqual(sequential, many, "a 512 KiB read with many requests in flight");
                Assert.Equal(0, disk.RequestsOutstanding);
            });
            tests.Add("blk-write-zeroes-reads-back-zero", () =>
            {
                Assert.True(disk.SupportsWriteZeroes, "QEMU's virtio-blk offers WRITE_ZEROES");
                const ulong First = 256;
                byte[] pattern = new byte[disk.BlockSize * 8];
                Array.Fill(pattern, (byte)0x5A);
                Assert.Equal(BlockResult.Ok, disk.Write(First - 1, pattern));
                Assert.Equal(BlockResult.Ok, disk.WriteZeroes(First, 6));
                byte[] back = new byte[pattern.Length];
                Assert.Equal(BlockResult.Ok, disk.Read(First - 1, back));
                int wrong = -1;
                for (int i = 0; i < back.Length && wrong < 0; i++)
                {
                    bool zeroed = i >= disk.BlockSize && i < disk.BlockSize * 7;
                    wrong = back[i] == (zeroed ? 0 : 0x5A) ? -1 : i;
                }

                Assert.Equal(-1, wrong, $"first wrong byte after WRITE_ZEROES of blocks {First}..{First + 5}");
            });
            tests.Add("blk-discard-is-accepted", () =>
            {
                Assert.True(disk.SupportsDiscard, "QEMU's virtio-blk offers DISCARD");
                Assert.Equal(BlockResult.Ok, disk.Discard(512, 8));
                Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[disk.BlockSize]));
            });
            tests.Add("blk-polled-mode-works-too", () =>
            {
                disk.PollCompletions = true;
                try
                {
                    Assert.Equal(DiskSerial, disk.GetId());
                }
                finally
                {
                    disk.PollCompletions = false;
                }

                Assert.Equal(DiskSerial, disk.GetId());
            });
            tests.Add("blk-out-of-range-read-is-refused", () =>
            {
                bool threw = false;
                try
                {
                    disk.Read(disk.BlockCount, new byte[disk.BlockSize]);
                }
                catch (ArgumentOutOfRangeException)
                {
                    threw = true;
                }

                Assert.True(threw, "reading past the end throws ArgumentOutOfRangeException");
            });
        }

        // GET_ID carries no disk data: a round trip through the queue and the device model.
        private void Bench()
        {
            var disk = (VirtioBlockDevice)FindVirtio("blk")!.Device;
            const int Requests = 2000;
            foreach (bool polled in new[] { false, true })
            {
                disk.PollCompletions = polled;
                disk.GetId();
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < Requests; i++)
                {
                    disk.GetId();
                }

                double seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"#BENCH getid-{(polled ? "polled" : disk.InterruptMode.ToString().ToLowerInvariant())} {Requests} {seconds:F6}");
            }

            disk.PollCompletions = false;

            // The Linux peer's `peerbench randread … 2000 4096 12345`: 4 KiB reads at QD1, offsets from
            // xorshift64* seeded with 12345, interrupt-driven.
            const int Reads = 2000, ReadSize = 4096;
            ulong state = 12345 | 1;
            ulong readBlocks = disk.BlockCount * (ulong)disk.BlockSize / ReadSize;
            byte[] buffer = new byte[ReadSize];
            var readClock = Stopwatch.StartNew();
            for (int i = 0; i < Reads; i++)
            {
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                ulong offset = (state * 2685821657736338717UL % readBlocks) * ReadSize;
                if (disk.Read(offset / (ulong)disk.BlockSize, buffer) != BlockResult.Ok)
                {
                    Console.WriteLine($"#BENCH-ERROR randread4k failed at offset {offset}");
                    return;
                }
            }

            Console.WriteLine($"#BENCH randread4k-{disk.InterruptMode.ToString().ToLowerInvariant()} {Reads} {readClock.Elapsed.TotalSeconds:F6}");

            // The same offsets with 32 reads in flight, through the asynchronous API into DMA buffers.
            const int Depth = 32;
            var dma = new Cosmos.HAL.Hardware.DmaAllocator();
            int depth = Math.Min(Depth, disk.QueueDepth);
            var buffers = new Cosmos.HAL.Hardware.DmaBuffer[depth];
            var tickets = new int[depth];
            for (int i = 0; i < depth; i++)
            {
                buffers[i] = dma.Allocate(ReadSize, 4096);
            }

            state = 12345 | 1;
            var deepClock = Stopwatch.StartNew();
            for (int i = 0; i < Reads + depth; i++)
            {
                int slot = i % depth;
                if (i >= depth && disk.Complete(tickets[slot]) != BlockResult.Ok)
                {
                    Console.WriteLine($"#BENCH-ERROR qd{depth}-randread4k failed");
                    return;
                }

                if (i < Reads)
                {
                    state ^= state >> 12;
                    state ^= state << 25;
                    state ^= state >> 27;
                    ulong offset = (state * 2685821657736338717UL % readBlocks) * ReadSize;
                    if (disk.SubmitRead(offset / (ulong)disk.BlockSize, buffers[slot], out tickets[slot]) != VirtioBlockSubmitStatus.Submitted)
                    {
                        Console.WriteLine($"#BENCH-ERROR qd{depth}-randread4k could not submit");
                        return;
                    }
                }
            }

            Console.WriteLine($"#BENCH qd{depth}-randread4k-{disk.InterruptMode.ToString().ToLowerInvariant()} {Reads} {deepClock.Elapsed.TotalSeconds:F6}");

            // Sequential 1 MiB reads (the disk from its start), several requests in flight per read.
            byte[] mebibyte = new byte[1024 * 1024];
            int mebibytes = (int)Math.Min(64UL, disk.BlockCount * (ulong)disk.BlockSize / (ulong)mebibyte.Length);
            var seqClock = Stopwatch.StartNew();
            for (int i = 0; i < mebibytes; i++)
            {
                if (disk.Read((ulong)i * (ulong)(mebibyte.Length / disk.BlockSize), mebibyte) != BlockResult.Ok)
                {
                    Console.WriteLine($"#BENCH-ERROR seqread1m failed at MiB {i}");
                    return;
                }
            }

            Console.WriteLine($"#BENCH seqread1m-mib {mebibytes} {seqClock.Elapsed.TotalSeconds:F6}");
            FatBench();
        }

        // The Linux peer's FAT32 figures on its disk-fat.img (attached as a second disk): the 64 MiB /big.bin
        // read through a FileStream, then the 1,000 files of /small read whole, as `cat` does in the peer.
        private void FatBench()
        {
            foreach (Cosmos.System.FileSystem.Mount mount in Files.Mounts)
            {
                string big = mount.Path + "/big.bin";
                if (!System.IO.File.Exists(big))
                {
                    continue;
                }

                byte[] buffer = new byte[1024 * 1024];
                long total = 0;
                var bigClock = Stopwatch.StartNew();
                using (var stream = new System.IO.FileStream(big, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.Read, 1))
                {
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        total += read;
                    }
                }

                Console.WriteLine($"#BENCH fat-big-read-mib {total / (1024.0 * 1024.0):F3} {bigClock.Elapsed.TotalSeconds:F6}");
                var smallClock = Stopwatch.StartNew();
                int files = 0;
                foreach (string path in System.IO.Directory.EnumerateFiles(mount.Path + "/small"))
                {
                    System.IO.File.ReadAllBytes(path);
                    files++;
                }

                Console.WriteLine($"#BENCH fat-small-files {files} {smallClock.Elapsed.TotalSeconds:F6}");
                return;
            }
        }

        private DeviceEntry? FindVirtio(string type)
        {
            foreach (DeviceEntry entry in Devices.Devices)
            {
                if (entry.Device.DriverName.StartsWith("virtio-" + type, StringComparison.Ordinal))
                {
                    return entry;
                }
            }

            return null;
        }

        private string Describe()
        {
            var parts = new List<string>();
            foreach (DeviceEntry entry in Devices.Devices)
            {
                parts.Add($"{entry.Name}={entry.Device.DriverName} via {entry.Device.Transport}");
            }

            return parts.Count == 0 ? "nothing" : string.Join("; ", parts);
        }

        private static string? Argument(string commandLine, string key)
        {
            foreach (string word in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith(key + "=", StringComparison.Ordinal))
                {
                    return word[(key.Length + 1)..];
                }
            }

            return null;
        }
    }
}
