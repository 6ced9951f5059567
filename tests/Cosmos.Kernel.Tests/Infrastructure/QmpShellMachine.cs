using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>
/// The CosmosKernel shell booted with the caller's devices and a QMP socket: commands typed on COM1 with their
/// output up to the next prompt, and QMP to change the machine under it.
/// </summary>
internal sealed class QmpShellMachine : IDisposable
{
    private const string Prompt = "cosmos> ";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(40);
    private readonly string _socket = Path.Combine(Path.GetTempPath(), $"cosmos-qmp-{Guid.NewGuid():N}.sock");
    private int _at;

    /// <summary>Boots CosmosKernel with <paramref name="devices"/> (QEMU arguments) for at most <paramref name="lifetime"/>.</summary>
    public QmpShellMachine(string description, IEnumerable<string> devices, TimeSpan lifetime)
    {
        KernelBuildResult build = KernelBuild.GetProject(Path.Combine(RepositoryPaths.Root, "CosmosKernel", "CosmosKernel.csproj"));
        build.EnsureSucceeded();
        Session = QemuSession.Start(description, ["-kernel", build.KernelElf], lifetime,
            [.. devices, "-qmp", $"unix:{_socket},server=on,wait=off"]);
        _at = Session.WaitFor(Prompt);
        Qmp = QmpClient.Connect(_socket, TimeSpan.FromSeconds(20));
    }

    /// <summary>The QEMU process and its serial output.</summary>
    public QemuSession Session { get; }

    /// <summary>The machine's QMP socket.</summary>
    public QmpClient Qmp { get; }

    /// <summary>Types <paramref name="command"/> and returns what it printed up to the next prompt.</summary>
    public string Run(string command)
    {
        Session.TypeLine(command);
        int start = Session.WaitFor(command + "\n", _at, CommandTimeout);
        _at = Session.WaitFor(Prompt, start, CommandTimeout);
        return Session.Serial[start..(_at - Prompt.Length)];
    }

    /// <summary>Runs <paramref name="command"/> until its output matches <paramref name="pattern"/> (a device change reaches the guest asynchronously).</summary>
    public string RunUntil(string command, string pattern)
    {
        DateTime limit = DateTime.UtcNow + CommandTimeout;
        while (true)
        {
            string output = Run(command);
            if (Regex.IsMatch(output, pattern))
            {
                return output;
            }

            Assert.True(DateTime.UtcNow < limit, $"'{command}' never printed /{pattern}/; last time:\n{output}");
            System.Threading.Thread.Sleep(300);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the serial tail.</summary>
    public void WaitUntil(Func<bool> condition, string what)
    {
        DateTime limit = DateTime.UtcNow + CommandTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < limit, $"{what} never happened; serial:\n{ProcessRunner.Tail(Session.Serial, 30)}");
            System.Threading.Thread.Sleep(200);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Qmp?.Dispose();
        Session.Dispose();
        File.Delete(_socket);
    }
}
