using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// Power cuts (issue 10, part 3): the StorageTests kernel writes, appends and deletes files in a loop
/// (<c>scenario=powercut</c>, tests/Kernels/StorageTests/PowerCutLoop.cs) on a FAT32 image that mkfs.fat made, and the
/// host kills QEMU with SIGKILL at a random moment, <see cref="Cuts"/> times, booting again on the same image after each.
/// Writes QEMU completed are in the host's page cache and survive the kill; the ones it had not started are lost, exactly
/// as when the power goes.
/// After each cut, on the host:
/// <list type="bullet">
/// <item><c>fsck.fat -n</c> may report only what the step in progress explains (<see cref="UnexplainedFsckProblems"/>): a
/// problem naming the file being written or deleted, unused (lost) clusters when a step that allocates or frees clusters
/// was in progress — at most as many as that step touches — and a stale FSInfo free count (advisory, FAT spec §5).
/// Anything else (a cross-link, a bad directory entry, a chain into free space, another file's size, FATs that differ)
/// fails.</item>
/// <item>every file whose <c>#SYNCED</c> line reached COM1 reads back (mtools) with exactly its content, every deleted
/// file (<c>#DELETED</c>) is gone, and APPEND.LOG holds exactly the appended lines in order (plus, possibly, the one
/// being appended at the cut).</item>
/// </list>
/// Then <c>fsck.fat -a</c> repairs what the cut left, as a system would at its next boot, <c>fsck.fat -n</c> must then
/// be clean, and the next boot continues with the next file. The random delays come from a seed printed in the test's
/// output (<c>COSMOS_POWERCUT_SEED</c> repeats a run).
/// </summary>
public sealed class PowerCutTests
{
    private const int Cuts = 20;
    private const long ImageBytes = 64L << 20;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;

    public PowerCutTests(ITestOutputHelper output) => _output = output;

    /// <summary>The kernel's rule (PowerCutLoop.LengthOf) for the length of file n.</summary>
    private static int LengthOf(int n) => 1 + (int)(((uint)n * 2654435761u) % (40 * 1024));

    private static string NameOf(int n) => $"F{n.ToString("D6", CultureInfo.InvariantCulture)}.BIN";

    /// <summary>What one boot printed before the cut: the last step started, and what became durable.</summary>
    private sealed class CutLog
    {
        public bool Ready;
        public int? Writing;
        public int? Appending;
        public int? Deleting;
        public readonly List<(int N, int Length)> Synced = new();
        public readonly List<int> Appended = new();
        public readonly List<int> Deleted = new();

        public static CutLog Parse(string serial)
        {
            var log = new CutLog();
            // Only whole lines count: the kill can land in the middle of one ("#SYNCED 363 35" of "#SYNCED 363 3580").
            string[] lines = serial.Split('\n');
            foreach (string raw in lines.AsSpan(0, lines.Length - 1))
            {
                string[] words = raw.Trim().Split(' ');
                int Number(int i) => int.Parse(words[i], CultureInfo.InvariantCulture);
                switch (words[0])
                {
                    case "#CUT-READY": log.Ready = true; break;
                    case "#WRITING": log.Writing = Number(1); break;
                    case "#SYNCED" when words.Length == 3:
                        log.Synced.Add((Number(1), Number(2)));
                        log.Writing = null;
                        break;
                    case "#APPENDING": log.Appending = Number(1); break;
                    case "#APPENDED": log.Appended.Add(Number(1)); log.Appending = null; break;
                    case "#DELETING": log.Deleting = Number(1); break;
                    case "#DELETED": log.Deleted.Add(Number(1)); log.Deleting = null; break;
                }
            }

            return log;
        }
    }

    [Fact]
    public void FilesSyncedBeforeEachOfTwentyPowerCutsReadBackExactly()
    {
        string? fixedSeed = Environment.GetEnvironmentVariable("COSMOS_POWERCUT_SEED");
        int seed = fixedSeed != null ? int.Parse(fixedSeed, CultureInfo.InvariantCulture) : Random.Shared.Next();
        _output.WriteLine($"seed {seed} (COSMOS_POWERCUT_SEED={seed} repeats these delays)");
        var random = new Random(seed);

        KernelBuildResult build = KernelBuild.Get("StorageTests");
        build.EnsureSucceeded();
        using var images = new FatImageWorkspace("powercut");
        string image = images.NewImage("cut.img", ImageBytes);
        FatVolume volume = images.Format(image, 32, 0, ImageBytes / 512, "POWERCUT");
        FatLayout layout = FatImageWorkspace.ReadLayout(volume);

        var durable = new SortedDictionary<int, int>();   // file -> length: must read back exactly
        var deleted = new SortedSet<int>();                // must be gone
        var appendLog = new List<int>();                   // APPEND.LOG's lines, in order
        int next = 0, midStep = 0;
        var started = DateTime.UtcNow;
        for (int cut = 1; cut <= Cuts; cut++)
        {
            int delayMs = 200 + random.Next(2500);
            string serial;
            using (QemuSession session = QemuSession.Start($"StorageTests powercut boot {cut}",
                       ["-kernel", build.KernelElf, "-append", $"scenario=powercut start={next}"], Lifetime,
                       ["-drive", $"file={image},if=none,id=d0,format=raw", "-device", "virtio-blk-pci,drive=d0,serial=cut"]))
            {
                session.WaitFor("#CUT-READY", 0, TimeSpan.FromSeconds(60));
                System.Threading.Thread.Sleep(delayMs);
                session.Kill();
                serial = session.Serial;
            }

            CutLog log = CutLog.Parse(serial);
            string where = $"cut {cut} of {Cuts} (seed {seed}, {delayMs} ms after #CUT-READY, files from {next})";
            Assert.True(log.Ready, $"{where}: no #CUT-READY\n{ProcessRunner.Tail(serial, 20)}");
            Assert.DoesNotContain("PANIC", serial);
            Assert.DoesNotContain("#TEST-FAIL", serial);
            foreach ((int n, int length) in log.Synced)
            {
                Assert.True(length == LengthOf(n), $"{where}: file {n} synced with {length} bytes, the rule says {LengthOf(n)}");
                durable[n] = length;
                deleted.Remove(n);
            }

            foreach (int n in log.Deleted)
            {
                durable.Remove(n);
                deleted.Add(n);
            }

            bool inStep = log.Writing != null || log.Appending != null || log.Deleting != null;
            midStep += inStep ? 1 : 0;
            string step = log.Writing != null ? $"writing {NameOf(log.Writing.Value)}"
                : log.Appending != null ? $"appending {log.Appending} to APPEND.LOG"
                : log.Deleting != null ? $"deleting {NameOf(log.Deleting.Value)}" : "between steps";
            _output.WriteLine($"cut {cut}: {delayMs} ms, {log.Synced.Count} files synced, {log.Appended.Count} appends, {log.Deleted.Count} deletes, cut while {step}");

            // fsck.fat -n: only what the step in progress explains.
            FsckResult fsck = images.Check(volume);
            List<string> unexplained = UnexplainedFsckProblems(fsck.Output, log, layout);
            if (unexplained.Remove("FATs differ but appear to be intact."))
            {
                // A cut between the writes of the two FAT copies: allowed only in clusters the step in progress touched.
                unexplained.Remove(": Using first FAT.");
                unexplained.AddRange(FatCopyDifferencesOutsideTheStep(image, layout, log));
            }

            Assert.True(unexplained.Count == 0,
                $"{where}, cut while {step}: fsck.fat -n found damage the step in progress does not explain:\n  {string.Join("\n  ", unexplained)}\nfull output:\n{fsck.Output}");

            // Every synced file exactly, every deleted file gone, APPEND.LOG exactly.
            string extracted = images.PathOf($"extract-{cut}");
            Directory.CreateDirectory(extracted);
            images.Run("mcopy", "-s", "-n", "-i", volume.MtoolsDrive, "::/CUT", extracted);
            string cutDirectory = Path.Combine(extracted, "CUT");
            foreach ((int n, int length) in durable)
            {
                if (n == log.Deleting)
                {
                    continue;    // the file being deleted at the cut: checked below, either whole or gone
                }

                string path = Path.Combine(cutDirectory, NameOf(n));
                Assert.True(File.Exists(path), $"{where}: {NameOf(n)} was synced and is gone");
                byte[] actual = File.ReadAllBytes(path);
                Assert.True(actual.AsSpan().SequenceEqual(StorageContent.Pattern((uint)n, length)),
                    $"{where}: {NameOf(n)} was synced with {length} bytes and reads back {actual.Length} bytes that differ");
            }

            foreach (int n in deleted)
            {
                Assert.False(File.Exists(Path.Combine(cutDirectory, NameOf(n))), $"{where}: {NameOf(n)} was deleted and is back");
            }

            if (log.Deleting is int beingDeleted && durable.TryGetValue(beingDeleted, out int deletingLength))
            {
                // Cut during the delete: either still there and whole, or gone.
                string path = Path.Combine(cutDirectory, NameOf(beingDeleted));
                if (File.Exists(path))
                {
                    Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(StorageContent.Pattern((uint)beingDeleted, deletingLength)),
                        $"{where}: {NameOf(beingDeleted)}, cut while being deleted, is there but not whole");
                }
                else
                {
                    durable.Remove(beingDeleted);
                    deleted.Add(beingDeleted);
                }
            }

            appendLog.AddRange(log.Appended);
            string logPath = Path.Combine(cutDirectory, "APPEND.LOG");
            string expected = string.Concat(appendLog.Select(n => n.ToString(CultureInfo.InvariantCulture) + "\n"));
            string actualLog = File.Exists(logPath) ? File.ReadAllText(logPath, Encoding.ASCII) : "";
            if (log.Appending is int pending && actualLog == expected + pending.ToString(CultureInfo.InvariantCulture) + "\n")
            {
                appendLog.Add(pending);    // the append was durable though its #APPENDED line never came
                expected = actualLog;
            }

            Assert.True(expected == actualLog, $"{where}: APPEND.LOG holds\n{actualLog}\nexpected\n{expected}");
            Directory.Delete(extracted, recursive: true);

            // Repair what the cut left, as a system would at its next boot; then the volume must be clean.
            ProcessResult repair = images.TryRun("fsck.fat", "-a", "-w", image);
            Assert.True(repair.ExitCode is 0 or 1, $"{where}: fsck.fat -a failed ({repair.ExitCode}): {repair.StandardOutput}{repair.StandardError}");
            FsckResult clean = images.Check(volume);
            Assert.True(clean.IsClean, $"{where}: still not clean after fsck.fat -a:\n{clean.Output}");

            int last = Math.Max(log.Synced.Count > 0 ? log.Synced[^1].N : next - 1, log.Writing ?? -1);
            next = last + 1;
        }

        _output.WriteLine($"{Cuts} cuts survived in {(DateTime.UtcNow - started).TotalSeconds:F0} s: {durable.Count} files synced and present, "
            + $"{deleted.Count} deleted, {appendLog.Count} appends; {midStep} cuts came in the middle of a step");
        Assert.True(durable.Count >= Cuts, $"only {durable.Count} files were synced in {Cuts} boots: the loop hardly ran");
        Assert.True(midStep >= Cuts / 2, $"only {midStep} of {Cuts} cuts came in the middle of a step");
    }

    /// <summary>
    /// Where the two FAT copies differ in a cluster the step in progress did not touch. Each cluster's owner is found
    /// by walking the first FAT from the root, /CUT and /CUT's files (8.3 names, as the kernel makes them); a difference
    /// is explained when the cluster belongs to the file being written, deleted or appended to, to nobody (lost or
    /// freed by that step), or is one of /CUT's last two clusters while a file is being created (the directory grew).
    /// </summary>
    private static List<string> FatCopyDifferencesOutsideTheStep(string image, FatLayout layout, CutLog log)
    {
        byte[] disk = File.ReadAllBytes(image);
        long fatBytes = layout.SectorsPerFat * layout.BytesPerSector;
        long fat1 = (long)layout.ReservedSectors * layout.BytesPerSector, fat2 = fat1 + fatBytes;
        long dataStart = fat1 + layout.FatCount * fatBytes;
        long lastCluster = layout.ClusterCount + 1;
        uint Entry(long fat, long cluster) => BitConverter.ToUInt32(disk, (int)(fat + cluster * 4)) & 0x0FFFFFFF;
        long ClusterOffset(uint cluster) => dataStart + (cluster - 2L) * layout.BytesPerCluster;
        List<uint> Chain(uint first)
        {
            var chain = new List<uint>();
            for (uint c = first; c >= 2 && c <= lastCluster && chain.Count <= lastCluster; c = Entry(fat1, c))
            {
                chain.Add(c);
            }

            return chain;
        }

        var owner = new Dictionary<uint, string>();
        List<(string Name, uint First, bool IsDirectory)> Entries(List<uint> directory)
        {
            var entries = new List<(string, uint, bool)>();
            foreach (uint cluster in directory)
            {
                for (long at = ClusterOffset(cluster); at < ClusterOffset(cluster) + layout.BytesPerCluster; at += 32)
                {
                    byte attributes = disk[at + 11];
                    if (disk[at] == 0)
                    {
                        return entries;
                    }

                    if (disk[at] == 0xE5 || attributes == 0x0F || (attributes & 0x08) != 0 || disk[at] == (byte)'.')
                    {
                        continue;
                    }

                    string name = Encoding.ASCII.GetString(disk, (int)at, 8).TrimEnd() + "." + Encoding.ASCII.GetString(disk, (int)at + 8, 3).TrimEnd();
                    uint first = (uint)(BitConverter.ToUInt16(disk, (int)at + 20) << 16 | BitConverter.ToUInt16(disk, (int)at + 26));
                    entries.Add((name.TrimEnd('.'), first, (attributes & 0x10) != 0));
                }
            }

            return entries;
        }

        List<uint> root = Chain(BitConverter.ToUInt32(disk, 44));
        root.ForEach(c => owner[c] = "/");
        List<uint> cutDirectory = new();
        foreach ((string name, uint first, bool isDirectory) in Entries(root))
        {
            List<uint> chain = Chain(first);
            chain.ForEach(c => owner[c] = "/" + name);
            if (isDirectory && name == "CUT")
            {
                cutDirectory = chain;
            }
        }

        foreach ((string name, uint first, _) in Entries(cutDirectory))
        {
            Chain(first).ForEach(c => owner[c] = "/CUT/" + name);
        }

        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (log.Writing is int writing)
        {
            allowed.Add("/CUT/" + NameOf(writing));
        }

        if (log.Deleting is int deleting)
        {
            allowed.Add("/CUT/" + NameOf(deleting));
        }

        if (log.Appending != null)
        {
            allowed.Add("/CUT/APPEND.LOG");
        }

        var problems = new List<string>();
        for (uint cluster = 2; cluster <= lastCluster; cluster++)
        {
            uint first = Entry(fat1, cluster), second = Entry(fat2, cluster);
            if (first == second)
            {
                continue;
            }

            bool growingDirectory = log.Writing != null && cutDirectory.Count > 0 && cutDirectory.IndexOf(cluster) >= cutDirectory.Count - 2;
            if (!owner.TryGetValue(cluster, out string? who) || allowed.Contains(who) || growingDirectory)
            {
                continue;
            }

            problems.Add($"FAT copies differ at cluster {cluster} ({first:x} vs {second:x}), which belongs to {who}, not to the step in progress");
        }

        return problems;
    }

    /// <summary>
    /// The problems in fsck.fat -n's output that the step in progress at the cut does not explain. fsck prints a path
    /// line followed by indented lines for a file's problems, and unindented lines for the volume's.
    /// </summary>
    private static List<string> UnexplainedFsckProblems(string output, CutLog log, FatLayout layout)
    {
        var inFlight = new List<string>();
        long clustersInFlight = 0;
        int ClustersOf(int bytes) => (bytes + layout.BytesPerCluster - 1) / layout.BytesPerCluster;
        if (log.Writing is int writing)
        {
            inFlight.Add("/CUT/" + NameOf(writing));
            clustersInFlight += ClustersOf(LengthOf(writing));
        }

        if (log.Deleting is int deleting)
        {
            inFlight.Add("/CUT/" + NameOf(deleting));
            clustersInFlight += ClustersOf(LengthOf(deleting));
        }

        if (log.Appending != null)
        {
            inFlight.Add("/CUT/APPEND.LOG");
            clustersInFlight += 1;
        }

        var problems = new List<string>();
        string? currentPath = null;
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(' ') || line.StartsWith('\t'))
            {
                // A detail of the path or the volume message above it.
                if (currentPath == null || !inFlight.Contains(currentPath, StringComparer.OrdinalIgnoreCase))
                {
                    if (!Regex.IsMatch(line, @"^\s+(Auto-correcting\.|Leaving (?:it|filesystem) unchanged\.|Correcting\.|\d+\) .*)$"))
                    {
                        problems.Add((currentPath ?? "") + ": " + line.Trim());
                    }
                }

                continue;
            }

            // The banner, the summary and the advisory FSInfo count (fatgen103: "not necessarily correct").
            if (Regex.IsMatch(line, @"^(fsck\.fat \d|Checking we can access|Leaving filesystem unchanged|Free cluster summary wrong|Free cluster summary uninitialized|Performing changes|\S+: \d+ files, \d+/\d+ clusters$)"))
            {
                currentPath = null;
                continue;
            }

            currentPath = line.StartsWith('/') ? line.Trim() : null;
            if (currentPath != null)
            {
                if (!inFlight.Contains(currentPath, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add(line.Trim());
                }

                continue;
            }

            Match lost = Regex.Match(line, @"^Reclaimed (\d+) unused clusters? ");
            if (lost.Success)
            {
                long count = long.Parse(lost.Groups[1].Value, CultureInfo.InvariantCulture);
                if (count > clustersInFlight)
                {
                    problems.Add($"{line.Trim()} (the step in progress touches at most {clustersInFlight})");
                }

                continue;
            }

            problems.Add(line.Trim());
        }

        return problems;
    }
}
