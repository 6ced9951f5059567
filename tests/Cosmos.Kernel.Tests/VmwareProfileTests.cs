using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cosmos.Kernel.Tests.Infrastructure;
using Xunit;

namespace Cosmos.Kernel.Tests;

/// <summary>
/// The machine VMware gives a guest, in QEMU: <c>-M pc</c> with <c>-vga vmware</c> (SVGA II), an e1000 on user
/// networking (restrict=on, hostfwd to 127.0.0.1), a FAT32 disk on an AHCI controller, the i8042's PS/2 keyboard
/// and mouse, COM1, and no VirtIO device at all. One boot of CosmosKernel serves every test of the class: the
/// disk mounts and each file reads back with the host's SHA-256, DHCP gives 10.0.2.15, the kernel's httpd serves
/// a file to the host's curl, and commands typed and mouse moves made through QMP arrive through the PS/2 driver.
/// </summary>
public sealed class VmwareProfileTests : IClassFixture<VmwareProfileTests.Machine>
{
    private const string Prompt = "cosmos> ";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Machine _machine;

    public VmwareProfileTests(Machine machine) => _machine = machine;

    /// <summary>The booted machine, its disk's files as the host wrote them, and the hostfwd port.</summary>
    public sealed class Machine : IDisposable
    {
        private readonly string _socket = Path.Combine(Path.GetTempPath(), $"cosmos-vmware-qmp-{Guid.NewGuid():N}.sock");
        private readonly FatImageWorkspace _tools = new("vmware");

        public Machine()
        {
            const long diskBytes = 64L << 20;
            string image = _tools.NewImage("vmware.img", diskBytes);
            FatVolume volume = _tools.Format(image, 32, 0, diskBytes / 512, "VMWARE", "-s", "1");
            Files = new FileTree();
            foreach (string text in new[] { "/README.TXT", "/A Long File Name.txt", "/dir with space/inner file.txt", "/case/Mixed/ReadMe.txt", "/deep/a/b/c/d/e/f/g/leaf.txt" })
            {
                Files.AddText(text);
            }

            Files.AddFile("/empty.txt", []);
            foreach (int size in new[] { 1, 511, 512, 513, 4097, 65536, 65537, 300000 })
            {
                Files.AddPattern($"/sizes/s{size}.bin", (uint)size, size);
            }

            Served = StorageContent.Pattern(9, 3 << 20);
            Files.AddFile("/www/served.bin", Served);
            _tools.Populate(volume, Files);

            Port = FreeTcpPort();
            KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
            build.EnsureSucceeded();
            Session = QemuSession.Start("CosmosKernel on the VMware profile", ["-kernel", build.KernelElf], TimeSpan.FromMinutes(6),
            [
                "-M", "pc", "-vga", "vmware",
                "-netdev", $"user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{Port}-:80", "-device", "e1000,netdev=n0",
                "-drive", $"file={image},if=none,id=d0,format=raw", "-device", "ahci,id=ahci", "-device", "ide-hd,drive=d0,bus=ahci.0",
                "-qmp", $"unix:{_socket},server=on,wait=off",
            ]);
            try
            {
                Session.WaitFor("[net] eth0: 10.0.2.15/24", 0, TimeSpan.FromSeconds(90));
                Session.WaitFor(Prompt, 0, TimeSpan.FromSeconds(90));
                Qmp = QmpClient.Connect(_socket, TimeSpan.FromSeconds(20));
            }
            catch
            {
                Session.Dispose();
                throw;
            }
        }

        internal QemuSession Session { get; }

        internal QmpClient Qmp { get; }

        internal FileTree Files { get; }

        internal byte[] Served { get; }

        internal int Port { get; }

        public void Dispose()
        {
            Qmp?.Dispose();
            Session.Dispose();
            File.Delete(_socket);
            _tools.Dispose();
        }
    }

    // Runs a command typed on COM1 and returns its output (between the echoed line and the next prompt).
    private string RunOnSerial(string command)
    {
        QemuSession session = _machine.Session;
        int from = session.Serial.Length;
        session.TypeLine(command);
        int start = session.WaitFor(command + "\n", from, CommandTimeout);
        int end = session.WaitFor(Prompt, start, CommandTimeout);
        return session.Serial[start..(end - Prompt.Length)];
    }

    [Fact]
    public void OnlyTheFallbackDriversBindAndNoVirtioDeviceIsPresent()
    {
        string lsdev = RunOnSerial("lsdev");
        Assert.Matches(@"eth0\s+Network\s+e1000\s", lsdev);
        Assert.Matches(@"sda\s+Block\s+ahci\s", lsdev);
        Assert.Matches(@"kbd0\s+Input\s+ps2-kbd\s+Intx\s+i8042 port 1 io 0x60 irq 1", lsdev);
        Assert.Matches(@"mouse0\s+Input\s+ps2-mouse\s+Intx\s+i8042 port 2 io 0x60 irq 12", lsdev);
        Assert.DoesNotContain("virtio", lsdev, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1af4:", RunOnSerial("lspci"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[virtio", _machine.Session.Serial, StringComparison.Ordinal);
        Assert.DoesNotContain("[ps2]", _machine.Session.Serial, StringComparison.Ordinal); // the driver logs only failures
    }

    [Fact]
    public void TheAhciDiskIsMountedAndEveryFileReadsAsTheHostWroteIt()
    {
        Assert.Contains("/sda", RunOnSerial("mount"));
        SortedDictionary<string, (long Size, string Sha256)> expected = _machine.Files.Hashes();
        string output = RunOnSerial("sha256 " + string.Join(' ', expected.Keys.Select(path => $"\"/sda{path}\"")));
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            Assert.True(gap == 64, $"not a sha256 line: {line}\n{output}");
            reported[line[(gap + 2)..]] = line[..gap];
        }

        foreach ((string path, (long _, string sha256)) in expected)
        {
            Assert.True(reported.TryGetValue("/sda" + path, out string? got), $"no checksum for /sda{path}:\n{output}");
            Assert.Equal(sha256, got);
        }

        // A text file holds its own path.
        Assert.Equal("/dir with space/inner file.txt", RunOnSerial("cat \"/sda/dir with space/inner file.txt\"").Trim());
    }

    [Fact]
    public void DhcpGivesTheE1000ItsAddress()
    {
        string ifconfig = RunOnSerial("ifconfig");
        Assert.Contains("inet 10.0.2.15  netmask 255.255.255.0", ifconfig);
        Assert.Contains("dhcp bound", ifconfig);
    }

    [Fact]
    public void HostCurlGetsAFileFromTheKernelsHttpdThroughHostfwd()
    {
        string started = RunOnSerial("httpd");
        Assert.Contains("httpd: serving / on port 80", started);
        string downloaded = Path.Combine(Path.GetTempPath(), $"cosmos-vmware-served-{Guid.NewGuid():N}.bin");
        try
        {
            ProcessResult curl = ProcessRunner.Run("curl", ["-sS", "--max-time", "90", "-o", downloaded, "-w", "%{http_code} %{size_download}",
                $"http://127.0.0.1:{_machine.Port}/sda/www/served.bin"], Path.GetTempPath(), TimeSpan.FromSeconds(100));
            Assert.True(curl.ExitCode == 0, $"curl failed: {curl.StandardError}\n{ProcessRunner.Tail(_machine.Session.Serial, 20)}");
            Assert.Equal($"200 {_machine.Served.Length}", curl.StandardOutput.Trim());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_machine.Served)), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(downloaded))));
        }
        finally
        {
            File.Delete(downloaded);
            RunOnSerial("httpd stop");
        }
    }

    [Fact]
    public void CommandsTypedOnThePs2KeyboardRunInTheShell()
    {
        QemuSession session = _machine.Session;
        int at = session.Serial.Length;
        _machine.Qmp.TypeLine("echo Typed On PS2-Keyboard 1.5");
        at = session.WaitFor("echo Typed On PS2-Keyboard 1.5\n", at, CommandTimeout);
        at = session.WaitFor("Typed On PS2-Keyboard 1.5\n", at, CommandTimeout);
        at = session.WaitFor(Prompt, at, CommandTimeout);

        // Extended keys (E0-prefixed: the arrows) through the line editor, and Caps Lock, whose light goes back to
        // the keyboard with Set LEDs.
        foreach (string key in new[] { "e", "c", "h", "o", "spc", "x", "y", "backspace", "z", "left", "a", "end", "caps_lock", "q", "caps_lock", "ret" })
        {
            _machine.Qmp.SendKeys(key);
        }

        at = session.WaitFor("\nxazQ\n", at, CommandTimeout);
        session.WaitFor(Prompt, at, CommandTimeout);
        Assert.DoesNotContain("[ps2] keyboard did not acknowledge", session.Serial, StringComparison.Ordinal);
    }

    [Fact]
    public void Ps2MouseMovesAndClicksReachEvtest()
    {
        QemuSession session = _machine.Session;
        int at = session.Serial.Length;
        session.TypeLine("evtest 3 30000");
        at = session.WaitFor("evtest: waiting for 3 pointer reports from 2 input devices", at, CommandTimeout);

        _machine.Qmp.SendEvents([Rel("x", 40), Rel("y", 25)]);
        int first = session.WaitFor("mouse0: x ", at, CommandTimeout);
        _machine.Qmp.SendEvents([new JsonObject { ["type"] = "btn", ["data"] = new JsonObject { ["button"] = "left", ["down"] = true } }]);
        _machine.Qmp.SendEvents([new JsonObject { ["type"] = "btn", ["data"] = new JsonObject { ["button"] = "left", ["down"] = false } }]);
        at = session.WaitFor("evtest: 3 reports", at, CommandTimeout);

        string[] reports = session.Serial[(first - "mouse0: x ".Length)..at].Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("mouse0:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, reports.Length);
        (int x, int y, int buttons) = Parse(reports[0]);
        Assert.True(x > 0 && y > 0, $"the pointer did not move right and down: {reports[0]}");
        Assert.Equal(0, buttons);
        Assert.Equal((x, y, 1), Parse(reports[1]));
        Assert.Equal((x, y, 0), Parse(reports[2]));
    }

    private static JsonObject Rel(string axis, int value) =>
        new() { ["type"] = "rel", ["data"] = new JsonObject { ["axis"] = axis, ["value"] = value } };

    // "mouse0: x 40 y 25 buttons 1"
    private static (int X, int Y, int Buttons) Parse(string report)
    {
        string[] words = report.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[4], CultureInfo.InvariantCulture), int.Parse(words[6], CultureInfo.InvariantCulture));
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
