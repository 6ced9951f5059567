using System;
using System.Buffers.Binary;
using System.Text;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Devices;
using static Cosmos.Drivers.VirtIO.Input.VirtioInputRegisters;

namespace Cosmos.Drivers.VirtIO.Input
{
    /// <summary>
    /// What a virtio-input device says about itself through select/subsel (§5.8.4): its name, the event
    /// types and codes it sends (EV_BITS) and the ranges of its absolute axes (ABS_INFO). Nonsense (a size
    /// larger than the union, an axis whose minimum exceeds its maximum) is recorded in <see cref="Problems"/>
    /// and ignored rather than believed.
    /// </summary>
    public sealed class VirtioInputConfiguration
    {
        private readonly byte[][] _eventBits = new byte[InputEventTypes.Max + 1][];
        private readonly InputAxisRange?[] _axes = new InputAxisRange?[AbsMax + 1];

        private VirtioInputConfiguration()
        {
        }

        /// <summary>ID_NAME ("QEMU Virtio Keyboard"), or "virtio-input" when the device gives none.</summary>
        public string Name { get; private set; } = "virtio-input";

        /// <summary>What did not make sense, one sentence each.</summary>
        public string Problems { get; private set; } = "";

        /// <summary>Keyboard, mouse, tablet or other, from the event bits.</summary>
        public InputDeviceKind Kind { get; private set; }

        /// <summary>True when the device can send <paramref name="type"/> with <paramref name="code"/>.</summary>
        public bool Supports(int type, int code)
        {
            if ((uint)type >= (uint)_eventBits.Length || _eventBits[type] is not { } bits)
            {
                return false;
            }

            return (uint)(code / 8) < (uint)bits.Length && (bits[code / 8] & (1 << (code % 8))) != 0;
        }

        /// <summary>True when the device sends any event of <paramref name="type"/>.</summary>
        public bool SupportsType(int type) => (uint)type < (uint)_eventBits.Length && _eventBits[type] is { Length: > 0 };

        /// <summary>The range of absolute axis <paramref name="axis"/>, or null.</summary>
        public InputAxisRange? Axis(int axis) => (uint)axis < (uint)_axes.Length ? _axes[axis] : null;

        /// <summary>Reads the configuration through <paramref name="transport"/>.</summary>
        /// <exception cref="VirtioDeviceException">The configuration kept changing under the reader.</exception>
        public static VirtioInputConfiguration Read(IVirtioTransport transport)
        {
            ArgumentNullException.ThrowIfNull(transport);
            var config = new VirtioInputConfiguration();
            var problems = new StringBuilder();
            Span<byte> union = stackalloc byte[UnionLength];

            int nameLength = Select(transport, CfgIdName, 0, union, problems);
            if (nameLength > 0)
            {
                int end = union[..nameLength].IndexOf((byte)0);
                string name = Encoding.ASCII.GetString(union[..(end < 0 ? nameLength : end)]);
                config.Name = name.Length == 0 ? config.Name : name;
            }

            foreach (int type in new[] { InputEventTypes.Key, InputEventTypes.Relative, InputEventTypes.Absolute, InputEventTypes.Led, InputEventTypes.Repeat })
            {
                int length = Select(transport, CfgEvBits, (byte)type, union, problems);
                config._eventBits[type] = union[..length].ToArray();
            }

            for (int axis = 0; axis <= 1; axis++)
            {
                if (!config.Supports(InputEventTypes.Absolute, axis))
                {
                    continue;
                }

                int length = Select(transport, CfgAbsInfo, (byte)axis, union, problems);
                if (length < 20)
                {
                    problems.Append($"ABS_INFO for axis {axis} is {length} bytes, 20 expected; ");
                    continue;
                }

                int min = BinaryPrimitives.ReadInt32LittleEndian(union), max = BinaryPrimitives.ReadInt32LittleEndian(union[4..]);
                int resolution = BinaryPrimitives.ReadInt32LittleEndian(union[16..]);
                if (max <= min)
                {
                    problems.Append($"axis {axis} range {min}..{max} is empty; ");
                    continue;
                }

                config._axes[axis] = new InputAxisRange(min, max, resolution);
            }

            transport.WriteConfig8(ConfigSelect, CfgUnset);
            config.Kind = config.Axis(InputEventTypes.AxisX) is not null && config.Axis(InputEventTypes.AxisY) is not null ? InputDeviceKind.Tablet
                : config.Supports(InputEventTypes.Relative, InputEventTypes.AxisX) ? InputDeviceKind.Mouse
                : config.Supports(InputEventTypes.Key, KeyA) ? InputDeviceKind.Keyboard
                : InputDeviceKind.Other;
            config.Problems = problems.ToString().TrimEnd(' ', ';');
            return config;
        }

        // §5.8.5.1: write select and subsel, then size says how much of the union is valid (0: not supported).
        private static int Select(IVirtioTransport transport, byte select, byte subsel, Span<byte> union, StringBuilder problems)
        {
            transport.WriteConfig8(ConfigSelect, select);
            transport.WriteConfig8(ConfigSubsel, subsel);
            int size = transport.ReadConfig8(ConfigSize);
            if (size > UnionLength)
            {
                problems.Append($"select 0x{select:x2}/{subsel} claims {size} bytes, the union holds {UnionLength}; ");
                size = UnionLength;
            }

            if (ConfigUnion + size > transport.ConfigLength)
            {
                size = Math.Max(0, transport.ConfigLength - ConfigUnion);
            }

            union.Clear();
            if (size > 0)
            {
                transport.ReadConfig(ConfigUnion, union[..size]);
            }

            return size;
        }
    }
}
