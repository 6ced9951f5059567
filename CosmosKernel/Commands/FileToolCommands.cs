using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Cosmos.System.IO;
using Cosmos.System.Shell;

namespace CosmosKernel.Commands
{
    /// <summary>
    /// A shell command that works on files through System.IO, as any C# program would. File system
    /// errors (a missing file, a full volume, a read-only disk, a corrupt directory) are reported as
    /// "name: message" with status 1; the shell keeps running.
    /// </summary>
    public abstract class FileToolCommand : IShellCommand
    {
        private const int UsageColumns = 21;
        private readonly int _minimumOperands;
        private readonly int _maximumOperands;

        protected FileToolCommand(string name, string summary, int minimumOperands = 0, int maximumOperands = int.MaxValue)
        {
            Name = name;
            Summary = summary;
            _minimumOperands = minimumOperands;
            _maximumOperands = maximumOperands;
        }

        public string Name { get; }

        public string Summary { get; }

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            var flags = new HashSet<char>();
            var operands = new List<string>();
            foreach (string argument in arguments)
            {
                if (argument.Length > 1 && argument[0] == '-' && operands.Count == 0 && !char.IsDigit(argument[1]))
                {
                    foreach (char flag in argument.AsSpan(1))
                    {
                        flags.Add(flag);
                    }
                }
                else
                {
                    operands.Add(argument);
                }
            }

            if (operands.Count < _minimumOperands || operands.Count > _maximumOperands)
            {
                return Usage(output);
            }

            try
            {
                return Run(flags, operands, output);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
            {
                output.WriteLine($"{Name}: {error.Message}");
                return 1;
            }
        }

        protected abstract int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output);

        protected int Usage(TextWriter output)
        {
            // Summaries keep the usage in their first 21 columns (the help command's layout).
            output.WriteLine($"{Name}: usage: {Summary[..Math.Min(UsageColumns, Summary.Length)].Trim()}");
            return 2;
        }

        protected static string Display(string path) => Path.GetFullPath(path);

        // The destination of cp/mv: into DESTINATION when it is a directory.
        protected static string Target(string source, string destination) =>
            Directory.Exists(destination) ? Path.Combine(destination, Path.GetFileName(source.TrimEnd('/'))) : destination;
    }

    /// <summary><c>ls</c>: a directory's entries with size and time, or one file.</summary>
    public sealed class LsCommand : FileToolCommand
    {
        public LsCommand() : base("ls", "ls [PATH]            list a directory")
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            string path = operands.Count > 0 ? operands[0] : ".";
            if (File.Exists(path))
            {
                Print(new FileInfo(path), output);
                return 0;
            }

            if (!Directory.Exists(path))
            {
                output.WriteLine($"ls: {Display(path)}: no such file or directory");
                return 1;
            }

            var entries = new List<FileSystemInfo>(new DirectoryInfo(path).EnumerateFileSystemInfos());
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (FileSystemInfo entry in entries)
            {
                Print(entry, output);
            }

            return 0;
        }

        private static void Print(FileSystemInfo entry, TextWriter output)
        {
            bool directory = entry is DirectoryInfo;
            long size = entry is FileInfo file ? file.Length : 0;
            output.WriteLine($"{(directory ? 'd' : '-')} {size,10}  {entry.LastWriteTimeUtc:yyyy-MM-dd HH:mm}  {entry.Name}{(directory ? "/" : "")}");
        }
    }

    /// <summary><c>cat</c>: prints files as UTF-8 text.</summary>
    public sealed class CatCommand : FileToolCommand
    {
        public CatCommand() : base("cat", "cat FILE...          print files", minimumOperands: 1)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            foreach (string path in operands)
            {
                using var reader = new StreamReader(path, Encoding.UTF8);
                char[] buffer = new char[4096];
                int count;
                while ((count = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Write(buffer, 0, count);
                }
            }

            return 0;
        }
    }

    /// <summary><c>hexdump</c>: bytes of a file as hexadecimal and printable characters (like <c>hexdump -C</c>).</summary>
    public sealed class HexdumpCommand : FileToolCommand
    {
        public HexdumpCommand() : base("hexdump", "hexdump [-n N] FILE  show a file's bytes in hex")
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            long limit = long.MaxValue;
            var files = new List<string>(operands);
            if (flags.Contains('n'))
            {
                if (files.Count < 2 || !long.TryParse(files[0], out limit) || limit < 0)
                {
                    return Usage(output);
                }

                files.RemoveAt(0);
            }

            if (files.Count != 1)
            {
                return Usage(output);
            }

            using FileStream stream = File.OpenRead(files[0]);
            byte[] line = new byte[16];
            long offset = 0;
            var text = new StringBuilder(80);
            while (offset < limit)
            {
                int count = stream.ReadAtLeast(line.AsSpan(0, (int)Math.Min(16, limit - offset)), 1, throwOnEndOfStream: false);
                if (count == 0)
                {
                    break;
                }

                text.Clear();
                text.Append(offset.ToString("x8")).Append("  ");
                for (int i = 0; i < 16; i++)
                {
                    text.Append(i < count ? line[i].ToString("x2") + " " : "   ");
                    if (i == 7)
                    {
                        text.Append(' ');
                    }
                }

                text.Append(" |");
                for (int i = 0; i < count; i++)
                {
                    text.Append(line[i] is >= 0x20 and < 0x7F ? (char)line[i] : '.');
                }

                output.WriteLine(text.Append('|').ToString());
                offset += count;
            }

            output.WriteLine(offset.ToString("x8"));
            return 0;
        }
    }

    /// <summary><c>sha256</c>: SHA-256 of files, in sha256sum's format.</summary>
    public sealed class Sha256Command : FileToolCommand
    {
        public Sha256Command() : base("sha256", "sha256 FILE...       print SHA-256 checksums", minimumOperands: 1)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            foreach (string path in operands)
            {
                using FileStream stream = File.OpenRead(path);
                output.WriteLine($"{Convert.ToHexStringLower(SHA256.HashData(stream))}  {path}");
            }

            return 0;
        }
    }

    /// <summary><c>write</c>: writes a line of text to a file, replacing it (or appending with -a).</summary>
    public sealed class WriteCommand : FileToolCommand
    {
        public WriteCommand() : base("write", "write [-a] FILE TEXT write (or append) a line of text to a file", minimumOperands: 1)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            var words = new string[operands.Count - 1];
            for (int i = 1; i < operands.Count; i++)
            {
                words[i - 1] = operands[i];
            }

            string text = string.Join(' ', words) + "\n";
            if (flags.Contains('a'))
            {
                File.AppendAllText(operands[0], text);
            }
            else
            {
                File.WriteAllText(operands[0], text);
            }

            return 0;
        }
    }

    /// <summary><c>cp</c>: copies a file (into a directory when the destination is one); -r copies directories.</summary>
    public sealed class CpCommand : FileToolCommand
    {
        public CpCommand() : base("cp", "cp [-r] SRC DEST     copy a file or (-r) a directory", minimumOperands: 2, maximumOperands: 2)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            string source = operands[0];
            string destination = Target(source, operands[1]);
            if (Directory.Exists(source))
            {
                if (!flags.Contains('r'))
                {
                    output.WriteLine($"cp: {Display(source)} is a directory (use cp -r)");
                    return 1;
                }

                if ((Display(destination) + "/").StartsWith(Display(source) + "/", StringComparison.OrdinalIgnoreCase))
                {
                    output.WriteLine($"cp: cannot copy {Display(source)} into itself");
                    return 1;
                }

                CopyDirectory(source, destination);
                return 0;
            }

            File.Copy(source, destination, overwrite: true);
            return 0;
        }

        private static void CopyDirectory(string source, string destination)
        {
            Directory.CreateDirectory(destination);
            foreach (string file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
            }

            foreach (string directory in Directory.GetDirectories(source))
            {
                CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
            }
        }
    }

    /// <summary><c>mv</c>: moves or renames a file or directory (into a directory when the destination is one).</summary>
    public sealed class MvCommand : FileToolCommand
    {
        public MvCommand() : base("mv", "mv SRC DEST          move or rename a file or directory", minimumOperands: 2, maximumOperands: 2)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            string source = operands[0];
            string destination = Target(source, operands[1]);
            if (Directory.Exists(source))
            {
                Directory.Move(source, destination);
            }
            else if (File.Exists(source))
            {
                File.Move(source, destination, overwrite: true);
            }
            else
            {
                output.WriteLine($"mv: {Display(source)}: no such file or directory");
                return 1;
            }

            return 0;
        }
    }

    /// <summary><c>rm</c>: deletes files; -r also directories with what they hold.</summary>
    public sealed class RmCommand : FileToolCommand
    {
        public RmCommand() : base("rm", "rm [-r] PATH...      delete files (-r: and directories)", minimumOperands: 1)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            int status = 0;
            foreach (string path in operands)
            {
                if (Directory.Exists(path))
                {
                    if (!flags.Contains('r'))
                    {
                        output.WriteLine($"rm: {Display(path)} is a directory (use rm -r or rmdir)");
                        status = 1;
                        continue;
                    }

                    Directory.Delete(path, recursive: true);
                }
                else if (File.Exists(path))
                {
                    File.Delete(path);
                }
                else
                {
                    output.WriteLine($"rm: {Display(path)}: no such file or directory");
                    status = 1;
                }
            }

            return status;
        }
    }

    /// <summary><c>mkdir</c>: creates directories; -p also their parents, and no error when they exist.</summary>
    public sealed class MkdirCommand : FileToolCommand
    {
        public MkdirCommand() : base("mkdir", "mkdir [-p] DIR...    create directories", minimumOperands: 1)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            int status = 0;
            foreach (string path in operands)
            {
                string full = Display(path);
                if (!flags.Contains('p'))
                {
                    if (Directory.Exists(full) || File.Exists(full))
                    {
                        output.WriteLine($"mkdir: {full}: already exists");
                        status = 1;
                        continue;
                    }

                    string? parent = Path.GetDirectoryName(full);
                    if (parent != null && !Directory.Exists(parent))
                    {
                        output.WriteLine($"mkdir: {parent}: no such directory (use mkdir -p)");
                        status = 1;
                        continue;
                    }
                }

                Directory.CreateDirectory(full);
            }

            return status;
        }
    }

    /// <summary><c>rmdir</c>: removes empty directories.</summary>
    public sealed class RmdirCommand : FileToolCommand
    {
        public RmdirCommand() : base("rmdir", "rmdir DIR...         remove empty directories", minimumOperands: 1)
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            foreach (string path in operands)
            {
                Directory.Delete(path, recursive: false);
            }

            return 0;
        }
    }

    /// <summary><c>cd</c>: changes the working directory (Environment.CurrentDirectory).</summary>
    public sealed class CdCommand : FileToolCommand
    {
        public CdCommand() : base("cd", "cd [DIR]             change the working directory (default /)")
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            Directory.SetCurrentDirectory(operands.Count > 0 ? operands[0] : "/");
            return 0;
        }
    }

    /// <summary><c>pwd</c>: prints the working directory.</summary>
    public sealed class PwdCommand : FileToolCommand
    {
        public PwdCommand() : base("pwd", "pwd                  print the working directory")
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            output.WriteLine(Directory.GetCurrentDirectory());
            return 0;
        }
    }

    /// <summary><c>sync</c>: makes every mounted volume's writes durable on its device.</summary>
    public sealed class SyncCommand : FileToolCommand
    {
        public SyncCommand() : base("sync", "sync                 flush all writes to the disks")
        {
        }

        protected override int Run(ISet<char> flags, IReadOnlyList<string> operands, TextWriter output)
        {
            int result = FileCalls.Current?.SyncAll() ?? 0;
            if (result < 0)
            {
                output.WriteLine($"sync: {Cosmos.Core.Pal.Errno.Message(-result)}");
                return 1;
            }

            return 0;
        }
    }
}
