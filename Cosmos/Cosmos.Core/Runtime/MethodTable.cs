using System.Runtime.InteropServices;

namespace Cosmos.Core.Runtime
{
    /// <summary>
    /// The head of NativeAOT's MethodTable (Internal.Runtime.MethodTable): just the fields the
    /// allocator and the panic reporter read.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MethodTable
    {
        public const uint HasComponentSizeFlag = 0x80000000;
        public const uint HasFinalizerFlag = 0x00100000;

        /// <summary>Low 16 bits: component size when <see cref="HasComponentSizeFlag"/> is set.</summary>
        public uint Flags;

        /// <summary>Size of an instance without its components, including the object header word.</summary>
        public uint BaseSize;

        public MethodTable* RelatedType;

        public bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;

        public ushort ComponentSize => HasComponentSize ? (ushort)Flags : (ushort)0;

        public bool HasFinalizer => (Flags & HasFinalizerFlag) != 0;
    }
}
