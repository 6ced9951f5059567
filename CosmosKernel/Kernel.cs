using Cosmos.Core.IO;

namespace CosmosKernel
{
    /// <summary>The OS that ships.</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            SerialPort.WriteAscii(SerialPort.Com1, "Hello from C#\n");
            unsafe { *(int*)0x123456789000 = 5; }
        }

        protected override void Run()
        {
            Stop();
        }
    }
}
