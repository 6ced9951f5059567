using System;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>A file or directory as its directory lists it: long name if valid, short name, attributes, first cluster, size, times.</summary>
    public sealed class FatDirectoryEntry
    {
        internal FatDirectoryEntry(string name, string shortName, FatAttributes attributes, uint firstCluster, uint size,
            DateTime created, DateTime modified, DateTime accessed, string path)
        {
            Name = name;
            ShortName = shortName;
            Attributes = attributes;
            FirstCluster = firstCluster;
            Size = size;
            Created = created;
            Modified = modified;
            Accessed = accessed;
            Path = path;
        }

        /// <summary>The long name when one is present and its checksum matches, else the short name.</summary>
        public string Name { get; }

        /// <summary>The 8.3 name ("README.TXT"), with the Windows NT lower-case flags applied.</summary>
        public string ShortName { get; }

        /// <summary>DIR_Attr.</summary>
        public FatAttributes Attributes { get; }

        /// <summary>True for a directory.</summary>
        public bool IsDirectory => (Attributes & FatAttributes.Directory) != 0;

        /// <summary>DIR_FstClusHI:DIR_FstClusLO; 0 for an empty file (and for the FAT12/16 root).</summary>
        public uint FirstCluster { get; }

        /// <summary>DIR_FileSize in bytes (0 for directories).</summary>
        public uint Size { get; }

        /// <summary>DIR_CrtDate/DIR_CrtTime/DIR_CrtTimeTenth (local time as stored); <see cref="DateTime.MinValue"/> when invalid.</summary>
        public DateTime Created { get; }

        /// <summary>DIR_WrtDate/DIR_WrtTime.</summary>
        public DateTime Modified { get; }

        /// <summary>DIR_LstAccDate (a date only).</summary>
        public DateTime Accessed { get; }

        /// <summary>The absolute path on the volume, "/" separated ("/docs/a.txt"; "/" for the root).</summary>
        public string Path { get; }

        /// <summary>The directory holding this entry (null for the root and until listed through a file system).</summary>
        public FatDirectoryEntry? Parent { get; internal set; }

        /// <summary>The slot (32-byte index) of the short entry in its directory.</summary>
        internal int SlotIndex { get; set; }

        /// <summary>The first slot of the entry, its first long-name slot when it has a valid long name.</summary>
        internal int FirstSlotIndex { get; set; }

        /// <summary>The 11 raw bytes of the short name.</summary>
        internal byte[] RawShortName { get; set; } = new byte[11];

        /// <inheritdoc/>
        public override string ToString() => Path;

        // The same entry (same slots, same parent) after its content changed.
        internal FatDirectoryEntry With(uint firstCluster, uint size, FatAttributes attributes, DateTime modified) =>
            new FatDirectoryEntry(Name, ShortName, attributes, firstCluster, size, Created, modified, modified.Date, Path)
            {
                Parent = Parent,
                SlotIndex = SlotIndex,
                FirstSlotIndex = FirstSlotIndex,
                RawShortName = RawShortName,
            };
    }
}
