using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// One test per check of the sockets test kernel (tests/Kernels/SocketTests): System.Net.Sockets and System.Net.Dns
/// in the kernel through its socket PAL, on QEMU's restricted user network (restrict=on) with a real peer on the host,
/// Peers/socket_peer.py on Linux's own stack: an echo server reached through guestfwd, clients of the kernel's
/// listeners through hostfwd on 127.0.0.1, and datagrams through hostfwd=udp. The peer's own verdicts are checked too.
/// </summary>
public sealed class SocketChecks
{
    private static readonly TimeSpan BootLimit = TimeSpan.FromMinutes(4);
    private static readonly Lazy<(TestKernelRun Run, string PeerOutput)> Boot = new(BootWithPeer);

    /// <summary>The checks the kernel planned: building and booting it happens here, once, at discovery.</summary>
    public static TheoryData<string> Checks
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in Boot.Value.Run.CaseNames())
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Check(string name) => Boot.Value.Run.AssertCheckPassed(name);

    [Fact]
    public void ReportsEveryPlannedCheckAndExitsWithTheAllPassedCode() => Boot.Value.Run.AssertRanToCompletion();

    [Fact]
    public void PlansAtLeastFifteenChecks()
    {
        int? planned = Boot.Value.Run.Report.PlannedCount;
        Assert.True(planned >= 15, $"the sockets test kernel planned {planned?.ToString() ?? "no"} checks; it should have at least 15");
    }

    [Theory]
    [InlineData("PEER sync-listener ok 200000 bytes")]
    [InlineData("PEER async-listener ok 200000 bytes")]
    [InlineData("PEER echo ok 1048576 bytes echoed")]
    public void TheHostPeerSawTheExchange(string line) =>
        Assert.True(Boot.Value.PeerOutput.Contains(line, StringComparison.Ordinal),
            $"the host peer did not report '{line}'; it said:\n{Boot.Value.PeerOutput}");

    private static (TestKernelRun Run, string PeerOutput) BootWithPeer()
    {
        int echoPort = FreePort(SocketType.Stream), syncPort = FreePort(SocketType.Stream), asyncPort = FreePort(SocketType.Stream);
        int udpPort = FreePort(SocketType.Dgram);
        var startInfo = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[]
        {
            Path.Combine(RepositoryPaths.Root, "tests", "Cosmos.Kernel.Tests", "Peers", "socket_peer.py"),
            "--echo-port", echoPort.ToString(), "--sync-port", syncPort.ToString(), "--async-port", asyncPort.ToString(),
            "--udp-port", udpPort.ToString(), "--seconds", ((int)BootLimit.TotalSeconds).ToString(),
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var ready = new System.Threading.ManualResetEventSlim();
        using Process peer = Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start python3 for the socket peer");
        peer.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data == "PEER ready")
            {
                ready.Set();
            }
        };
        peer.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        peer.BeginOutputReadLine();
        peer.BeginErrorReadLine();
        try
        {
            // QEMU connects guestfwd's target once, at start: the echo server must already listen.
            if (!ready.Wait(TimeSpan.FromSeconds(20)))
            {
                throw new InvalidOperationException($"the socket peer did not start: {output}");
            }

            string netdev = "user,id=n0,restrict=on"
                + $",hostfwd=tcp:127.0.0.1:{syncPort}-:7000,hostfwd=tcp:127.0.0.1:{asyncPort}-:7002"
                + $",hostfwd=udp:127.0.0.1:{udpPort}-:7001,guestfwd=tcp:10.0.2.100:8000-tcp:127.0.0.1:{echoPort}";
            TestKernelRun run = TestKernelRun.Start("SocketTests", qemuArguments: ["-netdev", netdev, "-device", "virtio-net-pci,netdev=n0"],
                timeout: BootLimit);
            // The echo server reports when the guest's connection ends, which through guestfwd is QEMU's exit.
            var grace = Stopwatch.StartNew();
            while (grace.Elapsed < TimeSpan.FromSeconds(10) && !peer.HasExited)
            {
                lock (output)
                {
                    if (output.ToString().Contains("PEER echo ", StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                System.Threading.Thread.Sleep(100);
            }

            lock (output)
            {
                return (run, output.ToString());
            }
        }
        finally
        {
            if (!peer.HasExited)
            {
                peer.Kill(entireProcessTree: true);
                peer.WaitForExit(5_000);
            }
        }
    }

    private static int FreePort(SocketType type)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
