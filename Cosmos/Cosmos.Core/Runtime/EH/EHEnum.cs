using System.Runtime;
using System.Runtime.InteropServices;

namespace Cosmos.Core.Runtime.EH
{
    /// <summary>
    /// Enumerates a method's EH clauses from ILC's __ehinfo blob (docs/runtime-contract.md §2.3):
    /// a compressed count, then per clause tryStart, tryLength&lt;&lt;2|kind, handler offset and
    /// a type (relative pointer) or filter offset.
    /// </summary>
    internal static unsafe class EHEnum
    {
        private const uint KindTyped = 0, KindFilter = 2;

        // Our 32-byte EHEnum: method start, cursor, clauses left.
        [StructLayout(LayoutKind.Sequential)]
        private struct State
        {
            public ulong MethodStart;
            public byte* Cursor;
            public uint Remaining;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Clause
        {
            public int Kind;
            public uint TryStartOffset;
            public uint TryEndOffset;
            public ulong FilterAddress;
            public ulong HandlerAddress;
            public void* TargetType;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct MethodRegionInfo
        {
            public ulong HotStart, HotSize, ColdStart, ColdSize;
        }

        [RuntimeExport("RhpEHEnumInitFromStackFrameIterator")]
        private static bool Init(FrameIterator* iterator, MethodRegionInfo* region, State* state)
        {
            region->HotStart = iterator->Code.MethodStart;
            region->HotSize = 0;
            region->ColdStart = 0;
            region->ColdSize = 0;
            byte* ehInfo = (iterator->Flags & FrameIterator.FlagHasCode) != 0 ? iterator->Code.EHInfo : null;
            if (ehInfo == null)
            {
                return false;
            }

            state->MethodStart = iterator->Code.MethodStart;
            state->Remaining = ReadCompressed(ref ehInfo);
            state->Cursor = ehInfo;
            return true;
        }

        [RuntimeExport("RhpEHEnumNext")]
        private static bool Next(State* state, Clause* clause)
        {
            if (state->Remaining == 0)
            {
                return false;
            }

            state->Remaining--;
            byte* p = state->Cursor;
            uint tryStart = ReadCompressed(ref p);
            uint lengthAndKind = ReadCompressed(ref p);
            uint kind = lengthAndKind & 3;
            clause->Kind = (int)kind;
            clause->TryStartOffset = tryStart;
            clause->TryEndOffset = tryStart + (lengthAndKind >> 2);
            clause->HandlerAddress = state->MethodStart + ReadCompressed(ref p);
            clause->FilterAddress = 0;
            clause->TargetType = null;
            if (kind == KindTyped)
            {
                clause->TargetType = p + *(int*)p;
                p += 4;
            }
            else if (kind == KindFilter)
            {
                clause->FilterAddress = state->MethodStart + ReadCompressed(ref p);
            }

            state->Cursor = p;
            return true;
        }

        // NativeAOT's VarInt: the low bits of the first byte give the length.
        private static uint ReadCompressed(ref byte* p)
        {
            uint b = p[0];
            if ((b & 1) == 0)
            {
                p += 1;
                return b >> 1;
            }

            if ((b & 2) == 0)
            {
                uint v = (uint)(p[0] | (p[1] << 8));
                p += 2;
                return v >> 2;
            }

            if ((b & 4) == 0)
            {
                uint v = (uint)(p[0] | (p[1] << 8) | (p[2] << 16));
                p += 3;
                return v >> 3;
            }

            if ((b & 8) == 0)
            {
                uint v = *(uint*)p;
                p += 4;
                return v >> 4;
            }

            uint value = *(uint*)(p + 1);
            p += 5;
            return value;
        }
    }
}
