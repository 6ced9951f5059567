using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Cosmos.Build.Plugs;
using Cosmos.Build.Tests.Infrastructure;
using Mono.Cecil;
using Xunit;

namespace Cosmos.Build.Tests;

public sealed class PlugPatchingTests
{
    [Fact]
    public void StaticPlug_TargetCallsImportStub_AndPlugExportsTheSameSymbol()
    {
        using var workspace = new PatchWorkspace();
        CliRun run = workspace.CompileAndPatch(
            "namespace Target { public static class Clock { public static int Ticks(int scale) => scale * 2; } }",
            "[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks(int scale) => 7; }");

        MethodDefinition target = PatchAssert.Method(workspace.ReadOutput("Target.dll"), "Target.Clock", "Ticks");
        MethodDefinition stub = PatchAssert.RedirectsToStub(target);
        MethodDefinition plug = PatchAssert.Method(workspace.ReadOutput("Plugs.dll"), "ClockPlug", "Ticks");
        string symbol = PatchAssert.ImportSymbol(stub);
        Assert.Equal(symbol, PatchAssert.ExportSymbol(plug));
        Assert.Equal(PlugSymbol.For(target), symbol);
        Assert.StartsWith("__cosmos_plug_Target_Clock_Ticks_", symbol);

        string line = Assert.Single(run.Output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Target.Clock::Ticks(System.Int32)", line);
        Assert.Contains("ClockPlug.Ticks", line);
        Assert.Contains(symbol, line);
    }

    [Fact]
    public void InstancePlug_OnClass_PassesThisAsTheDeclaringType()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public class Counter { private int _n; public int Add(int x) => _n += x; } }",
            "[Plug(typeof(Target.Counter))] public static class CounterPlug { [PlugMember] public static int Add(object aThis, int x) => x; }");

        MethodDefinition target = PatchAssert.Method(workspace.ReadOutput("Target.dll"), "Target.Counter", "Add");
        MethodDefinition stub = PatchAssert.RedirectsToStub(target);
        Assert.Equal("Target.Counter", stub.Parameters[0].ParameterType.FullName);
        Assert.Equal("System.Int32", stub.Parameters[1].ParameterType.FullName);
    }

    [Theory]
    [InlineData("ref Target.Point aThis")]
    [InlineData("nint aThis")]
    [InlineData("void* aThis")]
    public void InstancePlug_OnStruct_PassesThisByReference(string thisParameter)
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public struct Point { public int X; public int Twice() => X * 2; } }",
            $"[Plug(typeof(Target.Point))] public static unsafe class PointPlug {{ [PlugMember] public static int Twice({thisParameter}) => 0; }}");

        MethodDefinition target = PatchAssert.Method(workspace.ReadOutput("Target.dll"), "Target.Point", "Twice");
        MethodDefinition stub = PatchAssert.RedirectsToStub(target);
        Assert.Equal("Target.Point&", stub.Parameters[0].ParameterType.FullName);
    }

    [Fact]
    public void ConstructorPlug_ReplacesTheConstructorBody()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public class Buffer { public byte[] Data; public Buffer(int size) { Data = new byte[size]; } } }",
            "[Plug(typeof(Target.Buffer))] public static class BufferPlug { [PlugMember(\".ctor\")] public static void Ctor(object aThis, int size) { } }");

        MethodDefinition constructor = workspace.ReadOutput("Target.dll").GetType("Target.Buffer").Methods.Single(m => m.IsConstructor && !m.IsStatic);
        MethodDefinition stub = PatchAssert.RedirectsToStub(constructor);
        Assert.Equal("Target.Buffer", stub.Parameters[0].ParameterType.FullName);
        Assert.Equal("System.Void", stub.ReturnType.FullName);
        Assert.NotNull(PatchAssert.ExportSymbol(PatchAssert.Method(workspace.ReadOutput("Plugs.dll"), "BufferPlug", "Ctor")));
    }

    [Fact]
    public void PInvokeTarget_BecomesAnILMethod()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            """
            using System.Runtime.InteropServices;
            namespace Target
            {
                internal static unsafe class Native
                {
                    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Write"), SuppressGCTransition]
                    internal static extern int Write(nint fd, byte* buffer, int count);
                }
            }
            """,
            "[Plug(\"Target.Native, Target\")] public static unsafe class NativePlug { [PlugMember] public static int Write(nint fd, byte* buffer, int count) => count; }");

        MethodDefinition target = PatchAssert.Method(workspace.ReadOutput("Target.dll"), "Target.Native", "Write");
        MethodDefinition stub = PatchAssert.RedirectsToStub(target);
        Assert.Equal((MethodImplAttributes)0, target.ImplAttributes & MethodImplAttributes.PreserveSig);
        Assert.DoesNotContain(target.CustomAttributes, a => a.AttributeType.Name == "SuppressGCTransitionAttribute");
        Assert.Equal(new[] { "System.IntPtr", "System.Byte*", "System.Int32" }, stub.Parameters.Select(p => p.ParameterType.FullName));
    }

    [Fact]
    public void RuntimeImportTarget_LosesItsImportAndIntrinsicAttributes_AndItsModuleAttributeIsReused()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            """
            using System.Runtime;
            using System.Runtime.CompilerServices;
            namespace System.Runtime
            {
                internal sealed class RuntimeImportAttribute : System.Attribute
                {
                    public RuntimeImportAttribute(string entry) { }
                    public RuntimeImportAttribute(string lib, string entry) { }
                }
            }
            namespace System.Runtime.CompilerServices { internal sealed class IntrinsicAttribute : System.Attribute { } }
            namespace Target
            {
                public static class Gc
                {
                    [Intrinsic, RuntimeImport("*", "RhGetGcTotalMemory")]
                    [MethodImpl(MethodImplOptions.InternalCall | MethodImplOptions.AggressiveInlining)]
                    public static extern long TotalMemory();
                }
            }
            """,
            "[Plug(typeof(Target.Gc))] public static class GcPlug { [PlugMember] public static long TotalMemory() => 0; }");

        ModuleDefinition module = workspace.ReadOutput("Target.dll");
        MethodDefinition target = PatchAssert.Method(module, "Target.Gc", "TotalMemory");
        MethodDefinition stub = PatchAssert.RedirectsToStub(target);
        Assert.Empty(target.CustomAttributes);
        Assert.Single(module.Types, t => t.FullName == "System.Runtime.RuntimeImportAttribute");
        Assert.Same(module.GetType("System.Runtime.RuntimeImportAttribute"), stub.CustomAttributes.Single().AttributeType);
    }

    [Fact]
    public void ModulesWithoutRuntimeAttributes_GetInternalOnesOfTheirOwn()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public static class Clock { public static int Ticks() => 1; } }",
            "[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks() => 7; }");

        TypeDefinition import = workspace.ReadOutput("Target.dll").GetType("System.Runtime.RuntimeImportAttribute");
        Assert.NotNull(import);
        Assert.True(import.IsNotPublic);
        Assert.Equal("System.Attribute", import.BaseType.FullName);
        Assert.Equal(
            new[] { 1, 2 },
            import.Methods.Where(m => m.IsConstructor).Select(m => m.Parameters.Count).Order());

        TypeDefinition export = workspace.ReadOutput("Plugs.dll").GetType("System.Runtime.RuntimeExportAttribute");
        Assert.NotNull(export);
        Assert.True(export.IsNotPublic);
        Assert.Contains(export.Methods, m => m.IsConstructor && m.Parameters.Count == 1 && m.Parameters[0].ParameterType.FullName == "System.String");
    }

    [Fact]
    public void PlugModuleWithItsOwnRuntimeExportAttribute_KeepsUsingIt()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public static class Clock { public static int Ticks() => 1; } }",
            """
            namespace System.Runtime { internal sealed class RuntimeExportAttribute : System.Attribute { public RuntimeExportAttribute(string entry) { } } }
            [Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks() => 7; }
            """);

        ModuleDefinition plugs = workspace.ReadOutput("Plugs.dll");
        Assert.Single(plugs.Types, t => t.FullName == "System.Runtime.RuntimeExportAttribute");
        Assert.StartsWith(PlugSymbol.Prefix, PatchAssert.ExportSymbol(PatchAssert.Method(plugs, "ClockPlug", "Ticks")));
    }

    [Fact]
    public void OnlyTouchedTargetsAndThePlugAssemblyAreWritten()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileTarget("namespace Untouched { public static class Idle { public static void Wait() { } } }", name: "Untouched");
        workspace.CompileAndPatch(
            "namespace Target { public static class Clock { public static int Ticks() => 1; } }",
            "[Plug(typeof(Target.Clock))] public static class ClockPlug { [PlugMember] public static int Ticks() => 7; }");

        string[] written = Directory.GetFiles(workspace.OutputDirectory, "*.dll").Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(new[] { "Plugs.dll", "Target.dll" }, written);
        Assert.True(File.Exists(Path.Combine(workspace.OutputDirectory, "Plugs.pdb")), "the plug assembly's PDB must follow it, for ILC's -g");
    }

    [Fact]
    public void SymbolsAreLinkerSafe_DistinctForOverloads_AndTheSameOnEveryRun()
    {
        const string target = "namespace Target { public static class Math2 { public static int Max(int a, int b) => a; public static long Max(long a, long b) => a; } }";
        const string plugs = """
            [Plug(typeof(Target.Math2))]
            public static class MathPlug
            {
                [PlugMember("Max")] public static int MaxInt(int a, int b) => b;
                [PlugMember("Max")] public static long MaxLong(long a, long b) => b;
            }
            """;
        string[] first = PatchedSymbols(target, plugs);
        string[] second = PatchedSymbols(target, plugs);

        Assert.Equal(2, first.Distinct().Count());
        Assert.Equal(first, second);
        Assert.All(first, s => Assert.Matches(new Regex("^[A-Za-z0-9_]+$"), s));
    }

    [Fact]
    public void NestedTargetByName_InParameterMatchesRef_AndObjectStandsForAnyClass()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            """
            namespace Target
            {
                public struct Point { public int X; }
                internal static class Outer
                {
                    internal static class Inner
                    {
                        internal static int Sum(in Point p, string name, int[] values) => p.X;
                    }
                }
            }
            """,
            """
            [Plug("Target.Outer+Inner, Target")]
            public static class InnerPlug { [PlugMember] public static int Sum(ref Target.Point p, object name, object values) => 0; }
            """);

        MethodDefinition target = PatchAssert.Method(workspace.ReadOutput("Target.dll"), "Target.Outer/Inner", "Sum");
        PatchAssert.RedirectsToStub(target);
    }

    [Fact]
    public void CustomModifiersAreIgnored()
    {
        // C# marks an `in` parameter of a virtual method with modreq(InAttribute); the plug's `ref` has none.
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public struct Point { public int X; } public class Shape { public virtual int Area(in Point p) => p.X; } }",
            "[Plug(typeof(Target.Shape))] public static class ShapePlug { [PlugMember] public static int Area(Target.Shape aThis, ref Target.Point p) => 0; }");

        MethodDefinition target = PatchAssert.Method(workspace.ReadOutput("Target.dll"), "Target.Shape", "Area");
        Assert.IsType<RequiredModifierType>(target.Parameters[0].ParameterType);
        PatchAssert.RedirectsToStub(target);
    }

    [Fact]
    public void ExactOverloadWinsOverLooseOnes()
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(
            "namespace Target { public static class Log { public static void Write(string s) { } public static void Write(object o) { } } }",
            "[Plug(typeof(Target.Log))] public static class LogPlug { [PlugMember] public static void Write(object o) { } }");

        TypeDefinition log = workspace.ReadOutput("Target.dll").GetType("Target.Log");
        MethodDefinition objectOverload = log.Methods.Single(m => m.Name == "Write" && m.Parameters[0].ParameterType.FullName == "System.Object");
        PatchAssert.RedirectsToStub(objectOverload);
        MethodDefinition stringOverload = log.Methods.Single(m => m.Name == "Write" && m.Parameters[0].ParameterType.FullName == "System.String");
        Assert.DoesNotContain(stringOverload.Body.Instructions, i => i.Operand is MethodReference { Name: var name } && name.StartsWith("__plug_", System.StringComparison.Ordinal));
    }

    private static string[] PatchedSymbols(string targetSource, string plugSource)
    {
        using var workspace = new PatchWorkspace();
        workspace.CompileAndPatch(targetSource, plugSource);
        TypeDefinition type = workspace.ReadOutput("Target.dll").GetType("Target.Math2");
        return type.Methods.Where(m => m.Name.StartsWith("__plug_", System.StringComparison.Ordinal)).Select(PatchAssert.ImportSymbol).ToArray();
    }
}
