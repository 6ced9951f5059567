using System.Globalization;
using System.Linq;
using System.Text;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// What the write scenario starts from and what the kernel's steps (tests/Kernels/StorageTests/
/// WriteChecks.cs, in that order) must leave on each volume, worked out on the host.
/// </summary>
internal static class WriteScript
{
    /// <summary>The files and directories the host puts on every write volume.</summary>
    public static FileTree Initial()
    {
        var tree = new FileTree();
        tree.AddText("/existing/keep.txt");
        tree.AddPattern("/existing/overwrite-me.txt", 1, 10000);
        tree.AddPattern("/existing/grow-me.txt", 2, 100);
        tree.AddText("/existing/append-to-me.txt");
        tree.AddPattern("/existing/truncate-me.bin", 3, 50000);
        tree.AddPattern("/existing/extend-me.bin", 4, 1000);
        tree.AddText("/existing/delete-me.txt");
        tree.AddText("/existing/rename-me.txt");
        tree.AddText("/existing/Grüße – 日本.txt");
        tree.AddText("/existing/move-me.txt");
        tree.AddDirectory("/existing/empty-dir");
        tree.AddText("/existing/old-dir/inner.txt");
        return tree;
    }

    /// <summary>The tree after every step of WriteChecks.</summary>
    public static FileTree Expected(FileTree initial)
    {
        FileTree tree = initial.Clone();
        tree.AddText("/new/created.txt");                                                       // create-file
        tree.AddFile("/existing/overwrite-me.txt", Encoding.UTF8.GetBytes("short\n"));          // overwrite-shorter
        tree.AddPattern("/existing/grow-me.txt", 5, 20000);                                     // overwrite-longer
        tree.AddFile("/existing/append-to-me.txt", StorageContent.TextOf("/existing/append-to-me.txt")
            .Concat(Encoding.UTF8.GetBytes("appended by File.AppendAllText\nappended by FileMode.Append\n")).ToArray()); // append
        tree.AddPattern("/existing/truncate-me.bin", 3, 12345);                                 // truncate-shrink
        byte[] extended = new byte[5000];
        StorageContent.Pattern(4, 1000).CopyTo(extended, 0);
        tree.AddFile("/existing/extend-me.bin", extended);                                      // truncate-grow
        tree.RemoveFile("/existing/delete-me.txt");                                             // delete-file
        tree.AddText("/nested/a/b/c/d/e/f/g/h/i/j/k/l/leaf.txt");                               // mkdir-nested
        tree.Directories.Remove("/existing/empty-dir");                                         // rmdir-empty
        tree.MoveFile("/existing/rename-me.txt", "/existing/renamed.txt");                      // rename-file
        tree.MoveFile("/existing/Grüße – 日本.txt", "/existing/Größe – 東京.txt");              // rename-unicode
        tree.MoveFile("/existing/move-me.txt", "/new/moved.txt");                               // move-to-other-directory
        tree.MoveDirectory("/existing/old-dir", "/existing/new-dir");                           // rename-directory
        tree.AddPattern("/big/odd-chunks.bin", 6, 1 << 20);                                     // filestream-1mib-odd-chunks
        for (int i = 0; i < 250; i++)                                                           // many-files
        {
            tree.AddText("/many/entry " + i.ToString("D3", CultureInfo.InvariantCulture) + ".txt");
        }

        return tree;
    }
}
