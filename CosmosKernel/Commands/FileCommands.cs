using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.System.FileSystem;
using Cosmos.System.Storage.Fat;

namespace CosmosKernel.Commands
{
    /// <summary>The mount table the volume commands (mount, df) report on.</summary>
    public sealed class ShellFiles
    {
        public ShellFiles(VirtualFileSystem files) => Files = files;

        public VirtualFileSystem Files { get; }
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
}
