using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.System.FileSystem;
using Cosmos.System.Storage.Fat;

namespace CosmosKernel.Commands
{
    /// <summary>The shell's working directory and the mount table it resolves paths against.</summary>
    public sealed class ShellFiles
    {
        public ShellFiles(VirtualFileSystem files) => Files = files;

        public VirtualFileSystem Files { get; }

        public string CurrentDirectory { get; set; } = "/";

        /// <summary>Resolves <paramref name="path"/> to a mount and the path inside it, or explains why not.</summary>
        public bool TryResolve(string path, TextWriter output, string command, out Mount mount, out string inner)
        {
            string absolute = VirtualFileSystem.Normalize(CurrentDirectory, path);
            (Mount Mount, string InnerPath)? found = Files.Resolve(absolute);
            if (found == null)
            {
                output.WriteLine($"{command}: {absolute}: no mounted volume holds this path (see 'mount')");
                mount = null!;
                inner = "";
                return false;
            }

            mount = found.Value.Mount;
            inner = found.Value.InnerPath;
            return true;
        }
    }

    /// <summary><c>mount</c>: the mounted volumes, and devices that could not be mounted.</summary>
    public sealed class MountCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly ShellFiles _files;

        public MountCommand(ShellFiles files) => _files = files;

        public string Name => "mount";

        public string Summary => "mount                list mounted volumes";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            foreach (Mount mount in _files.Files.Mounts)
            {
                output.WriteLine($"{mount.Source} on {mount.Path} type {mount.FileSystem.Type.ToString().ToLowerInvariant()} ({(mount.FileSystem.Device.IsReadOnly ? "ro" : "rw")}, label \"{mount.FileSystem.BootSector.VolumeLabel.Trim()}\")");
            }

            foreach (string problem in _files.Files.Problems)
            {
                output.WriteLine(problem);
            }

            return 0;
        }
    }

    /// <summary><c>df</c>: size, use and free space of each mounted volume.</summary>
    public sealed class DfCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly ShellFiles _files;

        public DfCommand(ShellFiles files) => _files = files;

        public string Name => "df";

        public string Summary => "df                   show size and free space of mounted volumes";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            output.WriteLine($"{"Volume",-10} {"Size KiB",12} {"Used KiB",12} {"Free KiB",12} Mounted on");
            foreach (Mount mount in _files.Files.Mounts)
            {
                FatBootSector boot = mount.FileSystem.BootSector;
                ulong clusterBytes = (ulong)boot.BytesPerCluster;
                ulong total = boot.ClusterCount * clusterBytes / 1024;
                ulong free = mount.FileSystem.CountFreeClusters() * clusterBytes / 1024;
                output.WriteLine($"{mount.Source,-10} {total,12} {total - free,12} {free,12} {mount.Path}");
            }

            return 0;
        }
    }

    /// <summary><c>ls</c>: a directory's entries, or the mount points at /.</summary>
    public sealed class LsCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly ShellFiles _files;

        public LsCommand(ShellFiles files) => _files = files;

        public string Name => "ls";

        public string Summary => "ls [PATH]            list a directory";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            string path = arguments.Count > 0 ? arguments[0] : ".";
            string absolute = VirtualFileSystem.Normalize(_files.CurrentDirectory, path);
            if (absolute == "/")
            {
                foreach (Mount mount in _files.Files.Mounts)
                {
                    output.WriteLine($"d {0,10}  {mount.Path[1..]}/");
                }

                return 0;
            }

            if (!_files.TryResolve(path, output, Name, out Mount volume, out string inner))
            {
                return 1;
            }

            FatDirectoryEntry entry = volume.FileSystem.GetEntry(inner);
            IEnumerable<FatDirectoryEntry> entries = entry.IsDirectory ? volume.FileSystem.ReadDirectory(entry) : new[] { entry };
            foreach (FatDirectoryEntry item in entries)
            {
                if (item.Name is "." or "..")
                {
                    continue;
                }

                output.WriteLine($"{(item.IsDirectory ? 'd' : '-')} {item.Size,10}  {item.Modified:yyyy-MM-dd HH:mm}  {item.Name}{(item.IsDirectory ? "/" : "")}");
            }

            return 0;
        }
    }

    /// <summary><c>cat</c>: prints files.</summary>
    public sealed class CatCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly ShellFiles _files;

        public CatCommand(ShellFiles files) => _files = files;

        public string Name => "cat";

        public string Summary => "cat FILE...          print files";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            if (arguments.Count == 0)
            {
                output.WriteLine("cat: usage: cat FILE...");
                return 2;
            }

            int status = 0;
            foreach (string path in arguments)
            {
                if (!_files.TryResolve(path, output, Name, out Mount volume, out string inner))
                {
                    status = 1;
                    continue;
                }

                FatDirectoryEntry entry = volume.FileSystem.GetEntry(inner);
                if (entry.IsDirectory)
                {
                    output.WriteLine($"cat: {path}: is a directory");
                    status = 1;
                    continue;
                }

                output.Write(System.Text.Encoding.UTF8.GetString(volume.FileSystem.ReadAllBytes(entry)));
            }

            return status;
        }
    }

    /// <summary><c>cd</c> and <c>pwd</c>: the shell's working directory.</summary>
    public sealed class CdCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly ShellFiles _files;

        public CdCommand(ShellFiles files) => _files = files;

        public string Name => "cd";

        public string Summary => "cd [DIR]             change the working directory (default /)";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            string target = VirtualFileSystem.Normalize(_files.CurrentDirectory, arguments.Count > 0 ? arguments[0] : "/");
            if (target != "/")
            {
                if (!_files.TryResolve(target, output, Name, out Mount volume, out string inner))
                {
                    return 1;
                }

                if (!volume.FileSystem.GetEntry(inner).IsDirectory)
                {
                    output.WriteLine($"cd: {target}: not a directory");
                    return 1;
                }
            }

            _files.CurrentDirectory = target;
            return 0;
        }
    }

    /// <summary><c>pwd</c>: prints the working directory.</summary>
    public sealed class PwdCommand : Cosmos.System.Shell.IShellCommand
    {
        private readonly ShellFiles _files;

        public PwdCommand(ShellFiles files) => _files = files;

        public string Name => "pwd";

        public string Summary => "pwd                  print the working directory";

        public int Execute(IReadOnlyList<string> arguments, TextWriter output)
        {
            output.WriteLine(_files.CurrentDirectory);
            return 0;
        }
    }
}
