using System;

namespace Cosmos.System.Storage.Fat
{
    /// <summary>Directory entry attribute bits (fatgen103 "FAT 32 Byte Directory Entry Structure").</summary>
    [Flags]
    public enum FatAttributes : byte
    {
        /// <summary>No bits.</summary>
        None = 0,

        /// <summary>ATTR_READ_ONLY.</summary>
        ReadOnly = 0x01,

        /// <summary>ATTR_HIDDEN.</summary>
        Hidden = 0x02,

        /// <summary>ATTR_SYSTEM.</summary>
        System = 0x04,

        /// <summary>ATTR_VOLUME_ID.</summary>
        VolumeId = 0x08,

        /// <summary>ATTR_DIRECTORY.</summary>
        Directory = 0x10,

        /// <summary>ATTR_ARCHIVE.</summary>
        Archive = 0x20,

        /// <summary>ATTR_LONG_NAME: all four low bits together mark a long-name entry.</summary>
        LongName = ReadOnly | Hidden | System | VolumeId,
    }
}
