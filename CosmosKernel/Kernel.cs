using System;
using System.Collections.Generic;

namespace CosmosKernel
{
    /// <summary>The OS that ships.</summary>
    public sealed class Kernel : Cosmos.System.Kernel
    {
        protected override void BeforeRun()
        {
            Console.WriteLine("Hello from Console");
            try
            {
                throw new InvalidOperationException("boom");
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine("caught " + e.Message);
            }
            finally
            {
                Console.WriteLine("finally ran");
            }

            IList<int> list = new List<int> { 1, 2, 3 };
            Console.WriteLine($"count {list.Count} sum {list[0] + list[2]}");
            try
            {
                object? o = null;
                Console.WriteLine(o!.ToString());
            }
            catch (NullReferenceException)
            {
                Console.WriteLine("NRE caught");
            }

            string? line = Console.ReadLine();
            Console.WriteLine($"got {line}");
        }

        protected override void Run()
        {
            Stop();
        }
    }
}
