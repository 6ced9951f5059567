using System;
using System.Collections.Generic;
using Cosmos.Drivers.Ps2;

namespace Cosmos.Drivers.Tests.Ps2
{
    /// <summary>
    /// An 8042 with a keyboard and a mouse, played on the host: the controller commands the driver uses, the
    /// configuration byte, and the devices' answers (reset, defaults, enable, Set LEDs). Knobs make it absent,
    /// silent, stuck or single-port, and its devices mute or resending. Bytes the devices "send" wait in the
    /// output queue; while their interrupt bit is on, <see cref="RaiseInterrupts"/> plays the IRQ.
    /// </summary>
    internal sealed class SimI8042 : II8042Ports
    {
        private readonly Queue<(byte Value, bool Aux, bool Bad)> _output = new();
        private byte _config = 0x65; // what firmware tends to leave: both interrupts, translation, aux clock off
        private byte? _pendingCommand;
        private bool _nextKeyboardByteIsLeds;

        /// <summary>Status reads 0xFF: nothing at the ports.</summary>
        public bool Absent { get; set; }

        /// <summary>Takes commands and never answers.</summary>
        public bool Silent { get; set; }

        /// <summary>The input buffer never empties.</summary>
        public bool InputStuck { get; set; }

        /// <summary>The self-test answer (0x55 passes).</summary>
        public byte SelfTestAnswer { get; set; } = 0x55;

        /// <summary>A controller with one port: "enable second port" does nothing.</summary>
        public bool SingleChannel { get; set; }

        /// <summary>No keyboard answers on the first port.</summary>
        public bool KeyboardMute { get; set; }

        /// <summary>The keyboard stops acknowledging once it was reset (for LED commands).</summary>
        public bool KeyboardStopsAcking { get; set; }

        /// <summary>The keyboard answers "resend" to this many bytes before it acknowledges.</summary>
        public int KeyboardResends { get; set; }

        /// <summary>Port accesses of any kind.</summary>
        public int Accesses { get; private set; }

        /// <summary>Bytes the keyboard received.</summary>
        public List<byte> KeyboardReceived { get; } = new();

        /// <summary>Bytes the mouse received.</summary>
        public List<byte> MouseReceived { get; } = new();

        /// <summary>The keyboard's LED mask as last set (bit 0 scroll, 1 num, 2 caps).</summary>
        public byte KeyboardLeds { get; private set; }

        /// <summary>The configuration byte now.</summary>
        public byte Config => _config;

        /// <summary>Handlers the driver connected, by IRQ.</summary>
        public Dictionary<int, Action> Irqs { get; } = new();

        /// <summary>A connect function for the driver that records handlers (and describes a route).</summary>
        public string? Connect(int irq, Action handler)
        {
            Irqs[irq] = handler;
            return $"irq {irq} -> sim";
        }

        public byte ReadStatus()
        {
            Accesses++;
            if (Absent)
            {
                return 0xFF;
            }

            byte status = (byte)(InputStuck ? 0x02 : 0x00);
            if (_output.Count > 0)
            {
                (byte _, bool aux, bool bad) = _output.Peek();
                status |= 0x01;
                status |= (byte)(aux ? 0x20 : 0);
                status |= (byte)(bad ? 0x80 : 0);
            }

            return status;
        }

        public byte ReadData()
        {
            Accesses++;
            return _output.Count > 0 ? _output.Dequeue().Value : (byte)0;
        }

        public void WriteCommand(byte command)
        {
            Accesses++;
            if (Silent)
            {
                return;
            }

            switch (command)
            {
                case 0x20: Answer(_config); break;
                case 0x60: case 0xD4: _pendingCommand = command; break;
                case 0xA7: _config |= 0x20; break;
                case 0xA8: if (!SingleChannel) { _config &= 0xDF; } break;
                case 0xAD: _config |= 0x10; break;
                case 0xAE: _config &= 0xEF; break;
                case 0xAA: Answer(SelfTestAnswer); break;
                case 0xAB: Answer(0x00); break;
                case 0xA9: Answer(SingleChannel ? (byte)0x01 : (byte)0x00); break;
                default: throw new InvalidOperationException($"sim 8042: unexpected command 0x{command:x2}");
            }
        }

        public void WriteData(byte value)
        {
            Accesses++;
            if (Silent)
            {
                return;
            }

            byte? command = _pendingCommand;
            _pendingCommand = null;
            if (command == 0x60)
            {
                _config = value;
            }
            else if (command == 0xD4)
            {
                Mouse(value);
            }
            else
            {
                Keyboard(value);
            }
        }

        /// <summary>The keyboard sends these bytes (scan codes).</summary>
        public void KeyboardSends(params byte[] bytes)
        {
            foreach (byte b in bytes)
            {
                _output.Enqueue((b, false, false));
            }

            RaiseInterrupts();
        }

        /// <summary>The mouse sends these bytes.</summary>
        public void MouseSends(params byte[] bytes)
        {
            foreach (byte b in bytes)
            {
                _output.Enqueue((b, true, false));
            }

            RaiseInterrupts();
        }

        /// <summary>A keyboard byte that arrives with a parity error.</summary>
        public void KeyboardSendsWithParityError(byte value) => _output.Enqueue((value, false, true));

        /// <summary>Plays the interrupt of the waiting byte's port if its bit is on (as the bytes arrive, like the real line).</summary>
        public void RaiseInterrupts()
        {
            if (_output.Count == 0)
            {
                return;
            }

            bool aux = _output.Peek().Aux;
            int irq = aux ? 12 : 1;
            bool enabled = (_config & (aux ? 0x02 : 0x01)) != 0;
            if (enabled && Irqs.TryGetValue(irq, out Action? handler))
            {
                handler();
            }
        }

        private void Answer(byte value) => _output.Enqueue((value, false, false));

        private void Keyboard(byte value)
        {
            KeyboardReceived.Add(value);
            if (KeyboardMute)
            {
                return;
            }

            if (KeyboardResends > 0)
            {
                KeyboardResends--;
                KeyboardSends(0xFE);
                return;
            }

            if (_nextKeyboardByteIsLeds)
            {
                _nextKeyboardByteIsLeds = false;
                KeyboardLeds = value;
                if (!KeyboardStopsAcking)
                {
                    KeyboardSends(0xFA);
                }

                return;
            }

            switch (value)
            {
                case 0xFF: KeyboardSends(0xFA, 0xAA); break;
                case 0xED:
                    _nextKeyboardByteIsLeds = true;
                    if (!KeyboardStopsAcking)
                    {
                        KeyboardSends(0xFA);
                    }

                    break;
                default: KeyboardSends(0xFA); break;
            }
        }

        private void Mouse(byte value)
        {
            MouseReceived.Add(value);
            if (SingleChannel)
            {
                return;
            }

            if (value == 0xFF)
            {
                MouseSends(0xFA, 0xAA, 0x00);
            }
            else
            {
                MouseSends(0xFA);
            }
        }
    }
}
