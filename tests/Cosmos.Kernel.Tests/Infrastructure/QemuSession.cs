using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// An interactive QEMU boot: COM1 on the process's stdin and stdout, so a test can wait for
/// text (a prompt) and type lines at it. Every session has an overall deadline, -no-reboot and
/// no network; disposing kills QEMU if it is still running.
/// </summary>
internal sealed class QemuSession : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _serial = new();
    private readonly object _gate = new();
    private readonly DateTime _deadline;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _reader;

    private QemuSession(IEnumerable<string> arguments, TimeSpan lifetime, string description)
    {
        Description = description;
        _deadline = DateTime.UtcNow + lifetime;
        var startInfo = new ProcessStartInfo(Qemu.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start " + Qemu.Executable);
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _reader = new Thread(ReadSerial) { IsBackground = true, Name = "qemu-serial" };
        _reader.Start();
    }

    /// <summary>What was booted, for messages.</summary>
    public string Description { get; }

    /// <summary>Everything COM1 printed so far, with \r removed.</summary>
    public string Serial
    {
        get
        {
            lock (_gate)
            {
                return _serial.ToString().Replace("\r", "", StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Seconds since QEMU started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Boots <paramref name="bootArguments"/> (e.g. -kernel x or -cdrom y) with the standard devices.</summary>
    public static QemuSession Start(string description, IEnumerable<string> bootArguments, TimeSpan lifetime, IEnumerable<string>? extra = null)
    {
        var arguments = new List<string>(bootArguments)
        {
            "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot", "-nic", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m", "512", "-cpu", "max",
        };
        if (extra != null)
        {
            arguments.AddRange(extra);
        }

        return new QemuSession(arguments, lifetime, description);
    }

    /// <summary>Waits until the serial output, after <paramref name="from"/> characters, contains <paramref name="text"/>; returns the index just past it.</summary>
    public int WaitFor(string text, int from = 0, TimeSpan? timeout = null)
    {
        DateTime limit = timeout.HasValue ? Min(DateTime.UtcNow + timeout.Value, _deadline) : _deadline;
        while (true)
        {
            string serial = Serial;
            int index = from <= serial.Length ? serial.IndexOf(text, from, StringComparison.Ordinal) : -1;
            if (index >= 0)
            {
                return index + text.Length;
            }

            if (_process.HasExited)
            {
                throw new TimeoutException($"{Description} exited with status {_process.ExitCode} before printing \"{text}\". Serial:\n{ProcessRunner.Tail(serial, 30)}");
            }

            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"{Description} did not print \"{text}\" in time. Serial:\n{ProcessRunner.Tail(serial, 30)}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Types <paramref name="line"/> and Enter on COM1, as a terminal sends it (CR).</summary>
    public void TypeLine(string line)
    {
        _process.StandardInput.Write(line + "\r");
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for QEMU to end; returns its exit status or null if it was still running at the deadline.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        DateTime limit = Min(DateTime.UtcNow + timeout, _deadline);
        while (!_process.HasExited && DateTime.UtcNow < limit)
        {
            Thread.Sleep(20);
        }

        if (!_process.HasExited)
        {
            return null;
        }

        _reader.Join(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    /// <summary>
    /// Kills QEMU at once with SIGKILL, as a power cut (QEMU cannot flush or close anything), and waits until
    /// everything it printed before has been read into <see cref="Serial"/>.
    /// </summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _reader.Join(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void ReadSerial()
    {
        var buffer = new char[4096];
        StreamReader output = _process.StandardOutput;
        int count;
        while ((count = output.Read(buffer, 0, buffer.Length)) > 0)
        {
            lock (_gate)
            {
                _serial.Append(buffer, 0, count);
            }
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
