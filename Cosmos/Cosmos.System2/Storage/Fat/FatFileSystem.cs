using System;
using System.Collections.Generic;
using System.IO;
using Cosmos.HAL.Devices;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>
    /// A FAT12, FAT16 or FAT32 volume on a block device (a whole disk or a
    /// <see cref="Partitions.PartitionBlockDevice"/>): directories, path lookup and file reads.
    /// Paths are absolute on the volume, separated by '/' or '\', and matched without regard to case.
    /// </summary>
    public sealed partial class FatFileSystem
    {
        /// <summary>The most bytes a directory may have (fatgen103: 65,536 entries of 32 bytes).</summary>
        public const int MaxDirectoryBytes = 65536 * FatDirectoryParser.EntrySize;

        // Parsed directories by path (case-insensitive, as FAT matches names), kept current by every change
        // the volume makes, so that path lookups do not parse a directory again for each file.
        private const int MaxCachedListings = 64;
        private readonly Dictionary<string, List<FatDirectoryEntry>> _listings = new(StringComparer.OrdinalIgnoreCase);

        private readonly FatSectorCache _cache;

        private FatFileSystem(IBlockDevice device, FatSectorCache cache, FatBootSector bootSector)
        {
            Device = device;
            _cache = cache;
            BootSector = bootSector;
            Table = new FatTable(bootSector, cache);
            Root = new FatDirectoryEntry("", "", FatAttributes.Directory, bootSector.RootCluster, 0,
                DateTime.MinValue, DateTime.MinValue, DateTime.MinValue, "/");
        }

        /// <summary>The device the volume lives on.</summary>
        public IBlockDevice Device { get; }

        /// <summary>The validated boot sector and the layout derived from it.</summary>
        public FatBootSector BootSector { get; }

        /// <summary>The FAT variant.</summary>
        public FatType Type => BootSector.Type;

        /// <summary>The first FAT.</summary>
        public FatTable Table { get; }

        /// <summary>The sector cache (its hit counts are useful in tests and figures).</summary>
        public FatSectorCache Cache => _cache;

        /// <summary>The root directory.</summary>
        public FatDirectoryEntry Root { get; }

        /// <summary>
        /// Reads and validates the boot sector of <paramref name="device"/>. A bad BPB, or a volume larger
        /// than the device (a truncated image), throws <see cref="StorageFormatException"/>.
        /// </summary>
        public static FatFileSystem Mount(IBlockDevice device, int cacheBlocks = 256)
        {
            ArgumentNullException.ThrowIfNull(device);
            var cache = new FatSectorCache(device, cacheBlocks);
            if (cache.DeviceBytes < 512)
            {
                throw new StorageFormatException($"FAT: device of {cache.DeviceBytes} bytes is too small for a boot sector");
            }

            byte[] sector = new byte[512];
            cache.Read(0, sector);
            FatBootSector bootSector = FatBootSector.Parse(sector);
            ulong volumeBytes = (ulong)bootSector.TotalSectors * (uint)bootSector.BytesPerSector;
            if (volumeBytes > cache.DeviceBytes)
            {
                throw new StorageFormatException(
                    $"FAT: the volume has {bootSector.TotalSectors} sectors ({volumeBytes} bytes) but the device holds only {cache.DeviceBytes} bytes (truncated?)");
            }

            var fileSystem = new FatFileSystem(device, cache, bootSector);
            fileSystem.LoadFsInfo();
            return fileSystem;
        }

        /// <summary>The entries of <paramref name="directory"/>, without "." and "..".</summary>
        public List<FatDirectoryEntry> ReadDirectory(FatDirectoryEntry directory)
        {
            ArgumentNullException.ThrowIfNull(directory);
            if (!directory.IsDirectory)
            {
                throw new IOException($"'{directory.Path}' is not a directory");
            }

            return new List<FatDirectoryEntry>(Listing(directory));
        }

        // The cached parse of `directory` (callers must not change it).
        private List<FatDirectoryEntry> Listing(FatDirectoryEntry directory)
        {
            if (_listings.TryGetValue(directory.Path, out List<FatDirectoryEntry>? cached))
            {
                return cached;
            }

            List<FatDirectoryEntry> entries = FatDirectoryParser.Parse(ReadDirectoryBytes(directory), directory.Path);
            foreach (FatDirectoryEntry entry in entries)
            {
                entry.Parent = directory;
            }

            if (_listings.Count >= MaxCachedListings)
            {
                _listings.Clear();
            }

            _listings[directory.Path] = entries;
            return entries;
        }

        // Keeps the cached listing of `entry`'s directory in step: `replacement` takes the slot of `entry`
        // (null removes it); a directory that is removed or moved also loses its own listings and those below.
        private void UpdateListing(FatDirectoryEntry entry, FatDirectoryEntry? replacement)
        {
            if (entry.Parent != null && _listings.TryGetValue(entry.Parent.Path, out List<FatDirectoryEntry>? siblings))
            {
                int index = siblings.FindIndex(e => e.SlotIndex == entry.SlotIndex);
                if (index >= 0)
                {
                    if (replacement != null)
                    {
                        siblings[index] = replacement;
                    }
                    else
                    {
                        siblings.RemoveAt(index);
                    }
                }
                else if (replacement != null)
                {
                    _listings.Remove(entry.Parent.Path);
                }
            }

            if (entry.IsDirectory && replacement == null)
            {
                var stale = new List<string>();
                foreach (string path in _listings.Keys)
                {
                    if (string.Equals(path, entry.Path, StringComparison.OrdinalIgnoreCase)
                        || path.StartsWith(entry.Path + "/", StringComparison.OrdinalIgnoreCase))
                    {
                        stale.Add(path);
                    }
                }

                foreach (string path in stale)
                {
                    _listings.Remove(path);
                }
            }
        }

        // Adds a new entry to its directory's cached listing, in slot order.
        private void AddToListing(FatDirectoryEntry parent, FatDirectoryEntry entry)
        {
            if (_listings.TryGetValue(parent.Path, out List<FatDirectoryEntry>? siblings))
            {
                int index = siblings.FindIndex(e => e.SlotIndex > entry.SlotIndex);
                siblings.Insert(index < 0 ? siblings.Count : index, entry);
            }
        }

        /// <summary>The entries of the directory at <paramref name="path"/>.</summary>
        public List<FatDirectoryEntry> ListDirectory(string path)
        {
            FatDirectoryEntry directory = GetEntry(path);
            if (!directory.IsDirectory)
            {
                throw new DirectoryNotFoundException($"'{path}' is a file, not a directory");
            }

            return ReadDirectory(directory);
        }

        /// <summary>The entry at <paramref name="path"/>, or null when a component is missing.</summary>
        public FatDirectoryEntry? FindEntry(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            FatDirectoryEntry current = Root;
            foreach (string component in SplitPath(path))
            {
                if (!current.IsDirectory)
                {
                    return null;
                }

                FatDirectoryEntry? next = null;
                foreach (FatDirectoryEntry entry in Listing(current))
                {
                    if (string.Equals(entry.Name, component, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(entry.ShortName, component, StringComparison.OrdinalIgnoreCase))
                    {
                        next = entry;
                        break;
                    }
                }

                if (next == null)
                {
                    return null;
                }

                current = next;
            }

            return current;
        }

        /// <summary>The entry at <paramref name="path"/>; a missing one throws <see cref="FileNotFoundException"/>.</summary>
        public FatDirectoryEntry GetEntry(string path) =>
            FindEntry(path) ?? throw new FileNotFoundException($"FAT: '{path}' not found", path);

        /// <summary>Opens the file at <paramref name="path"/> for reading.</summary>
        public FatFile OpenFile(string path) => OpenFile(GetEntry(path));

        /// <summary>Opens the file <paramref name="entry"/> (from a directory listing) for reading.</summary>
        public FatFile OpenFile(FatDirectoryEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (entry.IsDirectory)
            {
                throw new UnauthorizedAccessException($"FAT: '{entry.Path}' is a directory");
            }

            return new FatFile(this, entry);
        }

        /// <summary>The whole content of the file at <paramref name="path"/>.</summary>
        public byte[] ReadAllBytes(string path) => ReadAllBytes(GetEntry(path));

        /// <summary>The whole content of the file <paramref name="entry"/>.</summary>
        public byte[] ReadAllBytes(FatDirectoryEntry entry)
        {
            FatFile file = OpenFile(entry);
            string path = entry.Path;
            byte[] data = new byte[file.Length];
            int read = file.Read(0, data);
            if (read != data.Length)
            {
                throw new StorageFormatException($"FAT: '{path}' gave {read} of {data.Length} bytes");
            }

            return data;
        }

        /// <summary>Reads bytes of the volume at a sector-relative offset (for <see cref="FatFile"/>).</summary>
        internal void ReadFileData(ulong byteOffset, Span<byte> destination) => _cache.Read(byteOffset, destination, direct: true);

        internal byte[] ReadDirectoryBytes(FatDirectoryEntry directory)
        {
            int sectorBytes = BootSector.BytesPerSector;
            if (directory != Root && directory.FirstCluster == 0)
            {
                throw new StorageFormatException($"FAT: directory '{directory.Path}' has first cluster 0");
            }

            if (directory == Root && Type != FatType.Fat32)
            {
                // FAT12/16: the root is a fixed region after the FATs.
                byte[] root = new byte[BootSector.RootDirectorySectors * sectorBytes];
                _cache.Read((ulong)BootSector.RootDirectoryFirstSector * (uint)sectorBytes, root);
                return root;
            }

            uint first = directory == Root && Type == FatType.Fat32 ? BootSector.RootCluster : directory.FirstCluster;
            List<uint> chain = Table.ReadChain(first, $"directory '{directory.Path}'");
            long bytes = (long)chain.Count * BootSector.BytesPerCluster;
            if (bytes > MaxDirectoryBytes)
            {
                throw new StorageFormatException($"FAT: directory '{directory.Path}' has {bytes} bytes, more than the {MaxDirectoryBytes} FAT allows");
            }

            byte[] data = new byte[bytes];
            for (int i = 0; i < chain.Count; i++)
            {
                _cache.Read(BootSector.ClusterFirstSector(chain[i]) * (uint)sectorBytes,
                    data.AsSpan(i * BootSector.BytesPerCluster, BootSector.BytesPerCluster));
            }

            return data;
        }

        private static List<string> SplitPath(string path)
        {
            var components = new List<string>();
            foreach (string part in path.Split('/', '\\'))
            {
                if (part.Length == 0 || part == ".")
                {
                    continue;
                }

                if (part == "..")
                {
                    if (components.Count > 0)
                    {
                        components.RemoveAt(components.Count - 1);
                    }

                    continue;
                }

                components.Add(part);
            }

            return components;
        }
    }
}
