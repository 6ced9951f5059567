using System;
using Cosmos.TestKit;

namespace SocketTests
{
    /// <summary>Waits for DHCP, then runs the socket checks and reports them on COM1 (see tests/Kernels/README.md).</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            // Setup, not a check: the checks below use only the class library's API.
            if (Network.WaitForAddress(30_000) == null)
            {
                Console.WriteLine("[sockets] no address from DHCP within 30 s");
            }

            var tests = new TestRunner();
            NameChecks.Add(tests);
            LoopbackChecks.Add(tests);
            HostPeerChecks.Add(tests);
            tests.RunAndExit();
        }

        protected override void Run()
        {
        }
    }
}
