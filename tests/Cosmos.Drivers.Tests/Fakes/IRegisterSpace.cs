namespace Cosmos.Drivers.Tests.Fakes
{
    /// <summary>The device side of a register window: a simulated device's registers.</summary>
    internal interface IRegisterSpace
    {
        ulong Read(ulong offset, int width);

        void Write(ulong offset, int width, ulong value);
    }
}
