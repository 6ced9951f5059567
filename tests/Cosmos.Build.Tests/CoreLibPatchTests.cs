using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Cosmos.Build.Tests.Infrastructure;
using Mono.Cecil;
using Xunit;

namespace Cosmos.Build.Tests;

/// <summary>Plugs applied to the real NativeAOT class library, and the result compiled by ILC.</summary>
public sealed class CoreLibPatchTests
{
    // typeof through the System.Runtime facade; a name for internal types; a P/Invoke
    // (SchedGetCpu); and a module other than CoreLib, which has no RuntimeImportAttribute.
    private const string PlugSource = """
        using System;
        [Plug(typeof(Environment))]
        public static class EnvironmentPlug { [PlugMember] public static int get_ProcessorCount() => 42; }

        [Plug("Interop+Sys, System.Private.CoreLib")]
        public static class CoreLibSysPlug { [PlugMember] public static int SchedGetCpu() => 0; }

        [Plug("Interop+Sys, System.Console")]
        public static unsafe class ConsoleSysPlug
        {
            [PlugMember] public static int Write(System.Runtime.InteropServices.SafeHandle fd, byte* buffer, int count) => count;
        }
        """;

    private const string KernelSource = """
        using System;
        using System.Runtime.InteropServices;
        public static class Kernel
        {
            [UnmanagedCallersOnly(EntryPoint = "kmain")]
            public static int Main()
            {
                Console.Write("x");
                return Environment.ProcessorCount;
            }
        }
        """;

    [Fact]
    public void PatchedCoreLibAndConsole_AreLoadableAndRedirected()
    {
        using var workspace = new PatchWorkspace();
        CliRun run = PatchPack(workspace);

        Assert.Equal(3, run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(
            new[] { "Plugs.dll", "System.Console.dll", "System.Private.CoreLib.dll" },
            Directory.GetFiles(workspace.OutputDirectory, "*.dll").Select(Path.GetFileName).Order().ToArray());

        ModuleDefinition coreLib = workspace.ReadOutput("System.Private.CoreLib.dll");
        MethodDefinition stub = PatchAssert.RedirectsToStub(PatchAssert.Method(coreLib, "System.Environment", "get_ProcessorCount"));
        Assert.Same(coreLib, stub.CustomAttributes.Single().AttributeType.Resolve().Module);
        Assert.Single(coreLib.Types, t => t.FullName == "System.Runtime.RuntimeImportAttribute");
        PatchAssert.RedirectsToStub(PatchAssert.Method(coreLib, "Interop/Sys", "SchedGetCpu"));

        ModuleDefinition console = workspace.ReadOutput("System.Console.dll");
        MethodDefinition write = console.GetType("Interop/Sys").Methods.Single(m => m.Name == "Write" && m.Parameters[0].ParameterType.Name == "SafeHandle");
        PatchAssert.RedirectsToStub(write);
        Assert.NotNull(console.GetType("System.Runtime.RuntimeImportAttribute"));
    }

    [Fact]
    public void Ilc_LinksPatchedTargetsToTheExportedPlugs()
    {
        using var workspace = new PatchWorkspace();
        PatchPack(workspace);
        string kernel = TestCompiler.Compile("kernel", Path.Combine(workspace.Root, "kernel"), KernelSource);
        string objectFile = Path.Combine(workspace.Root, "kernel.o");
        string responseFile = Path.Combine(workspace.Root, "ilc.rsp");
        File.WriteAllLines(responseFile, IlcArguments(workspace, kernel, objectFile));

        (int ilcExit, string ilcOutput) = ProcessRunner.Run(NativeAotPack.Ilc, "@" + responseFile, workspace.Root, TimeSpan.FromMinutes(2));
        Assert.True(ilcExit == 0, ilcOutput);

        (_, string definedSymbols) = ProcessRunner.Run("nm", $"--defined-only \"{objectFile}\"", workspace.Root, TimeSpan.FromSeconds(30));
        string processorCount = SymbolAddress(definedSymbols, "__cosmos_plug_System_Environment_get_ProcessorCount_");
        SymbolAddress(definedSymbols, "__cosmos_plug_Interop_Sys_SchedGetCpu_");
        string write = SymbolAddress(definedSymbols, "__cosmos_plug_Interop_Sys_Write_");

        (_, string undefinedSymbols) = ProcessRunner.Run("nm", $"--undefined-only \"{objectFile}\"", workspace.Root, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("__cosmos_plug_", undefinedSymbols);

        // The export is an alias of the plug method's own symbol, so objdump may label the call
        // with either name: compare addresses. RyuJIT inlines the two-instruction target body
        // into the caller, which then calls the plug directly.
        (_, string disassembly) = ProcessRunner.Run("objdump", $"-d --no-show-raw-insn \"{objectFile}\"", workspace.Root, TimeSpan.FromSeconds(60));
        string main = FunctionBody(disassembly, "kernel_Kernel__Main");
        Assert.True(Regex.IsMatch(main, $@"call\s+{processorCount}\s"), $"kmain does not call the ProcessorCount plug at {processorCount}:\n{main}");
        Assert.Matches($@"call\s+{write}\s", disassembly);
    }

    /// <summary>The address of the one symbol starting with <paramref name="prefix"/>, as objdump prints it.</summary>
    private static string SymbolAddress(string nmOutput, string prefix)
    {
        string line = Assert.Single(nmOutput.Split('\n'), l => l.Split(' ').Last().StartsWith(prefix, StringComparison.Ordinal));
        return line.Split(' ')[0].TrimStart('0');
    }

    private static CliRun PatchPack(PatchWorkspace workspace)
    {
        string plugs = workspace.CompilePlugs(PlugSource);
        CliRun run = CliRun.Of(
            "patch",
            "--plugs", plugs,
            "--targets", NativeAotPack.NativeDirectory, NativeAotPack.LibraryDirectory,
            "--out", workspace.OutputDirectory,
            "--verbose");
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private static string[] IlcArguments(PatchWorkspace workspace, string kernel, string objectFile)
    {
        string[] patched = Directory.GetFiles(workspace.OutputDirectory, "*.dll");
        string[] patchedNames = patched.Select(Path.GetFileName).ToArray()!;
        string[] references = Directory.GetFiles(NativeAotPack.NativeDirectory, "*.dll")
            .Concat(Directory.GetFiles(NativeAotPack.LibraryDirectory, "*.dll"))
            .Where(f => !patchedNames.Contains(Path.GetFileName(f)))
            .Concat(patched.Where(f => Path.GetFileName(f) != "Plugs.dll"))
            .ToArray();
        return
        [
            kernel,
            Path.Combine(workspace.OutputDirectory, "Plugs.dll"),
            .. references.Select(r => "-r:" + r),
            "-o:" + objectFile,
            "--systemmodule:System.Private.CoreLib",
            "--targetos:linux",
            "--targetarch:x64",
            "--nativelib",
            "-O",
            "--noinlinetls",
            "--generateunmanagedentrypoints:kernel",
            "--feature:System.Diagnostics.Tracing.EventSource.IsSupported=false",
            "--feature:System.Globalization.Invariant=true",
            "--feature:System.Resources.UseSystemResourceKeys=true",
        ];
    }

    private static string FunctionBody(string disassembly, string symbol)
    {
        int start = disassembly.IndexOf($"<{symbol}>:", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{symbol} is not in the object file");
        int end = disassembly.IndexOf("\n\n", start, StringComparison.Ordinal);
        return end < 0 ? disassembly.Substring(start) : disassembly.Substring(start, end - start);
    }
}
