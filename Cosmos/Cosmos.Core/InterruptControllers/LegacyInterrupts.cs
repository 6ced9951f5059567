using System;
using System.Collections.Generic;
using Cosmos.Core.Acpi;

namespace Cosmos.Core.InterruptControllers
{
    /// <summary>How a legacy interrupt line reaches the CPU once connected.</summary>
    public sealed record LegacyInterruptRoute(int Line, uint Gsi, int IoApicId, int Pin, int Vector, bool LevelTriggered, bool ActiveLow)
    {
        /// <inheritdoc />
        public override string ToString() =>
            $"irq {Line} -> gsi {Gsi} (ioapic {IoApicId} pin {Pin}, {(LevelTriggered ? "level" : "edge")}, active {(ActiveLow ? "low" : "high")}) -> vector 0x{Vector:x2}";
    }

    /// <summary>
    /// Legacy interrupt lines (ISA IRQs and PCI INTx as firmware wrote them in config 0x3C) through
    /// the I/O APICs. The MADT's interrupt source overrides give the GSI, polarity and trigger;
    /// without one the bus defaults apply (ISA: edge, active high; PCI: level, active low). Lines
    /// are shared: each GSI gets one vector, and every handler connected to it runs on each interrupt.
    /// </summary>
    public static class LegacyInterrupts
    {
        private static readonly Dictionary<uint, SharedLine> s_lines = new();

        /// <summary>Connects a PCI function's INTx, given the IRQ line firmware assigned it; null when no I/O APIC serves it.</summary>
        public static LegacyInterruptRoute? ConnectPci(int irqLine, Action handler) => Connect(irqLine, handler, isPci: true);

        /// <summary>Connects an ISA IRQ (0-15); null when no I/O APIC serves it.</summary>
        public static LegacyInterruptRoute? ConnectIsa(int irq, Action handler) => Connect(irq, handler, isPci: false);

        /// <summary>Removes a handler; the pin is masked and the vector freed when it was the last one.</summary>
        public static void Disconnect(LegacyInterruptRoute route, Action handler)
        {
            if (!s_lines.TryGetValue(route.Gsi, out SharedLine? line))
            {
                return;
            }

            line.Remove(handler);
            if (line.IsEmpty)
            {
                line.IoApic.Mask(line.Pin);
                InterruptVectors.Free(line.Route.Vector);
                s_lines.Remove(route.Gsi);
            }
        }

        /// <summary>The route of <paramref name="gsi"/> while something is connected to it.</summary>
        public static LegacyInterruptRoute? Find(uint gsi) => s_lines.TryGetValue(gsi, out SharedLine? line) ? line.Route : null;

        /// <summary>
        /// Resolves a line to (GSI, level, active low) from the MADT overrides and the bus defaults.
        /// Public for the tests; <paramref name="madt"/> may be null (no overrides).
        /// </summary>
        public static (uint Gsi, bool Level, bool ActiveLow) Resolve(Madt? madt, int line, bool isPci)
        {
            MadtInterruptOverride? entry = madt?.FindOverride(line);
            uint gsi = entry?.Gsi ?? (uint)line;
            InterruptTrigger trigger = entry?.Trigger ?? InterruptTrigger.ConformsToBus;
            InterruptPolarity polarity = entry?.Polarity ?? InterruptPolarity.ConformsToBus;
            bool level = trigger == InterruptTrigger.ConformsToBus ? isPci : trigger == InterruptTrigger.Level;
            bool activeLow = polarity == InterruptPolarity.ConformsToBus ? isPci : polarity == InterruptPolarity.ActiveLow;
            return (gsi, level, activeLow);
        }

        private static LegacyInterruptRoute? Connect(int lineNumber, Action handler, bool isPci)
        {
            ArgumentNullException.ThrowIfNull(handler);
            if (!LocalApic.IsEnabled || InterruptHardware.IoApics.Count == 0)
            {
                return null;
            }

            (uint gsi, bool level, bool activeLow) = Resolve(AcpiTables.Current?.Madt, lineNumber, isPci);
            if (s_lines.TryGetValue(gsi, out SharedLine? existing))
            {
                existing.Add(handler);
                return existing.Route;
            }

            IoApic? ioApic = InterruptHardware.FindIoApic(gsi);
            if (ioApic == null)
            {
                return null;
            }

            int vector = InterruptVectors.Allocate();
            int pin = (int)(gsi - ioApic.GsiBase);
            var route = new LegacyInterruptRoute(lineNumber, gsi, ioApic.Id, pin, vector, level, activeLow);
            var line = new SharedLine(route, ioApic, pin);
            line.Add(handler);
            s_lines[gsi] = line;
            Interrupts.SetHandler(vector, line.Dispatch);
            ioApic.Route(pin, vector, level, activeLow, LocalApic.Id);
            return route;
        }

        private sealed class SharedLine
        {
            // Replaced, never mutated, so the interrupt path always sees a complete array.
            private Action[] _handlers = Array.Empty<Action>();

            public SharedLine(LegacyInterruptRoute route, IoApic ioApic, int pin)
            {
                Route = route;
                IoApic = ioApic;
                Pin = pin;
            }

            public LegacyInterruptRoute Route { get; }

            public IoApic IoApic { get; }

            public int Pin { get; }

            public bool IsEmpty => _handlers.Length == 0;

            public void Add(Action handler)
            {
                var handlers = new Action[_handlers.Length + 1];
                _handlers.CopyTo(handlers, 0);
                handlers[^1] = handler;
                _handlers = handlers;
            }

            public void Remove(Action handler)
            {
                int index = Array.IndexOf(_handlers, handler);
                if (index < 0)
                {
                    return;
                }

                var handlers = new Action[_handlers.Length - 1];
                Array.Copy(_handlers, 0, handlers, 0, index);
                Array.Copy(_handlers, index + 1, handlers, index, handlers.Length - index);
                _handlers = handlers;
            }

            public void Dispatch(ref InterruptFrame frame)
            {
                foreach (Action handler in _handlers)
                {
                    handler();
                }
            }
        }
    }
}
