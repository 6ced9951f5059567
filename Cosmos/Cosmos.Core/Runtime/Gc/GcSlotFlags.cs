using System;

namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>What a root slot holds, as ILC's GCInfo describes it (GC_SLOT_INTERIOR, GC_SLOT_PINNED).</summary>
    [Flags]
    public enum GcSlotFlags
    {
        /// <summary>An object reference (or null).</summary>
        None = 0,

        /// <summary>An interior pointer (a <c>ref</c> into an object or array element, or to a non-heap location).</summary>
        Interior = 1,

        /// <summary>The object must not move while the slot is live.</summary>
        Pinned = 2,
    }
}
