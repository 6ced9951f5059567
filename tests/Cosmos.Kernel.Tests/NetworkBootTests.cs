using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// CosmosKernel's network with real peers: QEMU's user network (restrict=on: the guest reaches nothing
/// outside) on a virtio-net device, DHCP from QEMU, the host reaching the kernel through hostfwd on
/// 127.0.0.1 and the kernel reaching a host server through guestfwd at 10.0.2.100. Every boot and every
/// host tool runs with a timeout.
/// </summary>
public sealed class NetworkBootTests
{
    private const string Prompt = "cosmos> ";
    private const string GuestForwardAddress = "10.0.2.100";
    private const int GuestForwardPort = 8000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan DhcpTimeout = TimeSpan.FromSeconds(30);

    private static string KernelElf()
    {
        KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
        build.EnsureSucceeded();
        return build.KernelElf;
    }

    private static string DefaultDisk() => Path.Combine(Path.GetDirectoryName(KernelElf())!, "disk.img");

    /// <summary>
    /// Boots CosmosKernel with <paramref name="disk"/> (read-only where the test writes nothing: other test
    /// classes boot the same default disk at the same time, and QEMU's image lock refuses a second writer)
    /// and a virtio-net device on user networking with <paramref name="forwards"/>; waits for DHCP.
    /// </summary>
    private static QemuSession BootWithNetwork(string description, string disk, string forwards, out int at, bool readOnly = false,
        string nic = "virtio-net-pci")
    {
        var arguments = new List<string>
        {
            "-drive", $"file={disk},if=none,id=d0,format=raw{(readOnly ? ",readonly=on" : "")}", "-device", "virtio-blk-pci,drive=d0",
            "-netdev", "user,id=n0,restrict=on" + forwards, "-device", nic + ",netdev=n0",
        };
        QemuSession session = QemuSession.Start(description, ["-kernel", KernelElf()], Lifetime, arguments);
        try
        {
            // The network thread may log before or after the banner: look from the start for both.
            int dhcp = session.WaitFor("[net] eth0: 10.0.2.15/24", 0, DhcpTimeout);
            at = Math.Max(dhcp, session.WaitFor(Prompt));
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static int Run(QemuSession session, string command, int at, params string[] expected)
    {
        session.TypeLine(command);
        foreach (string text in expected)
        {
            at = session.WaitFor(text, at, TimeSpan.FromSeconds(60));
        }

        return session.WaitFor(Prompt, at, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void DhcpConfiguresTheInterfaceAndTheGatewayAnswersPings()
    {
        using QemuSession session = BootWithNetwork("CosmosKernel on user networking", DefaultDisk(), "", out int at, readOnly: true);
        long before = LiveBytes(session, ref at);
        at = Run(session, "ifconfig", at, "eth0: link up  mtu 1500  ether 52:54:00:12:34:56", "inet 10.0.2.15  netmask 255.255.255.0", "dhcp bound", "RX packets ");
        // The boot's first ifconfig is the first Enum.ToString, so the first RuntimeType on the frozen object heap: it
        // once took CoreLib's whole 4 MiB segment reservation from the heap; now one 64 KiB chunk.
        long grown = LiveBytes(session, ref at) - before;
        Assert.True(grown < 256 * 1024, $"the first ifconfig kept {grown} bytes of live memory (managed plus native)");
        at = Run(session, "ip", at, "inet 10.0.2.15");
        at = Run(session, "ping 10.0.2.2 -c 3", at, "PING 10.0.2.2 (10.0.2.2): 56 data bytes", "64 bytes from 10.0.2.2: icmp_seq=",
            "3 packets transmitted, 3 received, 0% packet loss");

        // Bad input: a clear message, and the shell goes on.
        at = Run(session, "ping", at, "ping: usage: ping HOST [-c N]");
        at = Run(session, "ping 10.0.2.2 -c many", at, "ping: bad count 'many'");
        at = Run(session, "ping 10.0.2.77 -c 1", at, "1 packets transmitted, 0 received, 100% packet loss");
        at = Run(session, "nslookup", at, "nslookup: usage: nslookup NAME");
        at = Run(session, "wget ftp://10.0.2.2/x out.bin", at, "only http:// URLs are supported");
        at = Run(session, "wget http://10.0.2.2:99999/x out.bin", at, "bad port '99999'");
        at = Run(session, "nc -l nothing", at, "nc: usage: nc -l PORT");
        at = Run(session, "httpd 0", at, "httpd: bad port '0'");
        at = Run(session, "httpd stop", at, "httpd: not running");
        Run(session, "echo still here", at, "still here");
    }

    [Fact]
    public void AnE1000CarriesTheSameStack()
    {
        // The fallback NIC (VMware's and many PCs'): Intel 82540EM, legacy INTx, no virtio-net in the machine.
        using QemuSession session = BootWithNetwork("CosmosKernel on an e1000", DefaultDisk(), "", out int at, readOnly: true, nic: "e1000");
        at = Run(session, "lsdev", at, "e1000");
        at = Run(session, "ifconfig", at, "inet 10.0.2.15  netmask 255.255.255.0", "dhcp bound");
        Run(session, "ping 10.0.2.2 -c 3", at, "3 packets transmitted, 3 received, 0% packet loss");
        Assert.DoesNotContain("virtio-net", session.Serial, StringComparison.Ordinal);
    }

    [Fact]
    public void AnE1000eCarriesTheSameStack()
    {
        // VMware's other Intel NIC (82574L, QEMU's e1000e): the e1000 driver with the 82574's EERD layout and its
        // MSI-X, whose causes reach the vector only through IVAR.
        using QemuSession session = BootWithNetwork("CosmosKernel on an e1000e", DefaultDisk(), "", out int at, readOnly: true, nic: "e1000e");
        at = Run(session, "lsdev", at, "eth0     Network  e1000e         MsiX");
        at = Run(session, "ifconfig", at, "inet 10.0.2.15  netmask 255.255.255.0", "dhcp bound");
        Run(session, "ping 10.0.2.2 -c 3", at, "3 packets transmitted, 3 received, 0% packet loss");
        Assert.Contains("[e1000e] eth0: mac 52:54:00:12:34:56", session.Serial, StringComparison.Ordinal);
        Assert.DoesNotContain("virtio-net", session.Serial, StringComparison.Ordinal);
    }

    [Fact]
    public void HostCurlDownloadsAFileFromTheKernelsHttpd()
    {
        const int size = 16 << 20;
        const int midSize = 2 << 20;
        int port = FreeTcpPort();
        string disk = CopyOfDefaultDisk("httpd");
        string downloaded = disk + ".download";
        var idle = new List<TcpClient>();
        try
        {
            byte[] content = RandomBytes(size, seed: 16);
            byte[] mid = RandomBytes(midSize, seed: 17);
            PutFile(disk, "big.bin", content);
            PutFile(disk, "mid.bin", mid);
            using QemuSession session = BootWithNetwork("CosmosKernel httpd", disk, $",hostfwd=tcp:127.0.0.1:{port}-:80", out int at);
            at = Run(session, "httpd", at, "httpd: serving / on port 80");

            // A connection that sends nothing and one with half a request stay open: they hold threads of their own,
            // not the server. (It used to serve one connection at a time, so the silent one held it for 10 s.)
            var opened = Stopwatch.StartNew();
            idle.Add(OpenIdle(port, null));
            idle.Add(OpenIdle(port, "GET /vda/README.TXT HTTP/1.1\r\nHost: cosmos\r\n"));
            System.Threading.Thread.Sleep(500);
            (string small, string smallError) = Curl(port, "/vda/README.TXT", null, maxSeconds: 5);
            Assert.True(small.StartsWith("200 ", StringComparison.Ordinal), $"README.TXT beside two idle connections: '{small}' {smallError}");

            var clock = Stopwatch.StartNew();
            (string big, string bigError) = Curl(port, "/vda/big.bin", downloaded, maxSeconds: 90);
            TimeSpan transfer = clock.Elapsed;
            Assert.True(big == $"200 {size}", $"curl: '{big}' after {transfer.TotalSeconds:F1} s: {bigError}\n{ProcessRunner.Tail(session.Serial, 20)}");
            Assert.Equal(Sha256(content), Sha256(File.ReadAllBytes(downloaded)));
            Assert.True(transfer < TimeSpan.FromSeconds(60), $"16 MiB took {transfer.TotalSeconds:F1} s");

            // Four downloads at once, each body intact.
            var parallel = new System.Threading.Thread[4];
            var results = new (string Code, string Error)[parallel.Length];
            for (int i = 0; i < parallel.Length; i++)
            {
                int index = i;
                parallel[i] = new System.Threading.Thread(() => results[index] = Curl(port, "/vda/mid.bin", $"{downloaded}.{index}", maxSeconds: 90));
                parallel[i].Start();
            }

            for (int i = 0; i < parallel.Length; i++)
            {
                Assert.True(parallel[i].Join(TimeSpan.FromSeconds(110)), $"parallel curl {i} did not end");
                (string code, string error) = results[i];
                Assert.True(code == $"200 {midSize}", $"parallel curl {i}: '{code}' {error}");
                Assert.Equal(Sha256(mid), Sha256(File.ReadAllBytes($"{downloaded}.{i}")));
            }

            // A missing file is a 404; two requests share one keep-alive connection.
            ProcessResult missing = ProcessRunner.Run("curl", ["-sS", "--max-time", "20", "-i", $"http://127.0.0.1:{port}/vda/missing.txt",
                $"http://127.0.0.1:{port}/vda/README.TXT"], Path.GetTempPath(), TimeSpan.FromSeconds(30));
            Assert.True(missing.ExitCode == 0, missing.StandardError);
            Assert.Contains("HTTP/1.1 404 Not Found", missing.StandardOutput);
            Assert.Contains("CosmosKernel default disk", missing.StandardOutput);

            // The idle two were closed by the server once their request had not come in 10 s.
            foreach (TcpClient client in idle)
            {
                Assert.True(ReadsEndOfStream(client, TimeSpan.FromSeconds(20)), "an idle connection was still open 20 s after its 10 s timeout");
            }

            Assert.True(opened.Elapsed > TimeSpan.FromSeconds(9), $"idle connections closed after {opened.Elapsed.TotalSeconds:F1} s, before their 10 s");

            // Eight silent connections take every connection thread; a ninth waits half a second for one, then is answered 503.
            for (int i = 0; i < HttpdMaxConnections; i++)
            {
                idle.Add(OpenIdle(port, null));
            }

            at = WaitForOpenConnections(session, at, count => count == HttpdMaxConnections, "every connection thread busy");
            (string busy, string busyError) = Curl(port, "/vda/README.TXT", null, maxSeconds: 10);
            Assert.True(busy.StartsWith("503 ", StringComparison.Ordinal), $"a ninth connection: '{busy}' {busyError}");
            foreach (TcpClient client in idle.GetRange(3, HttpdMaxConnections - 1))
            {
                client.Dispose();
            }

            // 1 + 1 + 4 + 2 requests; the 503 is a refused connection, not a request.
            at = Run(session, "httpd status", at, "httpd: serving / on port 80, 8 requests", "1 refused (busy)");
            at = Run(session, "httpd 80", at, "httpd: already serving / on port 80");

            // Stop resets the connection still open and waits for its thread.
            TcpClient open = idle[2];
            at = WaitForOpenConnections(session, at, count => count == 1, "one connection open");
            var stopping = Stopwatch.StartNew();
            at = Run(session, "httpd stop", at, "httpd: stopped (8 requests, ");
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"httpd stop took {stopping.Elapsed.TotalSeconds:F1} s");
            Assert.True(ReadsEndOfStream(open, TimeSpan.FromSeconds(10)), "httpd stop left a connection open");
            Assert.DoesNotContain("[httpd]", session.Serial, StringComparison.Ordinal);
        }
        finally
        {
            foreach (TcpClient client in idle)
            {
                client.Dispose();
            }

            File.Delete(disk);
            File.Delete(downloaded);
            for (int i = 0; i < 4; i++)
            {
                File.Delete($"{downloaded}.{i}");
            }
        }
    }

    [Fact]
    public void KernelWgetDownloadsFromAHostServerToTheDisk()
    {
        const int size = 16 << 20;
        int port = FreeTcpPort();
        string disk = CopyOfDefaultDisk("wget");
        string served = Path.Combine(Path.GetTempPath(), $"cosmos-wget-served-{Guid.NewGuid():N}");
        Directory.CreateDirectory(served);
        byte[] content = RandomBytes(size, seed: 4);
        File.WriteAllBytes(Path.Combine(served, "payload.bin"), content);
        // QEMU connects guestfwd's target once, at start: the server must already listen.
        using Process server = StartHostHttpServer(served, port);
        try
        {
            using (QemuSession session = BootWithNetwork("CosmosKernel wget", disk, $",guestfwd=tcp:{GuestForwardAddress}:{GuestForwardPort}-tcp:127.0.0.1:{port}", out int at))
            {
                at = Run(session, $"wget http://{GuestForwardAddress}:{GuestForwardPort}/payload.bin /vda/payload.bin", at, $"wget: saved {size} bytes to /vda/payload.bin in ");
                at = Run(session, "sha256 /vda/payload.bin", at, Sha256(content) + "  /vda/payload.bin");
                at = Run(session, "sync", at);
                session.TypeLine("shutdown");
                session.WaitFor("Powering off.", at);
                Assert.Equal(0, session.WaitForExit(TimeSpan.FromSeconds(30)));
            }

            string copy = disk + ".payload";
            Mtools("mcopy", "-i", disk, "::/payload.bin", copy);
            try
            {
                Assert.Equal(Sha256(content), Sha256(File.ReadAllBytes(copy)));
            }
            finally
            {
                File.Delete(copy);
            }
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(5_000);
            }

            File.Delete(disk);
            Directory.Delete(served, recursive: true);
        }
    }

    [Fact]
    public void NcEchoesWhatAHostClientSends()
    {
        int port = FreeTcpPort();
        using QemuSession session = BootWithNetwork("CosmosKernel nc", DefaultDisk(), $",hostfwd=tcp:127.0.0.1:{port}-:7007", out int at, readOnly: true);
        session.TypeLine("nc -l 7007 -w 60");
        at = session.WaitFor("nc: listening on port 7007", at, TimeSpan.FromSeconds(30));

        byte[] message = Encoding.ASCII.GetBytes(string.Concat(System.Linq.Enumerable.Repeat("echo me through the kernel\n", 2000)));
        using (var client = new TcpClient())
        {
            client.ReceiveTimeout = 30_000;
            client.SendTimeout = 30_000;
            client.Connect(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();
            byte[] echoed = new byte[message.Length];
            var reader = new System.Threading.Thread(() =>
            {
                int got = 0;
                while (got < echoed.Length)
                {
                    int n = stream.Read(echoed, got, echoed.Length - got);
                    if (n == 0)
                    {
                        break;
                    }

                    got += n;
                }
            });
            reader.Start();
            stream.Write(message);
            Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "the echo did not come back within 60 s");
            Assert.Equal(message, echoed);
            client.Client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, stream.Read(new byte[1], 0, 1));
        }

        at = session.WaitFor($"nc: connection closed, {message.Length} bytes echoed", at, TimeSpan.FromSeconds(30));
        Run(session, "echo after nc", at, "after nc");
    }

    // HttpFileServer.MaxConnections.
    private const int HttpdMaxConnections = 8;

    // curl's "%{http_code} %{size_download}" and its error output; the body goes to `output` (or nowhere).
    private static (string Code, string Error) Curl(int port, string path, string? output, int maxSeconds)
    {
        ProcessResult curl = ProcessRunner.Run("curl", ["-sS", "--max-time", maxSeconds.ToString(), "-o", output ?? "/dev/null",
            "-w", "%{http_code} %{size_download}", $"http://127.0.0.1:{port}{path}"], Path.GetTempPath(), TimeSpan.FromSeconds(maxSeconds + 10));
        return (curl.StandardOutput.Trim(), $"exit {curl.ExitCode}: {curl.StandardError.Trim()}");
    }

    // A connection to httpd that sends `partial` (or nothing) and stays open.
    private static TcpClient OpenIdle(int port, string? partial)
    {
        var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        if (partial != null)
        {
            client.GetStream().Write(Encoding.ASCII.GetBytes(partial));
        }

        return client;
    }

    // True when the server closes `client` (end of stream or reset) within `timeout`, having sent nothing.
    private static bool ReadsEndOfStream(TcpClient client, TimeSpan timeout)
    {
        client.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            return client.GetStream().Read(new byte[1], 0, 1) == 0;
        }
        catch (IOException error) when (error.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Types `httpd status` until the connections it reports open satisfy `wanted` (a connection reaches the guest
    // through QEMU a moment after the host's connect returns, and its thread ends a moment after the host's close).
    private static int WaitForOpenConnections(QemuSession session, int at, Func<int, bool> wanted, string description)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            session.TypeLine("httpd status");
            int line = session.WaitFor("httpd: serving", at, TimeSpan.FromSeconds(30));
            at = session.WaitFor(Prompt, line, TimeSpan.FromSeconds(30));
            string status = session.Serial[line..at];
            Match open = Regex.Match(status, @"(\d+) of \d+ connections open");
            if (open.Success && wanted(int.Parse(open.Groups[1].Value)))
            {
                return at;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"httpd status did not show {description} within 8 s: {status}");
            System.Threading.Thread.Sleep(200);
        }
    }

    // `mem -c`: collects, then prints "in use: N bytes (M managed, K native)"; returns M + K.
    private static long LiveBytes(QemuSession session, ref int at)
    {
        session.TypeLine("mem -c");
        int line = session.WaitFor("in use:", at, TimeSpan.FromSeconds(60));
        at = session.WaitFor(Prompt, line, TimeSpan.FromSeconds(60));
        string printed = session.Serial[line..at];
        Match match = Regex.Match(printed, @"\((\d+) managed, (\d+) native\)");
        Assert.True(match.Success, $"mem -c printed no live bytes: {printed}");
        return long.Parse(match.Groups[1].Value) + long.Parse(match.Groups[2].Value);
    }

    private static Process StartHostHttpServer(string directory, int port)
    {
        var startInfo = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--directory", directory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process server = Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start python3 -m http.server");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        DateTime limit = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < limit && !server.HasExited)
            {
                System.Threading.Thread.Sleep(100);
            }
        }
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string CopyOfDefaultDisk(string purpose)
    {
        string disk = Path.Combine(Path.GetTempPath(), $"cosmos-net-{purpose}-{Guid.NewGuid():N}.img");
        File.Copy(DefaultDisk(), disk);
        return disk;
    }

    private static void PutFile(string disk, string name, byte[] content)
    {
        string source = disk + "." + name;
        File.WriteAllBytes(source, content);
        try
        {
            Mtools("mcopy", "-i", disk, source, "::/" + name);
        }
        finally
        {
            File.Delete(source);
        }
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        byte[] bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void Mtools(string tool, params string[] arguments)
    {
        ProcessResult result = ProcessRunner.Run(tool, arguments, Path.GetTempPath(), TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["MTOOLS_SKIP_CHECK"] = "1", ["LC_ALL"] = "C.UTF-8" });
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {result.StandardError}");
    }
}
