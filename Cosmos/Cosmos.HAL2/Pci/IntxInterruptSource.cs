using System;
using Cosmos.Core.InterruptControllers;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// Legacy INTx: the pin firmware routed to an IRQ line (config 0x3C), through the I/O APIC.
    /// Level-triggered and possibly shared: the handler must check the device's own status and
    /// quieten it, or the line stays asserted.
    /// </summary>
    public sealed class IntxInterruptSource : PciInterruptSource
    {
        private readonly PciFunction _function;
        private readonly IPciPlatform _platform;
        private readonly Action _dispatch;
        private Action? _handler;
        private LegacyInterruptRoute? _route;

        private IntxInterruptSource(PciFunction function, IPciPlatform platform)
        {
            _function = function;
            _platform = platform;
            _dispatch = Dispatch;
        }

        /// <inheritdoc />
        public override InterruptMode Mode => InterruptMode.Intx;

        /// <inheritdoc />
        public override int VectorCount => 1;

        /// <summary>How the line reaches the CPU.</summary>
        public LegacyInterruptRoute Route => _route!;

        /// <summary>Interrupts the handler saw (including ones on a shared line that were someone else's).</summary>
        public ulong Count { get; private set; }

        /// <inheritdoc />
        public override string Description => $"intx {(char)('A' + _function.InterruptPin - 1)} {_route}";

        /// <inheritdoc />
        public override void SetHandler(int index, Action handler)
        {
            CheckIndex(index);
            _handler = handler;
        }

        /// <summary>Connects the function's INTx; null (and why) when there is no pin, no line, or no I/O APIC for it.</summary>
        internal static IntxInterruptSource? TryEnable(PciFunction function, IPciPlatform platform, out string? reason)
        {
            if (function.InterruptPin == 0 || function.InterruptPin > 4)
            {
                reason = "no INTx pin";
                return null;
            }

            int line = function.InterruptLine;
            if (line == 0 || line == 0xFF)
            {
                reason = $"firmware assigned INT{(char)('A' + function.InterruptPin - 1)} no IRQ line (0x{line:x2})";
                return null;
            }

            var source = new IntxInterruptSource(function, platform);
            source._route = platform.ConnectLegacyInterrupt(line, source._dispatch);
            if (source._route == null)
            {
                reason = $"no I/O APIC serves irq {line}";
                return null;
            }

            function.DisableMsiCapability();
            function.DisableMsiXCapability();
            function.SetCommandBits(0, PciConfigRegisters.CommandInterruptDisable);
            reason = null;
            return source;
        }

        /// <inheritdoc />
        internal override void Disable()
        {
            _function.SetCommandBits(PciConfigRegisters.CommandInterruptDisable, 0);
            if (_route != null)
            {
                _platform.DisconnectLegacyInterrupt(_route, _dispatch);
            }
        }

        private void Dispatch()
        {
            Count++;
            _handler?.Invoke();
        }
    }
}
