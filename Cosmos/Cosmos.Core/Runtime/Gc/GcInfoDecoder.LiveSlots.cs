namespace Cosmos.Core.Runtime.Gc
{
    public unsafe partial struct GcInfoDecoder
    {
        private const uint ChunkOffsetMask = ChunkSize - 1;

        /// <summary>
        /// Reports every slot live at <paramref name="codeOffset"/> (bytes from the method's start)
        /// to <paramref name="visitor"/>, tracked slots first, then the untracked ones. For a frame
        /// that is not the innermost, the offset is that of the return address: since .NET 10
        /// safe points are recorded there, and the state they give is the state after the call.
        /// Scratch registers and the outgoing argument area are reported like any other slot;
        /// leaving them out of non-leaf frames is the caller's business.
        /// </summary>
        public GcInfoStatus EnumerateLiveSlots<TVisitor>(uint codeOffset, GcLiveSlotOptions options, ref TVisitor visitor)
            where TVisitor : struct, IGcSlotVisitor
        {
            bool aborted = (options & GcLiveSlotOptions.ExecutionAborted) != 0;
            bool untracked = (options & GcLiveSlotOptions.SkipUntracked) == 0;
            uint tracked = TrackedSlotCount;
            int safePoint = aborted ? -1 : FindSafePoint(codeOffset);
            uint pseudoOffset = 0;
            if (safePoint < 0)
            {
                if (_rangeCount == 0)
                {
                    // Partially interruptible and not at a safe point: only untracked slots are known.
                    GcInfoStatus reported = Report(null, untracked, ref visitor);
                    return reported != GcInfoStatus.Ok || aborted || tracked == 0 ? reported : GcInfoStatus.NotAtSafePoint;
                }

                if (!FindInterruptibleOffset(codeOffset, out pseudoOffset))
                {
                    // An aborted frame outside its interruptible code reports nothing at all (as the runtime does).
                    return aborted ? GcInfoStatus.Ok : GcInfoStatus.NotAtSafePoint;
                }
            }

            if (tracked == 0)
            {
                return Report(null, untracked, ref visitor);
            }

            int words = (int)((tracked + 63) / 64);
            ulong* live = stackalloc ulong[words];
            Clear(live, words);
            GcInfoStatus status = safePoint >= 0 ? ReadSafePointState((uint)safePoint, live) : ReadChunkState(pseudoOffset, live);
            return status != GcInfoStatus.Ok ? status : Report(live, untracked, ref visitor);
        }

        // The offset within the concatenated interruptible ranges, if codeOffset is inside one.
        private readonly bool FindInterruptibleOffset(uint codeOffset, out uint pseudoOffset)
        {
            pseudoOffset = 0;
            GcInfoBitReader reader = _reader;
            reader.Position = _safePointsPosition + ((ulong)_safePointCount * (ulong)_safePointBits);
            uint stop = 0, before = 0;
            for (uint i = 0; i < _rangeCount; i++)
            {
                uint start = stop + (uint)reader.ReadVarUnsigned(RangeDeltaBase);
                stop = start + (uint)reader.ReadVarUnsigned(RangeDeltaBase) + 1;
                if (codeOffset >= start && codeOffset < stop)
                {
                    pseudoOffset = before + codeOffset - start;
                    return true;
                }

                before += stop - start;
            }

            return false;
        }

        // The live state recorded for one safe point: a bit vector per safe point, or (when shared
        // states make it smaller) a table of pointers to states that may be run-length encoded.
        private readonly GcInfoStatus ReadSafePointState(uint index, ulong* live)
        {
            uint tracked = TrackedSlotCount;
            GcInfoBitReader reader = _reader;
            reader.Position = _liveStatePosition;
            if (reader.ReadBit())
            {
                ulong pointerBits = reader.ReadVarUnsigned(PointerSizeBase) + 1;
                if (pointerBits > 32)
                {
                    return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Corrupt;
                }

                ulong table = reader.Position;
                reader.Position = table + (index * pointerBits);
                ulong stateOffset = reader.Read((int)pointerBits);
                reader.Position = AlignToByte(table + (_safePointCount * pointerBits)) + stateOffset;
                return ReadStateVector(ref reader, tracked, live);
            }

            reader.Skip((ulong)index * tracked);
            for (uint slot = 0; slot < tracked; slot++)
            {
                if (reader.ReadBit())
                {
                    live[slot >> 6] |= 1UL << (int)(slot & 63);
                }
            }

            return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
        }

        // Fully-interruptible code: find the chunk holding the offset (or the last earlier chunk
        // with any transitions), take each slot's state at the chunk's end and undo the transitions
        // that happen after the offset.
        private readonly GcInfoStatus ReadChunkState(uint pseudoOffset, ulong* live)
        {
            uint tracked = TrackedSlotCount;
            GcInfoBitReader reader = _reader;
            reader.Position = _liveStatePosition;
            if (_safePointCount > 0)
            {
                if (reader.ReadBit())
                {
                    return GcInfoStatus.Corrupt;    // shared safe point states alongside ranges: never encoded
                }

                reader.Skip((ulong)_safePointCount * tracked);
            }

            uint chunkCount = (_totalInterruptibleLength + ChunkSize - 1) / ChunkSize;
            uint breakChunk = pseudoOffset / ChunkSize;
            ulong pointerBits = reader.ReadVarUnsigned(PointerSizeBase);
            if (pointerBits == 0 || reader.Overrun)
            {
                return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;   // no slot is ever live here
            }

            if (pointerBits > 32 || breakChunk >= chunkCount)
            {
                return GcInfoStatus.Corrupt;
            }

            ulong table = reader.Position;
            uint chunk = breakChunk;
            ulong pointer;
            while (true)
            {
                reader.Position = table + (chunk * pointerBits);
                pointer = reader.Read((int)pointerBits);
                if (pointer != 0)
                {
                    break;
                }

                if (chunk == 0)
                {
                    return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
                }

                chunk--;
            }

            reader.Position = AlignToByte(table + (chunkCount * pointerBits)) + pointer - 1;
            int words = (int)((tracked + 63) / 64);
            ulong* couldBeLive = stackalloc ulong[words];
            Clear(couldBeLive, words);
            GcInfoStatus status = ReadStateVector(ref reader, tracked, couldBeLive);
            if (status != GcInfoStatus.Ok)
            {
                return status;
            }

            ulong candidates = 0;
            for (int i = 0; i < words; i++)
            {
                candidates += (ulong)System.Numerics.BitOperations.PopCount(couldBeLive[i]);
            }

            GcInfoBitReader finalStates = reader;
            reader.Skip(candidates);
            uint offsetInChunk = pseudoOffset & ChunkOffsetMask;
            for (uint slot = 0; slot < tracked; slot++)
            {
                if ((couldBeLive[slot >> 6] & (1UL << (int)(slot & 63))) == 0)
                {
                    continue;
                }

                bool isLive = finalStates.ReadBit();
                if (chunk == breakChunk)
                {
                    // Each transition is (1, 6-bit offset in the chunk); a 0 bit ends the slot's list.
                    while (reader.ReadBit())
                    {
                        uint transition = (uint)reader.Read(ChunkLog2);
                        if (transition == 0)
                        {
                            return GcInfoStatus.Corrupt;
                        }

                        if (transition > offsetInChunk)
                        {
                            isLive = !isLive;
                        }
                    }
                }

                if (isLive)
                {
                    live[slot >> 6] |= 1UL << (int)(slot & 63);
                }
            }

            return reader.Overrun || finalStates.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
        }

        // A slot state vector: a 0 bit and one bit per tracked slot, or a 1 bit, a bit choosing
        // which of the two bases the skips use, then alternating skip and run lengths. The first
        // skip is stored as is, every later length minus one; they must add up to the slot count.
        private static GcInfoStatus ReadStateVector(ref GcInfoBitReader reader, uint count, ulong* bits)
        {
            if (!reader.ReadBit())
            {
                for (uint slot = 0; slot < count; slot++)
                {
                    if (reader.ReadBit())
                    {
                        bits[slot >> 6] |= 1UL << (int)(slot & 63);
                    }
                }

                return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
            }

            bool swapped = reader.ReadBit();
            int skipBase = swapped ? RleRunBase : RleSkipBase;
            int runBase = swapped ? RleSkipBase : RleRunBase;
            ulong position = reader.ReadVarUnsigned(skipBase);
            bool run = true;
            while (position < count && !reader.Overrun)
            {
                ulong length = reader.ReadVarUnsigned(run ? runBase : skipBase) + 1;
                if (length > count - position)
                {
                    return GcInfoStatus.Corrupt;
                }

                if (run)
                {
                    for (ulong slot = position; slot < position + length; slot++)
                    {
                        bits[slot >> 6] |= 1UL << (int)(slot & 63);
                    }
                }

                position += length;
                run = !run;
            }

            if (reader.Overrun)
            {
                return GcInfoStatus.Truncated;
            }

            return position == count ? GcInfoStatus.Ok : GcInfoStatus.Corrupt;
        }

        // One pass over the slot table: the tracked slots whose bit is set, then (if asked) the untracked ones.
        private readonly GcInfoStatus Report<TVisitor>(ulong* live, bool untracked, ref TVisitor visitor)
            where TVisitor : struct, IGcSlotVisitor
        {
            uint tracked = TrackedSlotCount;
            uint end = untracked ? SlotCount : (live != null ? tracked : 0);
            var cursor = SlotCursor.AtTableStart(this);
            for (uint index = 0; index < end; index++)
            {
                GcInfoStatus status = cursor.Next(out GcSlot slot);
                if (status != GcInfoStatus.Ok)
                {
                    return status;
                }

                bool isLive = index >= tracked || (live != null && (live[index >> 6] & (1UL << (int)(index & 63))) != 0);
                if (isLive)
                {
                    visitor.Visit(in slot);
                }
            }

            return GcInfoStatus.Ok;
        }

        private static ulong AlignToByte(ulong bitPosition) => (bitPosition + 7) & ~7UL;

        private static void Clear(ulong* words, int count)
        {
            for (int i = 0; i < count; i++)
            {
                words[i] = 0;
            }
        }

        /// <summary>
        /// Decodes the slot table one entry at a time. Entries are delta-encoded against the
        /// previous one while its flags are clear: registers as (number - previous - 1), stack
        /// slots as a growing normalised offset; an entry with interior or pinned flags makes the
        /// next one explicit again, as does the first tracked and the first untracked stack slot.
        /// </summary>
        private struct SlotCursor
        {
            private GcInfoBitReader _reader;
            private readonly uint _registers, _tracked, _total;
            private readonly bool _hasFrameRegister;
            private uint _index;
            private long _last;
            private GcSlotFlags _lastFlags;

            private SlotCursor(in GcInfoDecoder decoder, ulong position)
            {
                _reader = decoder._reader;
                _reader.Position = position;
                _registers = decoder._registerCount;
                _tracked = decoder._registerCount + decoder._stackSlotCount;
                _total = decoder.SlotCount;
                _hasFrameRegister = decoder.StackBaseRegister != NoStackBaseRegister;
                _index = 0;
                _last = 0;
                _lastFlags = GcSlotFlags.None;
            }

            public static SlotCursor AtEntries(in GcInfoDecoder decoder, ulong position) => new(decoder, position);

            public static SlotCursor AtTableStart(in GcInfoDecoder decoder)
            {
                // Skip the counts (a presence bit, then the numbers) to the first entry.
                GcInfoBitReader reader = decoder._reader;
                reader.Position = decoder._slotTablePosition;
                if (reader.ReadBit())
                {
                    reader.ReadVarUnsigned(RegisterCountBase);
                }

                if (reader.ReadBit())
                {
                    reader.ReadVarUnsigned(StackSlotCountBase);
                    reader.ReadVarUnsigned(UntrackedCountBase);
                }

                return new SlotCursor(decoder, reader.Position);
            }

            public readonly ulong Position => _reader.Position;

            public GcInfoStatus Next(out GcSlot slot)
            {
                slot = default;
                if (_index >= _total)
                {
                    return GcInfoStatus.Corrupt;
                }

                GcSlotFlags flags;
                if (_index < _registers)
                {
                    long register;
                    if (_index == 0 || _lastFlags != GcSlotFlags.None)
                    {
                        register = (long)_reader.ReadVarUnsigned(RegisterBase);
                        flags = (GcSlotFlags)_reader.Read(2);
                    }
                    else
                    {
                        register = _last + (long)_reader.ReadVarUnsigned(RegisterDeltaBase) + 1;
                        flags = GcSlotFlags.None;
                    }

                    if (register > 15 || register == RspEncoding)
                    {
                        return _reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Corrupt;
                    }

                    slot = new GcSlot((int)register, flags);
                    _last = register;
                }
                else
                {
                    var stackBase = (GcStackSlotBase)_reader.Read(2);
                    long offset;
                    if (_index == _registers || _index == _tracked || _lastFlags != GcSlotFlags.None)
                    {
                        offset = _reader.ReadVarSigned(StackSlotBase);
                        flags = (GcSlotFlags)_reader.Read(2);
                    }
                    else
                    {
                        offset = _last + (long)_reader.ReadVarUnsigned(StackSlotDeltaBase);
                        flags = GcSlotFlags.None;
                    }

                    bool badBase = stackBase > GcStackSlotBase.FrameRegister || (stackBase == GcStackSlotBase.FrameRegister && !_hasFrameRegister);
                    if (badBase || offset > (1L << 27) || offset < -(1L << 27))
                    {
                        return _reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Corrupt;
                    }

                    slot = new GcSlot((int)offset << StackSlotShift, stackBase, flags, _index >= _tracked);
                    _last = offset;
                }

                _lastFlags = flags;
                _index++;
                return _reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
            }
        }
    }
}
