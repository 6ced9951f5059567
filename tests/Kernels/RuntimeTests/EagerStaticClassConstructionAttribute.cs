namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// ILC runs the static constructor of a type carrying an attribute of this name during
    /// module initialisation rather than at first access. CoreLib's own copy is internal, so the
    /// test kernel declares one: ILC matches it by namespace and name.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    internal sealed class EagerStaticClassConstructionAttribute : Attribute
    {
    }
}
