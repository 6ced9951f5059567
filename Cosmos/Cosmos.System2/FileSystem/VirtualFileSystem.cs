using System;
using System.Collections.Generic;
using System.Threading;
using Cosmos.HAL.Devices;
using Cosmos.System.IO;
using Cosmos.System.Storage;
using Cosmos.System.Storage.Fat;
using Cosmos.System.Storage.Partitions;

namespace Cosmos.System.FileSystem
{
    /// <summary>A mounted volume: where it is mounted, what it is (a disk or one of its partitions), its file system and the disk it is on.</summary>
    public sealed record Mount(string Path, string Source, FatFileSystem FileSystem, string Disk);

    /// <summary>
    /// The kernel's mount table. Every block device the device manager registers is examined:
    /// each FAT partition of an MBR or GPT table is mounted at /&lt;disk&gt;&lt;n&gt; (/vda1), a
    /// whole-disk FAT volume at /&lt;disk&gt; (/vda). A device that cannot be read or holds
    /// something else is recorded with the reason, never fatal. A device that leaves (a hot-plug slot emptied) has its
    /// volumes flushed and unmounted before its driver lets it go.
    /// </summary>
    /// <remarks>
    /// Mounting and unmounting hold <see cref="FileSystemLock.Gate"/>, so no file call is half way through a volume
    /// that goes; the table is replaced, never changed in place, so a reader holds a consistent snapshot.
    /// </remarks>
    public sealed class VirtualFileSystem
    {
        private readonly List<string> _problems = new();
        private Mount[] _mounts = Array.Empty<Mount>();

        /// <summary>Mounted volumes in mount order (a snapshot).</summary>
        public IReadOnlyList<Mount> Mounts => Volatile.Read(ref _mounts);

        /// <summary>Where mounts and unmounts after boot are reported (null: nowhere).</summary>
        public Action<string>? Log { get; set; }

        /// <summary>Why devices or partitions were not mounted.</summary>
        public IReadOnlyList<string> Problems => _problems;

        /// <summary>Mounts every block device <paramref name="devices"/> has and will register.</summary>
        public void MountBlockDevices(DeviceManager devices)
        {
            ArgumentNullException.ThrowIfNull(devices);
            devices.Subscribe(DeviceClass.Block, entry => MountDevice(entry.Name, (IBlockDevice)entry.Device), entry => UnmountDevice(entry.Name));
        }

        /// <summary>
        /// Flushes and unmounts every volume on the disk called <paramref name="name"/> (its partitions too), for a disk
        /// that is leaving. A flush that fails is reported (what it had not written is lost) and the volume is unmounted
        /// anyway. Files still open on it fail from then on.
        /// </summary>
        /// <returns>The mount points removed.</returns>
        public IReadOnlyList<string> UnmountDevice(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            var removed = new List<string>();
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
            var kept = new List<Mount>();
            foreach (Mount mount in _mounts)
            {
                if (mount.Disk != name)
                {
                    kept.Add(mount);
                    continue;
                }

                try
                {
                    mount.FileSystem.Flush();
                    Log?.Invoke($"[vfs] {mount.Path} unmounted: {name} is being removed");
                }
                catch (StorageIOException error)
                {
                    Log?.Invoke($"[vfs] {mount.Path} unmounted: {name} is being removed, and the flush failed ({error.Message}): writes not yet on the disk are lost");
                }

                removed.Add(mount.Path);
            }

            Volatile.Write(ref _mounts, kept.ToArray());
            return removed;
        }

        /// <summary>Mounts what <paramref name="disk"/> holds under <paramref name="name"/>.</summary>
        public void MountDevice(string name, IBlockDevice disk)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(disk);
            using Lock.Scope scope = FileSystemLock.Gate.EnterScope();
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
                TryMount("/" + name, name, name, disk);
                return;
            }

            foreach (Partition partition in table.Partitions)
            {
                string partitionName = name + partition.Index.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
                TryMount("/" + partitionName, partitionName, name, new PartitionBlockDevice(disk, partition));
            }
        }

        private void TryMount(string path, string source, string disk, IBlockDevice device)
        {
            try
            {
                var mount = new Mount(path, source, FatFileSystem.Mount(device), disk);
                Volatile.Write(ref _mounts, [.. _mounts, mount]);
                Log?.Invoke($"[vfs] {source} mounted at {path}");
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
            foreach (Mount mount in Mounts)
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
