using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace DebugTests
{
    /// <summary>A shape with fields, for printing an object by its C# field names.</summary>
    public sealed class Planet
    {
        public Planet(string name, int moons)
        {
            Name = name;
            Moons = moons;
        }

        public string Name { get; }

        public int Moons;
    }

    /// <summary>The method the debugger tests stop in. The values are fixed: the tests check them.</summary>
    public static class Target
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Inspect(int count, string name)
        {
            long total = 1234567890123L;
            bool flag = true;
            string text = "hello " + name;
            int[] numbers = [3, 1, 4, 1, 5];
            var names = new List<string> { "alpha", "beta", "gamma" };
            var ages = new Dictionary<string, int> { ["ada"] = 36, ["alan"] = 41 };
            var planet = new Planet("jupiter", 95);
            int sum = Add(count, numbers.Length);
            sum += names.Count + ages.Count + planet.Moons;
            if (flag)
            {
                sum += (int)(total % 1000) + text.Length;
            }

            return sum;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Add(int left, int right)
        {
            int result = left + right;
            return result;
        }
    }
}
