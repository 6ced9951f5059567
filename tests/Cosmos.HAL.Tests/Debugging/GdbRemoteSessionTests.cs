using System;
using System.Linq;
using Cosmos.Core.Debugging;
using Xunit;

namespace Cosmos.HAL.Tests.Debugging;

/// <summary>
/// The kernel's GDB remote protocol against a scripted gdb: framing and acks, queries gdb makes on
/// connecting, registers, memory, software breakpoints, resuming, and malformed packets.
/// </summary>
public sealed class GdbRemoteSessionTests
{
    private const ulong Base = 0x100000;

    private static (GdbRemoteSession Session, FakeGdbChannel Gdb, FakeGdbTarget Target) Create()
    {
        var gdb = new FakeGdbChannel();
        var target = new FakeGdbTarget(Base, 256);
        for (int i = 0; i < target.Memory.Length; i++)
        {
            target.Memory[i] = (byte)i;
        }

        return (new GdbRemoteSession(gdb), gdb, target);
    }

    [Fact]
    public void AnswersTheConnectionQueriesAndAcknowledgesEveryPacket()
    {
        var (session, gdb, target) = Create();
        gdb.SendRaw("+").Send("qSupported:multiprocess+;swbreak+;xmlRegisters=i386").Send("qAttached").Send("qfThreadInfo")
            .Send("qsThreadInfo").Send("qC").Send("Hg0").Send("?").Send("vMustReplyEmpty").Send("c");

        GdbResume resume = session.Serve(target, GdbStopReason.Trap);

        Assert.Equal(GdbResume.Continue, resume);
        Assert.Equal(["PacketSize=1000;swbreak+", "1", "m1", "l", "QC1", "OK", "S05", ""], gdb.Replies());
        Assert.StartsWith("+$", gdb.Output.ToString());
        Assert.True(session.AwaitingStop);
        Assert.True(session.IsConnected);
    }

    [Fact]
    public void RegistersGoOutLittleEndianInGdbsAmd64Order()
    {
        var (session, gdb, target) = Create();
        target.Registers[GdbRegisters.Rax] = 0x1122334455667788;
        target.Registers[GdbRegisters.Rip] = 0x19c0f0;
        target.Registers[GdbRegisters.Eflags] = 0x246;
        gdb.Send("g").Send("D");

        session.Serve(target, GdbStopReason.Trap);

        string registers = gdb.Replies()[0];
        Assert.Equal((17 * 16) + (7 * 8), registers.Length);
        Assert.Equal("8877665544332211", registers[..16]);
        Assert.Equal("f0c0190000000000", registers.Substring(16 * 16, 16));
        Assert.Equal("46020000", registers.Substring(17 * 16, 8));
    }

    [Fact]
    public void WritesOneRegisterOrAllOfThem()
    {
        var (session, gdb, target) = Create();
        string all = string.Concat(Enumerable.Range(0, GdbRegisters.Count).Select(n => GdbRegisters.Size(n) == 8 ? $"{n:x2}00000000000000" : $"{n:x2}000000"));
        gdb.Send("P10=efbeadde00000000").Send("G" + all).Send("P99=00").Send("P10=zz").Send("D");

        session.Serve(target, GdbStopReason.Trap);

        Assert.Equal(["OK", "OK", "E16", "E16", "OK"], gdb.Replies());
        Assert.Equal(16UL, target.Registers[GdbRegisters.Rip]);     // G after P: its value wins
        Assert.Equal(23UL, target.Registers[GdbRegisters.Gs]);
    }

    [Fact]
    public void ReadsAndWritesMemoryAndRefusesUnmappedAddresses()
    {
        var (session, gdb, target) = Create();
        gdb.Send($"m{Base + 16:x},4").Send($"M{Base + 32:x},3:aabbcc").Send($"m{Base + 32:x},3")
            .Send("m0,8").Send($"M{Base + 254:x},4:01020304").Send($"m{Base:x}").Send($"M{Base:x},2:abc").Send("D");

        session.Serve(target, GdbStopReason.Trap);

        Assert.Equal(["10111213", "OK", "aabbcc", "E0e", "E16", "E01", "E16", "OK"], gdb.Replies());
        Assert.Equal(0xAA, target.Memory[32]);
        Assert.Equal(254, target.Memory[254]);          // the refused write left memory alone
    }

    [Fact]
    public void SoftwareBreakpointsAreInt3sThatReadsDoNotShow()
    {
        var (session, gdb, target) = Create();
        gdb.Send($"Z0,{Base + 8:x},1").Send($"m{Base + 6:x},4").Send("c");

        session.Serve(target, GdbStopReason.Interrupt);

        Assert.Equal(0xCC, target.Memory[8]);
        Assert.True(session.IsBreakpoint(Base + 8));
        Assert.Equal(["OK", "06070809"], gdb.Replies());

        gdb.Output.Clear();
        gdb.Send($"z0,{Base + 8:x},1").Send("D");
        session.Serve(target, GdbStopReason.Breakpoint);

        Assert.Equal(["T05swbreak:;", "OK", "OK"], gdb.Replies());
        Assert.Equal(8, target.Memory[8]);
        Assert.False(session.IsBreakpoint(Base + 8));
    }

    [Fact]
    public void DetachRemovesEveryBreakpoint()
    {
        var (session, gdb, target) = Create();
        gdb.Send($"Z0,{Base + 1:x},1").Send($"Z0,{Base + 2:x},1").Send($"Z0,{Base + 2:x},1").Send("D");

        Assert.Equal(GdbResume.Detach, session.Serve(target, GdbStopReason.Trap));

        Assert.Equal(0, session.BreakpointCount);
        Assert.False(session.IsConnected);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, target.Memory[..4]);
        Assert.False(session.AwaitingStop);
    }

    [Fact]
    public void StepAndContinueWithAnAddressMoveThePc()
    {
        var (session, gdb, target) = Create();
        gdb.Send("s1234");

        Assert.Equal(GdbResume.Step, session.Serve(target, GdbStopReason.Trap));
        Assert.Equal(0x1234UL, target.Registers[GdbRegisters.Rip]);

        gdb.Send("cxyz").Send("k");
        Assert.Equal(GdbResume.Detach, session.Serve(target, GdbStopReason.Trap));
        Assert.Equal(["S05", "E01"], gdb.Replies());
    }

    [Fact]
    public void APacketWithABadChecksumIsRefusedAndItsResendServed()
    {
        var (session, gdb, target) = Create();
        gdb.SendRaw("$qC#00").Send("qC").SendRaw("$m#zz").Send("D");

        session.Serve(target, GdbStopReason.Trap);

        Assert.Equal(2, session.ChecksumErrors);
        Assert.Equal(["QC1", "OK"], gdb.Replies());
        Assert.StartsWith("-+", gdb.Output.ToString());
    }

    [Fact]
    public void ARejectedReplyIsSentAgain()
    {
        var (session, gdb, target) = Create();
        gdb.RepliesToReject = 1;
        gdb.Send("qC").Send("D");

        session.Serve(target, GdbStopReason.Trap);

        Assert.Equal(["QC1", "QC1", "OK"], gdb.Replies());
    }

    [Fact]
    public void CtrlCWhileStoppedGetsAStopReply()
    {
        var (session, gdb, target) = Create();
        gdb.SendRaw("\u0003").Send("D");

        session.Serve(target, GdbStopReason.Interrupt);

        Assert.Equal(["S02", "OK"], gdb.Replies());
    }

    [Fact]
    public void OversizedAndMalformedPacketsGetErrorsNotACrash()
    {
        var (session, gdb, target) = Create();
        gdb.Send("m" + new string('1', 5000)).Send("Z0,zz,1").Send("Z0").Send($"m{Base:x},ffffffffff").Send("X10,2:ab").Send("D");

        session.Serve(target, GdbStopReason.Trap);

        Assert.Equal(1, session.ChecksumErrors);         // the oversized one: refused as damaged
        Assert.Equal(["E16", "E16", "E01", "", "OK"], gdb.Replies());
    }
}
