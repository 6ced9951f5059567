namespace Cosmos.System.Storage.Partitions
{
    /// <summary>What kind of partition table a disk has.</summary>
    public enum PartitionTableKind
    {
        /// <summary>None: the disk is one volume (a "superfloppy") or empty.</summary>
        None,

        /// <summary>A classic MBR, possibly with an extended partition.</summary>
        Mbr,

        /// <summary>A GUID partition table behind a protective MBR.</summary>
        Gpt,
    }
}
