using Cosmos.Core.IO;

namespace CosmosKernel
{
    /// <summary>The OS that ships.</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            SerialPort.WriteAscii(SerialPort.Com1, "Hello from C#\n");
        }

        protected override void Run()
        {
            Stop();
        }
    }
}
