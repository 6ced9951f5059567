using System;
using System.Collections.Generic;
using Cosmos.Drivers.Ahci;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Cosmos.System.FileSystem;
using Cosmos.TestKit;

namespace StorageTests
{
    /// <summary>
    /// The host's disks, found by the serial it gave each one (<c>-device virtio-blk-pci,serial=rd12</c>),
    /// so that no check depends on the order in which the disks were enumerated.
    /// </summary>
    public sealed class TestDisks
    {
        private readonly VirtualFileSystem _files;
        private readonly Dictionary<string, DeviceEntry> _bySerial = new(StringComparer.Ordinal);
        private readonly List<string> _serials = new();

        /// <summary>Reads the serial of every virtio-blk disk (GET_ID) and every AHCI disk (IDENTIFY).</summary>
        public TestDisks(DeviceManager devices, VirtualFileSystem files)
        {
            _files = files;
            foreach (DeviceEntry entry in devices.Devices)
            {
                // A disk without a serial answers GET_ID with nothing; the host gives every disk one.
                string? serial = entry.Device switch
                {
                    VirtioBlockDevice disk => disk.GetId() ?? "",
                    AhciDisk disk => disk.Serial,
                    _ => null,
                };
                if (serial != null)
                {
                    _bySerial[serial] = entry;
                    _serials.Add(serial);
                }
            }
        }

        /// <summary>Serial and device name of every disk, for messages ("rd12=vda, rd16=vdb").</summary>
        public string Describe()
        {
            var parts = new List<string>();
            foreach (KeyValuePair<string, DeviceEntry> pair in _bySerial)
            {
                parts.Add(pair.Key + "=" + pair.Value.Name);
            }

            return parts.Count == 0 ? "no disks" : string.Join(", ", parts);
        }

        /// <summary>The device the host gave <paramref name="serial"/>; fails the check when there is none.</summary>
        public DeviceEntry Device(string serial)
        {
            if (!_bySerial.TryGetValue(serial, out DeviceEntry? entry))
            {
                Assert.Fail($"no disk with serial \"{serial}\"; have {Describe()}");
            }

            return entry!;
        }

        /// <summary>
        /// The mount of partition <paramref name="partition"/> of disk <paramref name="serial"/> (0: the
        /// whole disk, which has no partition table); fails the check when it is not mounted.
        /// </summary>
        public Mount Volume(string serial, int partition = 0)
        {
            Mount? mount = FindVolume(serial, partition);
            if (mount == null)
            {
                Assert.Fail($"disk \"{serial}\" ({Device(serial).Name}) partition {partition} is not mounted; problems: {string.Join(" | ", _files.Problems)}");
            }

            return mount!;
        }

        /// <summary>The mount of a disk's partition (0: whole disk), or null.</summary>
        public Mount? FindVolume(string serial, int partition = 0)
        {
            string source = Device(serial).Name + (partition == 0 ? "" : partition.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
            foreach (Mount mount in _files.Mounts)
            {
                if (mount.Source == source)
                {
                    return mount;
                }
            }

            return null;
        }

        /// <summary>Every mount on disk <paramref name="serial"/>.</summary>
        public List<Mount> VolumesOf(string serial)
        {
            string name = Device(serial).Name;
            var mounts = new List<Mount>();
            foreach (Mount mount in _files.Mounts)
            {
                if (mount.Source == name || (mount.Source.StartsWith(name, StringComparison.Ordinal) && char.IsAsciiDigit(mount.Source[name.Length])))
                {
                    mounts.Add(mount);
                }
            }

            return mounts;
        }

        /// <summary>The problems the mount table recorded for disk <paramref name="serial"/> (lines starting with its name).</summary>
        public List<string> ProblemsOf(string serial)
        {
            string name = Device(serial).Name;
            var problems = new List<string>();
            foreach (string problem in _files.Problems)
            {
                if (problem.StartsWith(name + ":", StringComparison.Ordinal)
                    || (problem.StartsWith(name, StringComparison.Ordinal) && problem.Length > name.Length && char.IsAsciiDigit(problem[name.Length])))
                {
                    problems.Add(problem);
                }
            }

            return problems;
        }

        /// <summary>Serials of all disks, in device order.</summary>
        public IReadOnlyList<string> Serials => _serials;
    }
}
