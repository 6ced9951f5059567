using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// The files and directories of a FAT volume as the host means them to be: paths on the volume
/// ("/a/b.txt", '/' separated, no trailing '/'), every file's bytes, every directory (ancestors
/// included, the root not). Compared with what mtools reads back and with what the kernel lists.
/// </summary>
internal sealed class FileTree
{
    public SortedDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Directories { get; } = new(StringComparer.Ordinal);

    public FileTree Clone()
    {
        var copy = new FileTree();
        foreach ((string path, byte[] content) in Files)
        {
            copy.Files[path] = content;
        }

        copy.Directories.UnionWith(Directories);
        return copy;
    }

    /// <summary>Adds <paramref name="path"/> and every directory above it.</summary>
    public void AddDirectory(string path)
    {
        for (string current = path; current.Length > 1; current = ParentOf(current))
        {
            Directories.Add(current);
        }
    }

    public void AddFile(string path, byte[] content)
    {
        Files[path] = content;
        string parent = ParentOf(path);
        if (parent != "/")
        {
            AddDirectory(parent);
        }
    }

    /// <summary>A text file that holds its own path (<see cref="StorageContent.TextOf"/>).</summary>
    public void AddText(string path) => AddFile(path, StorageContent.TextOf(path));

    public void AddPattern(string path, uint seed, int length) => AddFile(path, StorageContent.Pattern(seed, length));

    public void RemoveFile(string path)
    {
        if (!Files.Remove(path))
        {
            throw new InvalidOperationException($"the tree has no file {path}");
        }
    }

    public void MoveFile(string from, string to)
    {
        byte[] content = Files[from];
        RemoveFile(from);
        AddFile(to, content);
    }

    public void MoveDirectory(string from, string to)
    {
        foreach (string file in Files.Keys.Where(f => f.StartsWith(from + "/", StringComparison.Ordinal)).ToList())
        {
            MoveFile(file, to + file[from.Length..]);
        }

        foreach (string directory in Directories.Where(d => d == from || d.StartsWith(from + "/", StringComparison.Ordinal)).ToList())
        {
            Directories.Remove(directory);
            AddDirectory(to + directory[from.Length..]);
        }
    }

    /// <summary>Writes the tree under <paramref name="hostDirectory"/> (which must exist).</summary>
    public void WriteTo(string hostDirectory)
    {
        foreach (string directory in Directories)
        {
            Directory.CreateDirectory(hostDirectory + directory);
        }

        foreach ((string path, byte[] content) in Files)
        {
            File.WriteAllBytes(hostDirectory + path, content);
        }
    }

    /// <summary>The tree under <paramref name="hostDirectory"/>.</summary>
    public static FileTree ReadFrom(string hostDirectory)
    {
        var tree = new FileTree();
        string root = Path.GetFullPath(hostDirectory).TrimEnd('/');
        foreach (string directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
        {
            tree.Directories.Add(directory[root.Length..]);
        }

        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            tree.Files[file[root.Length..]] = File.ReadAllBytes(file);
        }

        return tree;
    }

    /// <summary>Every file's size and SHA-256 (lower-case hex), by path.</summary>
    public SortedDictionary<string, (long Size, string Sha256)> Hashes()
    {
        var hashes = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach ((string path, byte[] content) in Files)
        {
            hashes[path] = (content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
        }

        return hashes;
    }

    /// <summary>
    /// What differs between an expected list and an actual one, one line per difference (empty when
    /// they agree): missing and unexpected directories and files, and files whose size or hash differ.
    /// </summary>
    public static List<string> Differences(
        IReadOnlySet<string> expectedDirectories, IReadOnlyDictionary<string, (long Size, string Sha256)> expectedFiles,
        IReadOnlySet<string> actualDirectories, IReadOnlyDictionary<string, (long Size, string Sha256)> actualFiles)
    {
        var differences = new List<string>();
        differences.AddRange(expectedDirectories.Where(d => !actualDirectories.Contains(d)).Select(d => "missing directory " + d));
        differences.AddRange(actualDirectories.Where(d => !expectedDirectories.Contains(d)).Select(d => "unexpected directory " + d));
        foreach ((string path, (long size, string sha)) in expectedFiles)
        {
            if (!actualFiles.TryGetValue(path, out (long Size, string Sha256) actual))
            {
                differences.Add("missing file " + path);
            }
            else if (actual.Size != size || actual.Sha256 != sha)
            {
                differences.Add($"file {path}: expected {size} bytes sha256 {sha}, got {actual.Size} bytes sha256 {actual.Sha256}");
            }
        }

        differences.AddRange(actualFiles.Keys.Where(p => !expectedFiles.ContainsKey(p)).Select(p => "unexpected file " + p));
        return differences;
    }

    /// <summary><see cref="Differences"/> between this tree (expected) and <paramref name="actual"/>.</summary>
    public List<string> DifferencesFrom(FileTree actual) =>
        Differences(Directories, Hashes(), actual.Directories, actual.Hashes());

    /// <summary><see cref="Differences"/> between this tree (expected) and what the kernel listed.</summary>
    public List<string> DifferencesFrom(KernelVolume listed) =>
        Differences(Directories, Hashes(), listed.Directories, listed.Files);

    private static string ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
