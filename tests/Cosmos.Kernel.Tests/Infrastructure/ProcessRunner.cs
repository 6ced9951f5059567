using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Cosmos.Kernel.Tests.Infrastructure;

/// <summary>What a finished (or killed) process left behind.</summary>
internal sealed record ProcessResult(int ExitCode, bool TimedOut, string StandardOutput, string StandardError, TimeSpan Elapsed);

/// <summary>
/// Runs a tool with a time limit. On timeout the whole process tree is killed; the result then
/// says so and carries whatever the tool printed until then.
/// </summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment != null)
        {
            foreach ((string name, string? value) in environment)
            {
                if (value == null)
                {
                    startInfo.Environment.Remove(name);
                }
                else
                {
                    startInfo.Environment[name] = value;
                }
            }
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"cannot start {fileName}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the wait and the kill.
            }
        }

        // Drains the redirected streams (WaitForExitAsync waits for their end too); a tool that
        // leaves a child holding them open must not be waited for forever, so this is bounded too.
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                process.WaitForExitAsync(drain.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Keep what arrived.
            }
        }

        stopwatch.Stop();
        lock (output)
        {
            lock (error)
            {
                return new ProcessResult(exited ? process.ExitCode : -1, !exited, output.ToString(), error.ToString(), stopwatch.Elapsed);
            }
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }

    /// <summary>The last <paramref name="lineCount"/> lines of <paramref name="text"/>.</summary>
    public static string Tail(string text, int lineCount)
    {
        string[] lines = text.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        int start = Math.Max(0, lines.Length - lineCount);
        return string.Join(Environment.NewLine, lines, start, lines.Length - start);
    }

    /// <summary>True when <paramref name="name"/> names an executable on PATH.</summary>
    public static bool IsOnPath(string name)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (path == null)
        {
            return false;
        }

        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, name)))
            {
                return true;
            }
        }

        return false;
    }
}
