namespace Cosmos.System.Storage.Fat
{
    /// <summary>The FAT variant, decided by the count of data clusters alone (fatgen103 "FAT Type Determination").</summary>
    public enum FatType
    {
        /// <summary>Fewer than 4085 clusters: 12-bit entries.</summary>
        Fat12,

        /// <summary>4085 to 65524 clusters: 16-bit entries.</summary>
        Fat16,

        /// <summary>65525 clusters or more: 28-bit entries in 32 bits.</summary>
        Fat32,
    }
}
