using System;
using System.Collections.Generic;
using System.IO;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>One boot of a kernel in QEMU: its exit status and everything it wrote to COM1.</summary>
internal sealed record QemuRun(string Description, int ExitCode, bool TimedOut, string Serial, string Diagnostics, TimeSpan Elapsed)
{
    /// <summary>The serial output with line endings normalised to \n.</summary>
    public string SerialText => Serial.Replace("\r", "", StringComparison.Ordinal);

    /// <summary>A short account for failure messages: how the run ended and its last serial lines.</summary>
    public string Summary(int tailLines = 30)
    {
        string ending = TimedOut ? "was killed after its timeout" : $"exited with status {ExitCode}";
        string text = $"{Description} {ending} after {Elapsed.TotalSeconds:F1} s. Last serial output:{Environment.NewLine}{ProcessRunner.Tail(SerialText, tailLines)}";
        if (!string.IsNullOrWhiteSpace(Diagnostics))
        {
            text += $"{Environment.NewLine}QEMU said:{Environment.NewLine}{ProcessRunner.Tail(Diagnostics, 10)}";
        }

        return text;
    }
}

/// <summary>
/// Boots a kernel ELF through QEMU's PVH entry (<c>-kernel</c>). Every boot has a timeout and
/// <c>-no-reboot</c>, no network, COM1 on stdout and the isa-debug-exit device through which
/// the kernel reports its exit code (QEMU exits with code*2+1). A boot that runs past its
/// timeout is killed.
/// </summary>
internal static class Qemu
{
    public const string Executable = "qemu-system-x86_64";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Boots <paramref name="kernelElf"/>; <paramref name="extraArguments"/> come after the standard
    /// ones (a machine type, drives, devices).
    /// </summary>
    public static QemuRun Boot(string name, string kernelElf, string? commandLine = null, TimeSpan? timeout = null,
        IEnumerable<string>? extraArguments = null)
    {
        if (!File.Exists(kernelElf))
        {
            throw new FileNotFoundException($"no kernel to boot at {kernelElf}", kernelElf);
        }

        // The serial port goes to a file, not a pipe: QEMU's 16550 drops a byte after a few retries when
        // the pipe is full, and under load (tests in parallel on two cores) the reader fell behind and
        // lines of long reports went missing.
        string serialLog = Path.Combine(Path.GetTempPath(), $"cosmos-serial-{Guid.NewGuid():N}.log");
        var arguments = new List<string>
        {
            "-kernel", kernelElf,
            "-chardev", $"file,id=serial0,path={serialLog}",
            "-serial", "chardev:serial0",
            "-display", "none",
            "-monitor", "none",
            "-no-reboot",
            "-nic", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-m", "512",
            "-cpu", "max",
        };
        if (!string.IsNullOrEmpty(commandLine))
        {
            arguments.Add("-append");
            arguments.Add(commandLine);
        }

        if (extraArguments != null)
        {
            arguments.AddRange(extraArguments);
        }

        TimeSpan limit = timeout ?? DefaultTimeout;
        ProcessResult result = ProcessRunner.Run(Executable, arguments, Path.GetDirectoryName(kernelElf)!, limit);
        string serial = File.Exists(serialLog) ? File.ReadAllText(serialLog) : "";
        File.Delete(serialLog);
        string description = name + (string.IsNullOrEmpty(commandLine) ? "" : $" (-append \"{commandLine}\")");
        return new QemuRun(description, result.ExitCode, result.TimedOut, serial + result.StandardOutput, result.StandardError, result.Elapsed);
    }
}
