namespace System.Runtime
{
    /// <summary>
    /// Exports a static method under a fixed linker symbol. ILC recognises this attribute by its
    /// namespace and name; CoreLib's own copy is internal, so the kernel declares one of its own.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class RuntimeExportAttribute : Attribute
    {
        /// <summary>Exports the method as <paramref name="entry"/>.</summary>
        public RuntimeExportAttribute(string entry) => EntryPoint = entry;

        /// <summary>The exported symbol.</summary>
        public string EntryPoint { get; }
    }

    /// <summary>
    /// Binds an <c>extern</c> method with <c>MethodImplOptions.InternalCall</c> to a linker symbol,
    /// called directly with the managed calling convention and no transition.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class RuntimeImportAttribute : Attribute
    {
        /// <summary>Imports <paramref name="entry"/>.</summary>
        public RuntimeImportAttribute(string entry) => EntryPoint = entry;

        /// <summary>Imports <paramref name="entry"/> from <paramref name="lib"/> (ignored: one image).</summary>
        public RuntimeImportAttribute(string lib, string entry) => EntryPoint = entry;

        /// <summary>The imported symbol.</summary>
        public string EntryPoint { get; }
    }
}
