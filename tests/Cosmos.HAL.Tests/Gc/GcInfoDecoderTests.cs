using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Cosmos.Core.Runtime.Gc;
using Xunit;

namespace Cosmos.HAL.Tests.Gc;

/// <summary>
/// GcInfoDecoder against every method of a real kernel image (tests/Kernels/RuntimeTests): each
/// GCInfo blob is decoded at every safe point and every fully-interruptible offset, and what
/// comes out must be consistent with the code (code lengths, call instructions before safe
/// points) and with itself (valid registers, aligned stack slots, no slot twice).
/// </summary>
public sealed unsafe class GcInfoDecoderTests
{
    private static readonly Lazy<KernelGcInfo> Kernel = new(() => new KernelGcInfo(RuntimeTestsKernelImage.Get()));

    [Fact]
    public void KernelImage_HasThousandsOfManagedMethods_AndFullyInterruptibleOnes()
    {
        KernelGcInfo kernel = Kernel.Value;
        Assert.True(kernel.Methods.Count > 5000, $"found {kernel.Methods.Count} managed methods in kernel.elf; expected thousands");
        int interruptible = kernel.Methods.Count(m => kernel.Decode(m).InterruptibleRangeCount > 0);
        int withFunclets = kernel.Methods.Count(m => m.HasFunclets);
        Assert.True(interruptible > 100, $"only {interruptible} methods have interruptible ranges");
        Assert.True(withFunclets > 100, $"only {withFunclets} methods have funclets");
    }

    [Fact]
    public void EveryMethod_HeaderDecodes_AndCodeLengthSpansMainBodyAndFunclets()
    {
        KernelGcInfo kernel = Kernel.Value;
        var failures = new List<string>();
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoStatus status = kernel.TryDecode(method, out GcInfoDecoder decoder);
            if (status != GcInfoStatus.Ok)
            {
                failures.Add($"0x{method.Start:x}: {status}");
            }
            else if (decoder.CodeLength != method.Extent)
            {
                failures.Add($"0x{method.Start:x}: code length {decoder.CodeLength}, FDEs span {method.Extent}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {kernel.Methods.Count} methods: {string.Join("; ", failures.Take(10))}");
    }

    [Fact]
    public void EveryMethod_DecodesAtEverySafePoint()
    {
        KernelGcInfo kernel = Kernel.Value;
        var failures = new List<string>();
        long safePoints = 0, liveSlots = 0;
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoDecoder decoder = kernel.Decode(method);
            for (uint i = 0; i < decoder.SafePointCount; i++)
            {
                Assert.Equal(GcInfoStatus.Ok, decoder.GetSafePoint(i, out uint offset));
                Assert.Equal((int)i, decoder.FindSafePoint(offset));
                safePoints++;
                liveSlots += CheckLiveSlots(decoder, method, offset, GcLiveSlotOptions.None, failures);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures at {safePoints} safe points: {string.Join("; ", failures.Take(10))}");
        Assert.True(safePoints > 10000 && liveSlots > 1000, $"{safePoints} safe points, {liveSlots} live slots: too few to mean anything");
    }

    [Fact]
    public void EveryMethod_DecodesAtEveryInterruptibleOffset_ResumingOrAborted()
    {
        KernelGcInfo kernel = Kernel.Value;
        var failures = new List<string>();
        long offsets = 0;
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoDecoder decoder = kernel.Decode(method);
            for (uint range = 0; range < decoder.InterruptibleRangeCount; range++)
            {
                Assert.Equal(GcInfoStatus.Ok, decoder.GetInterruptibleRange(range, out uint start, out uint stop));
                for (uint offset = start; offset < stop; offset++)
                {
                    offsets++;
                    CheckLiveSlots(decoder, method, offset, GcLiveSlotOptions.None, failures);
                    CheckLiveSlots(decoder, method, offset, GcLiveSlotOptions.ExecutionAborted, failures);
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures at {offsets} offsets: {string.Join("; ", failures.Take(10))}");
        Assert.True(offsets > 10000, $"only {offsets} interruptible offsets");
    }

    [Fact]
    public void InterruptibleRanges_AreSortedDisjointAndInsideTheCode_AndExcludeSafePoints()
    {
        KernelGcInfo kernel = Kernel.Value;
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoDecoder decoder = kernel.Decode(method);
            uint previousStop = 0;
            for (uint range = 0; range < decoder.InterruptibleRangeCount; range++)
            {
                decoder.GetInterruptibleRange(range, out uint start, out uint stop);
                Assert.True(start >= previousStop && stop > start && stop <= decoder.CodeLength,
                    $"0x{method.Start:x}: range {range} [{start}, {stop}) after {previousStop}, code length {decoder.CodeLength}");
                previousStop = stop;
            }

            // ILC never mixes the two: a method is either partially or fully interruptible.
            Assert.False(decoder.InterruptibleRangeCount > 0 && decoder.SafePointCount > 0, $"0x{method.Start:x} has both safe points and interruptible ranges");
        }
    }

    [Fact]
    public void SlotTables_HoldOnlyGcRegistersAndAlignedStackSlots()
    {
        KernelGcInfo kernel = Kernel.Value;
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoDecoder decoder = kernel.Decode(method);
            for (uint i = 0; i < decoder.SlotCount; i++)
            {
                Assert.Equal(GcInfoStatus.Ok, decoder.GetSlot(i, out GcSlot slot));
                Assert.True(CheckSlot(decoder, slot) == null, $"0x{method.Start:x} slot {i}: {CheckSlot(decoder, slot)}");
                Assert.Equal(i < decoder.RegisterSlotCount, slot.IsRegister);
                Assert.Equal(i >= decoder.TrackedSlotCount, slot.IsUntracked);
            }
        }
    }

    [Fact]
    public void SafePoints_AreReturnAddresses_ACallInstructionEndsAtEach()
    {
        KernelGcInfo kernel = Kernel.Value;
        var failures = new List<string>();
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoDecoder decoder = kernel.Decode(method);
            for (uint i = 0; i < decoder.SafePointCount; i++)
            {
                decoder.GetSafePoint(i, out uint offset);
                ReadOnlySpan<byte> code = kernel.Image.BytesToSectionEnd(method.Start);
                if (!X64CallRecognizer.CallEndsAt(code, (int)offset))
                {
                    failures.Add($"0x{method.Start + offset:x} (0x{method.Start:x}+{offset}): {Convert.ToHexString(code.Slice(Math.Max(0, (int)offset - 8), Math.Min(8, (int)offset)))}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} safe points follow no call: {string.Join("; ", failures.Take(10))}");
    }

    [Fact]
    public void TheImage_UsesEveryEncodingTheDecoderImplements()
    {
        KernelGcInfo kernel = Kernel.Value;
        var seen = new HashSet<string>();
        foreach (ManagedMethod method in kernel.Methods)
        {
            GcInfoDecoder decoder = kernel.Decode(method);
            seen.Add(decoder.IsSlimHeader ? "slim header" : "fat header");
            if (decoder.StackBaseRegister != GcInfoDecoder.NoStackBaseRegister)
            {
                seen.Add("stack base register");
            }

            if (decoder.ReversePInvokeFrameStackSlot != GcInfoDecoder.NoStackSlot)
            {
                seen.Add("reverse P/Invoke frame");
            }

            if (decoder.StackOutgoingAndScratchArea > 0)
            {
                seen.Add("outgoing argument area");
            }

            for (uint i = 0; i < decoder.SlotCount; i++)
            {
                decoder.GetSlot(i, out GcSlot slot);
                seen.Add(slot.IsRegister ? "register slot" : slot.IsUntracked ? "untracked slot" : "tracked stack slot");
                seen.Add($"{(slot.IsRegister ? "register" : slot.Base.ToString())} {slot.Flags}");
            }
        }

        string[] expected =
        [
            "slim header", "fat header", "stack base register", "reverse P/Invoke frame", "outgoing argument area",
            "register slot", "untracked slot", "tracked stack slot", "register Interior", "FrameRegister None",
            "FrameRegister Interior", "FrameRegister Pinned",
        ];
        string[] missing = expected.Where(e => !seen.Contains(e)).ToArray();
        Assert.True(missing.Length == 0, $"the image never uses: {string.Join(", ", missing)}; it uses: {string.Join(", ", seen.OrderBy(s => s))}");
    }

    [Fact]
    public void TheRootCheckMethod_HoldsFourObjectsAndAnInteriorPointerAcrossOneCall()
    {
        // tests/Kernels/RuntimeTests/Checks/GcRootChecks.cs keeps three locals, its argument and a ref
        // into an array live across its call to Capture: some safe point must say so.
        KernelGcInfo kernel = Kernel.Value;
        const string symbol = "RuntimeTests_RuntimeTests_Checks_GcRootChecks__HoldThreeObjectsAndAnInteriorPointer";
        ulong start = kernel.Image.FindSymbol(symbol) ?? throw new InvalidOperationException($"kernel.elf has no symbol {symbol}");
        ManagedMethod method = kernel.Methods.Single(m => m.Start == start);
        GcInfoDecoder decoder = kernel.Decode(method);
        var seen = new List<string>();
        for (uint i = 0; i < decoder.SafePointCount; i++)
        {
            decoder.GetSafePoint(i, out uint offset);
            var visitor = new CollectingVisitor { Slots = new List<GcSlot>() };
            Assert.Equal(GcInfoStatus.Ok, decoder.EnumerateLiveSlots(offset, GcLiveSlotOptions.None, ref visitor));
            if (visitor.Slots.Count(s => s.Flags == GcSlotFlags.None) >= 4 && visitor.Slots.Count(s => s.Flags == GcSlotFlags.Interior) >= 1)
            {
                return;
            }

            seen.Add($"+{offset}: {string.Join(", ", visitor.Slots.Select(Describe))}");
        }

        Assert.Fail($"no safe point of {symbol} has four objects and an interior pointer live: {string.Join("; ", seen)}");
    }

    [Fact]
    public void TruncatedBlobs_DecodeToTheSameSlotsOrSayTheyAreTruncated()
    {
        KernelGcInfo kernel = Kernel.Value;
        int truncatedSeen = 0;
        foreach (ManagedMethod method in kernel.Methods.Where((m, i) => i % 150 == 0))
        {
            ReadOnlySpan<byte> bytes = kernel.Image.BytesToSectionEnd(method.GcInfo);
            byte[] full = bytes[..Math.Min(128, bytes.Length)].ToArray();
            GcInfoDecoder complete = kernel.Decode(method);
            uint[] offsets = Enumerable.Range(0, (int)complete.SafePointCount)
                .Select(i => { complete.GetSafePoint((uint)i, out uint offset); return offset; })
                .Concat(Enumerable.Range(0, (int)Math.Min(complete.CodeLength, 512u)).Where(o => o % 5 == 0).Select(o => (uint)o))
                .ToArray();
            string[] expected = offsets.Select(o => LiveSlotsAt(complete, o)).ToArray();
            for (int length = 0; length < full.Length; length++)
            {
                // The blob cut to `length` bytes: every answer is the complete blob's, or says the blob ended.
                byte[] truncated = full[..length];
                fixed (byte* blob = truncated)
                {
                    GcInfoStatus status = GcInfoDecoder.TryCreate(blob, (ulong)length, out GcInfoDecoder decoder);
                    if (status != GcInfoStatus.Ok)
                    {
                        Assert.True(status is GcInfoStatus.Truncated or GcInfoStatus.Corrupt, $"0x{method.Start:x} cut to {length} bytes: {status}");
                        truncatedSeen++;
                        continue;
                    }

                    for (int i = 0; i < offsets.Length; i++)
                    {
                        string actual = LiveSlotsAt(decoder, offsets[i]);
                        Assert.True(actual == expected[i] || actual.StartsWith("Truncated", StringComparison.Ordinal) || actual.StartsWith("Corrupt", StringComparison.Ordinal),
                            $"0x{method.Start:x} cut to {length} bytes, offset {offsets[i]}: {actual}; complete: {expected[i]}");
                    }
                }
            }
        }

        Assert.True(truncatedSeen > 0, "no truncation was noticed at all");
    }

    private static string LiveSlotsAt(GcInfoDecoder decoder, uint offset)
    {
        var visitor = new CollectingVisitor { Slots = new List<GcSlot>() };
        GcInfoStatus status = decoder.EnumerateLiveSlots(offset, GcLiveSlotOptions.None, ref visitor);
        return $"{status}: {string.Join(", ", visitor.Slots.Select(Describe))}";
    }

    [Fact]
    public void FlippedBits_NeverThrowOrHang()
    {
        KernelGcInfo kernel = Kernel.Value;
        var random = new Random(1234);
        var outcomes = new Dictionary<GcInfoStatus, int>();
        foreach (ManagedMethod method in kernel.Methods.Where((m, i) => i % 25 == 0))
        {
            ReadOnlySpan<byte> bytes = kernel.Image.BytesToSectionEnd(method.GcInfo);
            byte[] blob = bytes[..Math.Min(64, bytes.Length)].ToArray();
            for (int trial = 0; trial < 20; trial++)
            {
                byte[] corrupt = (byte[])blob.Clone();
                corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
                fixed (byte* p = corrupt)
                {
                    GcInfoStatus status = GcInfoDecoder.TryCreate(p, (ulong)corrupt.Length, out GcInfoDecoder decoder);
                    outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
                    if (status == GcInfoStatus.Ok)
                    {
                        ExerciseEverything(decoder);
                    }
                }
            }
        }

        Assert.True(outcomes.Keys.Count > 1, $"outcomes: {string.Join(", ", outcomes)}");
    }

    // Every query the decoder answers, at the method's safe points and across its code; none may throw.
    private static void ExerciseEverything(GcInfoDecoder decoder)
    {
        var visitor = new CollectingVisitor { Slots = new List<GcSlot>() };
        for (uint i = 0; i < decoder.SlotCount; i++)
        {
            decoder.GetSlot(i, out _);
        }

        for (uint i = 0; i < decoder.SafePointCount; i++)
        {
            decoder.GetSafePoint(i, out uint offset);
            decoder.EnumerateLiveSlots(offset, GcLiveSlotOptions.None, ref visitor);
        }

        // Every interruptible range's offsets are reached too, sampled to keep the run short.
        for (uint offset = 0; offset <= Math.Min(decoder.CodeLength, 2048u); offset += 3)
        {
            decoder.EnumerateLiveSlots(offset, GcLiveSlotOptions.None, ref visitor);
            decoder.EnumerateLiveSlots(offset, GcLiveSlotOptions.ExecutionAborted, ref visitor);
        }
    }

    // Decodes at one offset and checks what comes out; returns how many slots were live.
    private static int CheckLiveSlots(GcInfoDecoder decoder, ManagedMethod method, uint offset, GcLiveSlotOptions options, List<string> failures)
    {
        var visitor = new CollectingVisitor { Slots = new List<GcSlot>() };
        GcInfoStatus status = decoder.EnumerateLiveSlots(offset, options, ref visitor);
        string where = $"0x{method.Start:x}+{offset} ({options})";
        if (status != GcInfoStatus.Ok)
        {
            failures.Add($"{where}: {status}");
            return 0;
        }

        var distinct = new HashSet<(bool, int, int, GcStackSlotBase)>();
        bool untrackedSeen = false;
        foreach (GcSlot slot in visitor.Slots)
        {
            string? problem = CheckSlot(decoder, slot);
            if (problem != null)
            {
                failures.Add($"{where}: {problem}");
            }

            if (!distinct.Add((slot.IsRegister, slot.Register, slot.StackOffset, slot.Base)))
            {
                failures.Add($"{where}: a slot reported twice ({Describe(slot)})");
            }

            if (untrackedSeen && !slot.IsUntracked)
            {
                failures.Add($"{where}: a tracked slot after an untracked one");
            }

            untrackedSeen |= slot.IsUntracked;
        }

        if (visitor.Slots.Count(s => s.IsUntracked) != decoder.UntrackedSlotCount && (options & GcLiveSlotOptions.ExecutionAborted) == 0)
        {
            failures.Add($"{where}: {visitor.Slots.Count(s => s.IsUntracked)} untracked slots reported of {decoder.UntrackedSlotCount}");
        }

        return visitor.Slots.Count;
    }

    private static string? CheckSlot(GcInfoDecoder decoder, GcSlot slot)
    {
        if (slot.IsRegister)
        {
            return slot.Register is < 0 or > 15 or 4 ? $"register {slot.Register} cannot hold a reference" : null;
        }

        if (slot.StackOffset % 8 != 0)
        {
            return $"stack slot {Describe(slot)} is not 8-byte aligned";
        }

        if (slot.Base == GcStackSlotBase.FrameRegister && decoder.StackBaseRegister == GcInfoDecoder.NoStackBaseRegister)
        {
            return $"stack slot {Describe(slot)} is relative to a frame register the method does not have";
        }

        return null;
    }

    private static string Describe(GcSlot slot) =>
        slot.IsRegister ? $"r{slot.Register} {slot.Flags}" : $"{slot.Base}{slot.StackOffset:+#;-#;+0} {slot.Flags}{(slot.IsUntracked ? " untracked" : string.Empty)}";

    private struct CollectingVisitor : IGcSlotVisitor
    {
        public List<GcSlot> Slots;

        public readonly void Visit(in GcSlot slot) => Slots.Add(slot);
    }

    /// <summary>The image, pinned for the whole run so that decoders can point into it, and its methods.</summary>
    private sealed class KernelGcInfo
    {
        private readonly byte* _file;

        public KernelGcInfo(ElfImage image)
        {
            Image = image;
            Methods = ManagedMethodTable.Read(image);
            _file = (byte*)GCHandle.Alloc(image.File, GCHandleType.Pinned).AddrOfPinnedObject();
        }

        public ElfImage Image { get; }

        public IReadOnlyList<ManagedMethod> Methods { get; }

        public GcInfoStatus TryDecode(ManagedMethod method, out GcInfoDecoder decoder)
        {
            int length = Image.BytesToSectionEnd(method.GcInfo).Length;
            return GcInfoDecoder.TryCreate(_file + Image.FileOffsetOf(method.GcInfo), (ulong)length, out decoder);
        }

        public GcInfoDecoder Decode(ManagedMethod method)
        {
            GcInfoStatus status = TryDecode(method, out GcInfoDecoder decoder);
            Assert.True(status == GcInfoStatus.Ok, $"GCInfo of the method at 0x{method.Start:x}: {status}");
            return decoder;
        }
    }
}
