namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// Decodes the x64 GCInfo that ILC 10 emits after each method's LSDA (the format of the .NET
    /// runtime's gcinfoencoder as of .NET 10: no return kind in the header, safe points recorded
    /// at return addresses; both checked against kernel images). Layout, in bit-stream order:
    /// <list type="number">
    /// <item>Header: slim (bit 0 clear; one bit for "rbp is the stack base register") or fat
    /// (bit 0 set, ten flag bits); code length; prolog/epilog sizes with a GS cookie or generics
    /// context; the GS cookie, PSPSym, generics context and reverse P/Invoke frame slots; the stack
    /// base register; the outgoing argument area; the safe point and interruptible range counts.</item>
    /// <item>Safe point offsets, ceil(log2(code length)) bits each, sorted.</item>
    /// <item>Interruptible ranges as (start delta, length - 1) pairs.</item>
    /// <item>The slot table: registers, tracked stack slots, untracked stack slots.</item>
    /// <item>Live tracked slots at each safe point: bit vectors, or pointers to shared vectors
    /// that may be run-length encoded.</item>
    /// <item>For interruptible ranges, per 64-byte chunk of interruptible code: which slots could
    /// be live, their state at the chunk's end, and the offsets where each one changes.</item>
    /// </list>
    /// Nothing here allocates, throws or reads outside the blob, so the collector can run it and
    /// the host can feed it corrupt input.
    /// </summary>
    public unsafe partial struct GcInfoDecoder
    {
        /// <summary>The method has no stack base register.</summary>
        public const uint NoStackBaseRegister = 0xFFFFFFFF;

        /// <summary>A header stack slot (GS cookie, generics context, ...) that is absent.</summary>
        public const int NoStackSlot = -1;

        // AMD64GcInfoEncoding (gcinfotypes.h): variable-length number bases and normalisations.
        private const int CodeLengthBase = 8, PrologSizeBase = 5, EpilogSizeBase = 3, HeaderSlotBase = 6;
        private const int StackBaseRegisterBase = 3, EditAndContinueBase = 4, StackAreaBase = 3;
        private const int SafePointCountBase = 2, RangeCountBase = 1, RangeDeltaBase = 6;
        private const int RegisterCountBase = 2, StackSlotCountBase = 2, UntrackedCountBase = 1;
        private const int RegisterBase = 3, RegisterDeltaBase = 2, StackSlotBase = 6, StackSlotDeltaBase = 4;
        private const int PointerSizeBase = 3, RleRunBase = 2, RleSkipBase = 4;
        private const int ChunkLog2 = 6, ChunkSize = 1 << ChunkLog2;
        private const int FatFlagBits = 10, FlagsMask = 0x3FF;
        private const int StackSlotShift = 3, RbpEncoding = 5, RspEncoding = 4;

        // Limits far above anything ILC emits; beyond them the blob is treated as corrupt.
        private const uint MaxCodeLength = 1u << 26, MaxSlots = 1u << 16;

        private GcInfoBitReader _reader;
        private ulong _safePointsPosition, _slotTablePosition, _liveStatePosition;
        private int _safePointBits;
        private uint _codeLength, _safePointCount, _rangeCount, _totalInterruptibleLength;
        private uint _registerCount, _stackSlotCount, _untrackedCount;

        /// <summary>The method's code length in bytes (main body and funclets).</summary>
        public readonly uint CodeLength => _codeLength;

        /// <summary>The header flags (a slim header has at most <see cref="GcInfoHeaderFlags.HasStackBaseRegister"/>).</summary>
        public GcInfoHeaderFlags HeaderFlags { get; private set; }

        /// <summary>True when the blob uses the slim header.</summary>
        public bool IsSlimHeader { get; private set; }

        /// <summary>Bytes of prolog, when the header records it (GS cookie or generics context), else 0.</summary>
        public uint PrologSize { get; private set; }

        /// <summary>Bytes of epilog, when the header records it (GS cookie), else 0.</summary>
        public uint EpilogSize { get; private set; }

        /// <summary>The GS cookie's stack slot, or <see cref="NoStackSlot"/>.</summary>
        public int GSCookieStackSlot { get; private set; }

        /// <summary>The PSPSym stack slot, or <see cref="NoStackSlot"/>.</summary>
        public int PspSymStackSlot { get; private set; }

        /// <summary>The generics context stack slot, or <see cref="NoStackSlot"/>.</summary>
        public int GenericsContextStackSlot { get; private set; }

        /// <summary>The reverse P/Invoke frame's stack slot, or <see cref="NoStackSlot"/>.</summary>
        public int ReversePInvokeFrameStackSlot { get; private set; }

        /// <summary>The stack base register (x64 encoding, 5 = rbp), or <see cref="NoStackBaseRegister"/>.</summary>
        public uint StackBaseRegister { get; private set; }

        /// <summary>Size of the edit-and-continue preserved area, or 0xFFFFFFFF without one.</summary>
        public uint EditAndContinuePreservedArea { get; private set; }

        /// <summary>Bytes of outgoing argument area at the bottom of the frame (scratch for callees, never live in a non-leaf frame).</summary>
        public uint StackOutgoingAndScratchArea { get; private set; }

        /// <summary>Number of safe points (call sites whose return address has recorded live state).</summary>
        public readonly uint SafePointCount => _safePointCount;

        /// <summary>Number of fully-interruptible code ranges.</summary>
        public readonly uint InterruptibleRangeCount => _rangeCount;

        /// <summary>Register slots (the first slots of the table).</summary>
        public readonly uint RegisterSlotCount => _registerCount;

        /// <summary>Tracked stack slots (after the registers).</summary>
        public readonly uint StackSlotCount => _stackSlotCount;

        /// <summary>Untracked stack slots (last in the table; live everywhere).</summary>
        public readonly uint UntrackedSlotCount => _untrackedCount;

        /// <summary>Slots whose liveness varies: registers and tracked stack slots.</summary>
        public readonly uint TrackedSlotCount => _registerCount + _stackSlotCount;

        /// <summary>All slots.</summary>
        public readonly uint SlotCount => _registerCount + _stackSlotCount + _untrackedCount;

        /// <summary>
        /// Reads the header, safe point table, interruptible ranges and slot table of the GCInfo at
        /// <paramref name="gcInfo"/>, which holds at most <paramref name="byteLength"/> bytes (pass a
        /// generous bound when the blob's length is unknown, as it is in a running kernel).
        /// </summary>
        public static GcInfoStatus TryCreate(byte* gcInfo, ulong byteLength, out GcInfoDecoder decoder)
        {
            decoder = default;
            decoder._reader = new GcInfoBitReader(gcInfo, byteLength);
            GcInfoStatus status = decoder.ReadHeader();
            if (status != GcInfoStatus.Ok)
            {
                return status;
            }

            status = decoder.ReadTables();
            return status == GcInfoStatus.Ok && decoder._reader.Overrun ? GcInfoStatus.Truncated : status;
        }

        private GcInfoStatus ReadHeader()
        {
            ref GcInfoBitReader reader = ref _reader;
            GSCookieStackSlot = PspSymStackSlot = GenericsContextStackSlot = ReversePInvokeFrameStackSlot = NoStackSlot;
            StackBaseRegister = NoStackBaseRegister;
            EditAndContinuePreservedArea = 0xFFFFFFFF;
            IsSlimHeader = !reader.ReadBit();
            GcInfoHeaderFlags flags;
            if (IsSlimHeader)
            {
                flags = reader.ReadBit() ? GcInfoHeaderFlags.HasStackBaseRegister : GcInfoHeaderFlags.None;
            }
            else
            {
                flags = (GcInfoHeaderFlags)(reader.Read(FatFlagBits) & FlagsMask);
            }

            HeaderFlags = flags;
            _codeLength = (uint)reader.ReadVarUnsigned(CodeLengthBase);
            if (_codeLength == 0 || _codeLength > MaxCodeLength)
            {
                return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Corrupt;
            }

            bool hasGenericsContext = (flags & GcInfoHeaderFlags.GenericsContextMask) != 0;
            if (IsSlimHeader)
            {
                if (flags != GcInfoHeaderFlags.None)
                {
                    StackBaseRegister = RbpEncoding;
                }
            }
            else
            {
                if ((flags & GcInfoHeaderFlags.HasGSCookie) != 0)
                {
                    PrologSize = (uint)reader.ReadVarUnsigned(PrologSizeBase) + 1;
                    EpilogSize = (uint)reader.ReadVarUnsigned(EpilogSizeBase);
                }
                else if (hasGenericsContext)
                {
                    PrologSize = (uint)reader.ReadVarUnsigned(PrologSizeBase) + 1;
                }

                if ((flags & GcInfoHeaderFlags.HasGSCookie) != 0)
                {
                    GSCookieStackSlot = ReadHeaderStackSlot();
                }

                if ((flags & GcInfoHeaderFlags.HasPSPSym) != 0)
                {
                    PspSymStackSlot = ReadHeaderStackSlot();
                }

                if (hasGenericsContext)
                {
                    GenericsContextStackSlot = ReadHeaderStackSlot();
                }

                if ((flags & GcInfoHeaderFlags.HasStackBaseRegister) != 0)
                {
                    StackBaseRegister = (uint)reader.ReadVarUnsigned(StackBaseRegisterBase) ^ RbpEncoding;
                }

                if ((flags & GcInfoHeaderFlags.HasEditAndContinueInfo) != 0)
                {
                    EditAndContinuePreservedArea = (uint)reader.ReadVarUnsigned(EditAndContinueBase);
                }

                if ((flags & GcInfoHeaderFlags.HasReversePInvokeFrame) != 0)
                {
                    ReversePInvokeFrameStackSlot = ReadHeaderStackSlot();
                }

                StackOutgoingAndScratchArea = (uint)reader.ReadVarUnsigned(StackAreaBase) << StackSlotShift;
            }

            _safePointCount = (uint)reader.ReadVarUnsigned(SafePointCountBase);
            _rangeCount = IsSlimHeader ? 0 : (uint)reader.ReadVarUnsigned(RangeCountBase);
            if (reader.Overrun)
            {
                return GcInfoStatus.Truncated;
            }

            bool badRegister = StackBaseRegister != NoStackBaseRegister && (StackBaseRegister > 15 || StackBaseRegister == RspEncoding);
            if (badRegister || _safePointCount > _codeLength || _rangeCount > _codeLength || PrologSize > _codeLength || EpilogSize > _codeLength)
            {
                return GcInfoStatus.Corrupt;
            }

            return GcInfoStatus.Ok;
        }

        private int ReadHeaderStackSlot() => (int)_reader.ReadVarSigned(HeaderSlotBase) << StackSlotShift;

        // Safe points and ranges are checked here (sorted, inside the code) because every later
        // lookup relies on it; the slot table is walked once to find where the live states start.
        private GcInfoStatus ReadTables()
        {
            ref GcInfoBitReader reader = ref _reader;
            _safePointBits = CeilLog2(_codeLength);
            _safePointsPosition = reader.Position;
            uint previous = 0;
            for (uint i = 0; i < _safePointCount; i++)
            {
                uint offset = (uint)reader.Read(_safePointBits);
                if (offset >= _codeLength || (i > 0 && offset <= previous))
                {
                    return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Corrupt;
                }

                previous = offset;
            }

            uint lastStop = 0;
            for (uint i = 0; i < _rangeCount; i++)
            {
                ulong start = lastStop + reader.ReadVarUnsigned(RangeDeltaBase);
                ulong stop = start + reader.ReadVarUnsigned(RangeDeltaBase) + 1;
                if (stop > _codeLength)
                {
                    return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Corrupt;
                }

                _totalInterruptibleLength += (uint)(stop - start);
                lastStop = (uint)stop;
            }

            _slotTablePosition = reader.Position;
            if (reader.ReadBit())
            {
                _registerCount = (uint)reader.ReadVarUnsigned(RegisterCountBase);
            }

            if (reader.ReadBit())
            {
                _stackSlotCount = (uint)reader.ReadVarUnsigned(StackSlotCountBase);
                _untrackedCount = (uint)reader.ReadVarUnsigned(UntrackedCountBase);
            }

            if (reader.Overrun)
            {
                return GcInfoStatus.Truncated;
            }

            if (_registerCount > MaxSlots || _stackSlotCount > MaxSlots || _untrackedCount > MaxSlots)
            {
                return GcInfoStatus.Corrupt;
            }

            var cursor = SlotCursor.AtEntries(this, reader.Position);
            for (uint i = 0; i < SlotCount; i++)
            {
                GcInfoStatus status = cursor.Next(out _);
                if (status != GcInfoStatus.Ok)
                {
                    return status;
                }
            }

            _liveStatePosition = cursor.Position;
            return GcInfoStatus.Ok;
        }

        /// <summary>The code offset of safe point <paramref name="index"/>: the return address of a call.</summary>
        public GcInfoStatus GetSafePoint(uint index, out uint codeOffset)
        {
            codeOffset = 0;
            if (index >= _safePointCount)
            {
                return GcInfoStatus.Corrupt;
            }

            GcInfoBitReader reader = _reader;
            reader.Position = _safePointsPosition + ((ulong)index * (ulong)_safePointBits);
            codeOffset = (uint)reader.Read(_safePointBits);
            return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
        }

        /// <summary>The index of the safe point at <paramref name="codeOffset"/>, or -1 (binary search; the table is sorted).</summary>
        public int FindSafePoint(uint codeOffset)
        {
            int low = 0, high = (int)_safePointCount - 1;
            while (low <= high)
            {
                int middle = (low + high) / 2;
                GetSafePoint((uint)middle, out uint offset);
                if (offset == codeOffset)
                {
                    return middle;
                }

                if (offset < codeOffset)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return -1;
        }

        /// <summary>Fully-interruptible range <paramref name="index"/>: code offsets [start, stop).</summary>
        public GcInfoStatus GetInterruptibleRange(uint index, out uint start, out uint stop)
        {
            start = stop = 0;
            if (index >= _rangeCount)
            {
                return GcInfoStatus.Corrupt;
            }

            GcInfoBitReader reader = _reader;
            reader.Position = _safePointsPosition + ((ulong)_safePointCount * (ulong)_safePointBits);
            for (uint i = 0; i <= index; i++)
            {
                start = stop + (uint)reader.ReadVarUnsigned(RangeDeltaBase);
                stop = start + (uint)reader.ReadVarUnsigned(RangeDeltaBase) + 1;
            }

            return reader.Overrun ? GcInfoStatus.Truncated : GcInfoStatus.Ok;
        }

        /// <summary>Slot <paramref name="index"/> of the slot table (decoded from the start: meant for inspection, not hot paths).</summary>
        public GcInfoStatus GetSlot(uint index, out GcSlot slot)
        {
            slot = default;
            if (index >= SlotCount)
            {
                return GcInfoStatus.Corrupt;
            }

            var cursor = SlotCursor.AtTableStart(this);
            for (uint i = 0; i <= index; i++)
            {
                GcInfoStatus status = cursor.Next(out slot);
                if (status != GcInfoStatus.Ok)
                {
                    return status;
                }
            }

            return GcInfoStatus.Ok;
        }

        // ceil(log2(x)) for x >= 1: the bits a safe point offset takes.
        private static int CeilLog2(uint x)
        {
            ulong value = ((ulong)x << 1) - 1;
            int log = -1;
            while (value != 0)
            {
                value >>= 1;
                log++;
            }

            return log;
        }
    }
}
