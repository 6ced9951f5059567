using System;
using System.Collections.Generic;
using System.Threading;
using Cosmos.HAL.Devices;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// PCI Express native hot-plug (PCI Express Base 4.0 §6.7) for the slots of root and downstream ports: a card
    /// that arrives is powered, its BARs are placed in the port's windows and it is offered to the drivers; a press
    /// of the attention button (what QEMU's <c>device_del</c> does on such a slot) removes the card's devices through
    /// the device manager, so a file system flushes and unmounts first, and then powers the slot off, which is when
    /// the card may go (QEMU unplugs it then); a card pulled without warning is removed the same way, too late to
    /// flush. Slots are polled (<see cref="Poll"/>; <see cref="Start"/> runs it on a thread every 100 ms): the
    /// ports' own interrupts are not used.
    /// </summary>
    /// <remarks>
    /// A card whose devices cannot all be detached (a driver without <see cref="IRemovableDevice"/>) is refused on an
    /// attention button press: its slot stays powered and the refusal is logged. Bridges on a hot-plugged card (a
    /// switch) are not followed. The 5-second cancel window of the attention button (§6.7.1.5) is not offered: the
    /// removal starts at once.
    /// </remarks>
    public sealed class PciHotplugController
    {
        private readonly DeviceManager _manager;
        private readonly IPciConfigAccess _access;
        private readonly IPciPlatform _platform;
        private readonly Action<string>? _log;
        private readonly List<SlotState> _slots = new();
        private readonly Action<int> _sleep;
        private Thread? _thread;

        private sealed class SlotState
        {
            public SlotState(PciExpressSlot slot) => Slot = slot;

            public PciExpressSlot Slot { get; }

            public List<PciFunction> Functions { get; } = new();
        }

        /// <summary>
        /// Finds the hot-plug slots among <paramref name="functions"/> (what the bus enumerated at boot), with the
        /// functions already behind each. <paramref name="sleep"/> waits for a powered slot's link (milliseconds;
        /// <see cref="Thread.Sleep(int)"/> by default).
        /// </summary>
        public PciHotplugController(DeviceManager manager, IPciConfigAccess access, IPciPlatform platform, IEnumerable<PciFunction> functions,
            Action<string>? log, Action<int>? sleep = null)
        {
            _manager = manager ?? throw new ArgumentNullException(nameof(manager));
            _access = access ?? throw new ArgumentNullException(nameof(access));
            _platform = platform ?? throw new ArgumentNullException(nameof(platform));
            ArgumentNullException.ThrowIfNull(functions);
            _log = log;
            _sleep = sleep ?? Thread.Sleep;
            var all = new List<PciFunction>(functions);
            foreach (PciFunction function in all)
            {
                if (PciExpressSlot.Find(function) is not PciExpressSlot slot)
                {
                    continue;
                }

                var state = new SlotState(slot);
                foreach (PciFunction behind in all)
                {
                    if (behind.Address.Segment == function.Address.Segment && behind.Address.Bus == slot.Bus && slot.Bus != 0)
                    {
                        state.Functions.Add(behind);
                    }
                }

                _slots.Add(state);
            }
        }

        /// <summary>The hot-plug slots found.</summary>
        public IReadOnlyList<PciExpressSlot> Slots => _slots.ConvertAll(state => state.Slot);

        /// <summary>The functions the controller knows in <paramref name="slot"/> (empty: no card, or one not yet brought up).</summary>
        public IReadOnlyList<PciFunction> FunctionsIn(PciExpressSlot slot)
        {
            foreach (SlotState state in _slots)
            {
                if (ReferenceEquals(state.Slot, slot))
                {
                    return state.Functions.ToArray();
                }
            }

            return Array.Empty<PciFunction>();
        }

        /// <summary>Polls the slots every 100 ms on a background thread of its own.</summary>
        public void Start()
        {
            if (_thread != null || _slots.Count == 0)
            {
                return;
            }

            _thread = new Thread(() =>
            {
                while (true)
                {
                    Poll();
                    Thread.Sleep(100);
                }
            })
            {
                IsBackground = true,
                Name = "pciehp",
            };
            _thread.Start();
        }

        /// <summary>Looks at every slot's events once and acts on them.</summary>
        public void Poll()
        {
            foreach (SlotState state in _slots)
            {
                try
                {
                    PollSlot(state);
                }
                catch (Exception error)
                {
                    Log($"{state.Slot}: {error.GetType().Name}: {error.Message}");
                }
            }
        }

        private void PollSlot(SlotState state)
        {
            PciExpressSlot slot = state.Slot;
            ushort status = slot.ReadStatus();
            if (status == 0xFFFF)
            {
                return;                                     // the port itself does not answer
            }

            ushort events = (ushort)(status & PciExpressSlot.EventBits);
            if (events == 0)
            {
                return;
            }

            slot.ClearEvents(events);
            bool occupied = (status & PciExpressSlot.PresenceDetectState) != 0;
            bool hasCard = state.Functions.Count > 0;
            bool presenceChanged = (events & PciExpressSlot.PresenceDetectChanged) != 0;
            bool button = (events & PciExpressSlot.AttentionButtonPressed) != 0;
            if ((events & PciExpressSlot.PowerFaultDetected) != 0)
            {
                Log($"{slot}: power fault");
            }

            if (hasCard && !occupied && presenceChanged)
            {
                // Surprise removal (§6.7.1.1 Hot-Plug Surprise): the card is gone; its writes are lost.
                Log($"{slot}: card pulled without warning");
                RemoveCard(state);
                if (slot.HasPowerController)
                {
                    slot.PowerOff();
                }
            }
            else if (!hasCard && occupied && (presenceChanged || button))
            {
                InsertCard(state);
            }
            else if (hasCard && button)
            {
                RequestRemoval(state);
            }
        }

        private void RequestRemoval(SlotState state)
        {
            PciExpressSlot slot = state.Slot;
            var names = new List<string>();
            foreach (PciFunction function in state.Functions)
            {
                foreach (DeviceEntry entry in _manager.DevicesOf(function))
                {
                    if (entry.Device is not IRemovableDevice)
                    {
                        Log($"{slot}: attention button: {entry.Name} ({entry.Device.DriverName}) cannot be detached while the kernel runs; the slot stays powered");
                        return;
                    }

                    names.Add(entry.Name);
                }
            }

            Log($"{slot}: attention button: removing {(names.Count == 0 ? "a card without devices" : string.Join(", ", names))}");
            RemoveCard(state);
            if (slot.HasPowerController)
            {
                slot.PowerOff();
                Log($"{slot}: powered off; the card may be pulled");
            }
        }

        private void RemoveCard(SlotState state)
        {
            foreach (PciFunction function in state.Functions)
            {
                (IReadOnlyList<DeviceEntry> removed, IReadOnlyList<string> problems) = _manager.Remove(function);
                foreach (string problem in problems)
                {
                    Log($"{state.Slot}: {problem}");
                }

                foreach (DeviceEntry entry in removed)
                {
                    Log($"{state.Slot}: {entry.Name} removed");
                }

                // Whatever a driver left running, the function may no longer decode or master the bus.
                function.DisableInterrupts();
                function.SetCommandBits(0, PciConfigRegisters.CommandIoSpace | PciConfigRegisters.CommandMemorySpace | PciConfigRegisters.CommandBusMaster);
            }

            state.Functions.Clear();
        }

        private void InsertCard(SlotState state)
        {
            PciExpressSlot slot = state.Slot;
            if (!slot.IsPowered)
            {
                slot.PowerOn();
            }

            // §6.7.3.3/§6.6.1: software waits at least 100 ms after the link comes up before configuration requests.
            var first = new PciAddress(slot.Port.Address.Segment, slot.Bus, 0, 0);
            bool answered = false;
            for (int attempt = 0; attempt < 10 && !answered; attempt++)
            {
                _sleep(100);
                answered = PciBus.IsPresent(_access, first);
            }

            if (!answered)
            {
                Log($"{slot}: a card is present but does not answer on bus {slot.Bus:x2} after 1 s of power");
                return;
            }

            PciBridgeWindows windows = PciBridgeWindows.Read(slot.Port.Config);
            int functionCount = PciBus.FunctionCount(_access, first);
            for (byte number = 0; number < functionCount; number++)
            {
                var address = new PciAddress(first.Segment, first.Bus, 0, number);
                if (!PciBus.IsPresent(_access, address))
                {
                    continue;
                }

                var function = new PciFunction(address, new PciConfigSpace(_access, address), _platform);
                if (function.IsBridge)
                {
                    Log($"{slot}: {function}: a bridge on a hot-plugged card is not followed");
                    continue;
                }

                string? problem = windows.Assign(function);
                if (problem != null)
                {
                    Log($"{slot}: {function}: {problem}; not brought up");
                    continue;
                }

                state.Functions.Add(function);
                BusDeviceBinding binding = _manager.Add(function);
                var names = new List<string>();
                foreach (DeviceEntry entry in _manager.DevicesOf(function))
                {
                    names.Add(entry.Name);
                }

                string outcome = binding.DriverName != null ? $"bound to {binding.DriverName} ({string.Join(", ", names)})" : binding.Error ?? "no driver";
                Log($"{slot}: card added: {function}: {outcome}");
            }
        }

        private void Log(string message) => _log?.Invoke("[pciehp] " + message);
    }
}
