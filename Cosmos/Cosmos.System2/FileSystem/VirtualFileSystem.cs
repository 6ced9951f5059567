using System;
using System.Collections.Generic;
using Cosmos.HAL.Devices;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Cosmos.System.Storage.Partitions;

namespace Cosmos.System.FileSystem
{
    /// <summary>A mounted volume: where it is mounted, what it is, on which device.</summary>
    public sealed record Mount(string Path, string Source, FatFileSystem FileSystem);

    /// <summary>
    /// The kernel's mount table. Every block device the device manager registers is examined:
    /// each FAT partition of an MBR or GPT table is mounted at /&lt;disk&gt;&lt;n&gt; (/vda1), a
    /// whole-disk FAT volume at /&lt;disk&gt; (/vda). A device that cannot be read or holds
    /// something else is recorded with the reason, never fatal.
    /// </summary>
    public sealed class VirtualFileSystem
    {
        private readonly List<Mount> _mounts = new();
        private readonly List<string> _problems = new();

        /// <summary>Mounted volumes in mount order.</summary>
        public IReadOnlyList<Mount> Mounts => _mounts;

        /// <summary>Why devices or partitions were not mounted.</summary>
        public IReadOnlyList<string> Problems => _problems;

        /// <summary>Mounts every block device <paramref name="devices"/> has and will register.</summary>
        public void MountBlockDevices(DeviceManager devices)
        {
            ArgumentNullException.ThrowIfNull(devices);
            devices.Subscribe(DeviceClass.Block, entry => MountDevice(entry.Name, (IBlockDevice)entry.Device));
        }

        /// <summary>Mounts what <paramref name="disk"/> holds under <paramref name="name"/>.</summary>
        public void MountDevice(string name, IBlockDevice disk)
        {
            PartitionTable table;
            try
            {
                table = PartitionTable.Read(disk);
            }
            catch (Exception error) when (error is StorageFormatException or StorageIOException)
            {
                _problems.Add($"{name}: partition table unreadable: {error.Message}");
                return;
            }

            if (table.Partitions.Count == 0)
            {
                TryMount("/" + name, name, disk);
                return;
            }

            foreach (Partition partition in table.Partitions)
            {
                string partitionName = name + partition.Index.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
                TryMount("/" + partitionName, partitionName, new PartitionBlockDevice(disk, partition));
            }
        }

        private void TryMount(string path, string source, IBlockDevice device)
        {
            try
            {
                _mounts.Add(new Mount(path, source, FatFileSystem.Mount(device)));
            }
            catch (Exception error) when (error is StorageFormatException or StorageIOException)
            {
                _problems.Add($"{source}: not mounted: {error.Message}");
            }
        }

        /// <summary>
        /// The mount holding absolute <paramref name="path"/> and the path inside it ("/" for the
        /// mount point itself), or null when no mount contains it.
        /// </summary>
        public (Mount Mount, string InnerPath)? Resolve(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            Mount? best = null;
            foreach (Mount mount in _mounts)
            {
                bool contains = path == mount.Path || path.StartsWith(mount.Path + "/", StringComparison.Ordinal);
                if (contains && (best == null || mount.Path.Length > best.Path.Length))
                {
                    best = mount;
                }
            }

            if (best == null)
            {
                return null;
            }

            string inner = path.Length == best.Path.Length ? "/" : path[best.Path.Length..];
            return (best, inner);
        }

        /// <summary>Makes <paramref name="path"/> absolute against <paramref name="current"/> and removes . and .. parts.</summary>
        public static string Normalize(string current, string path)
        {
            ArgumentNullException.ThrowIfNull(current);
            ArgumentNullException.ThrowIfNull(path);
            string combined = path.StartsWith('/') ? path : current.TrimEnd('/') + "/" + path;
            var parts = new List<string>();
            foreach (string part in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".")
                {
                    continue;
                }

                if (part == "..")
                {
                    if (parts.Count > 0)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }

                    continue;
                }

                parts.Add(part);
            }

            return "/" + string.Join('/', parts);
        }
    }
}
