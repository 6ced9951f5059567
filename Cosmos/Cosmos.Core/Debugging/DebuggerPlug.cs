using Cosmos.Core.Plugs;

namespace Cosmos.Core.Debugging
{
    /// <summary>
    /// System.Diagnostics.Debugger on the kernel: NativeAOT's Unix Break does nothing and IsAttached reads a field
    /// only a native debugger writes, so both answer from the kernel's GDB stub instead.
    /// </summary>
    [Plug(typeof(System.Diagnostics.Debugger))]
    public static class DebuggerPlug
    {
        /// <summary>Stops in gdb when the stub runs (<see cref="GdbStub.Break"/>).</summary>
        [PlugMember]
        public static void Break() => GdbStub.Break();

        /// <summary>True while gdb is connected to the stub.</summary>
        [PlugMember]
        public static bool get_IsAttached() => GdbStub.IsAttached;
    }
}
