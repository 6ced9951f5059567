using System.Runtime.CompilerServices;
using Cosmos.TestKit;

namespace RuntimeTests.Checks
{
    /// <summary>One interface call site and one virtual call site that see twelve receiver types, more than a dispatch cache holds.</summary>
    internal static partial class DispatchChecks
    {
        private interface IValued
        {
            int Value();
        }

        private abstract class Valued : IValued
        {
            public abstract int Value();
        }

        private sealed class V1 : Valued { public override int Value() => 1; }

        private sealed class V2 : Valued { public override int Value() => 2; }

        private sealed class V3 : Valued { public override int Value() => 3; }

        private sealed class V4 : Valued { public override int Value() => 4; }

        private sealed class V5 : Valued { public override int Value() => 5; }

        private sealed class V6 : Valued { public override int Value() => 6; }

        private sealed class V7 : Valued { public override int Value() => 7; }

        private sealed class V8 : Valued { public override int Value() => 8; }

        private sealed class V9 : Valued { public override int Value() => 9; }

        private sealed class V10 : Valued { public override int Value() => 10; }

        private sealed class V11 : Valued { public override int Value() => 11; }

        private struct V12 : IValued { public int Value() => 12; }

        private static IValued[] Receivers() => new IValued[]
        {
            new V1(), new V2(), new V3(), new V4(), new V5(), new V6(),
            new V7(), new V8(), new V9(), new V10(), new V11(), new V12(),
        };

        // One call instruction: every receiver type goes through the same dispatch cell.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CallValue(IValued receiver) => receiver.Value();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CallVirtualValue(Valued receiver) => receiver.Value();

        private static void InterfaceSiteWithTwelveReceiverTypes()
        {
            IValued[] receivers = Receivers();
            for (int round = 0; round < 5; round++)
            {
                // Forward, then backward: an eviction policy that forgets must still give right answers.
                for (int i = 0; i < receivers.Length; i++)
                {
                    int index = (round % 2 == 0) ? i : receivers.Length - 1 - i;
                    int value = CallValue(receivers[index]);
                    if (value != index + 1)
                    {
                        Assert.Fail($"round {round}: receiver V{index + 1} answered {value}");
                    }
                }
            }
        }

        private static void VirtualSiteWithTwelveReceiverTypes()
        {
            IValued[] receivers = Receivers();
            int total = 0;
            for (int round = 0; round < 3; round++)
            {
                foreach (IValued receiver in receivers)
                {
                    if (receiver is Valued valued)
                    {
                        total += CallVirtualValue(valued);
                    }
                }
            }

            Assert.Equal(3 * 66, total, "sum of V1..V11 over three rounds");
        }
    }
}
