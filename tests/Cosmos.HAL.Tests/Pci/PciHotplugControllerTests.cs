using System;
using System.Collections.Generic;
using System.Linq;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;
using Cosmos.HAL.Tests.Fakes;
using Xunit;

namespace Cosmos.HAL.Tests.Pci;

/// <summary>
/// PCI Express native hot-plug against a root port that behaves as QEMU's does (hw/pci/pcie.c): the attention button
/// and presence events in Slot Status (write 1 to clear), and the card taken away when software turns the slot's power
/// and power indicator off.
/// </summary>
public sealed class PciHotplugControllerTests
{
    private const int Express = 0x40;
    private const ushort VirtioVendor = 0x1AF4;

    /// <summary>A root port on 0000:00:03.0 with slot 7 behind which bus 1 lies, and the card QEMU would put there.</summary>
    private sealed class Rig
    {
        public readonly FakePciConfigAccess Access = new();
        public readonly FakePciPlatform Platform = new();
        public readonly DeviceManager Manager = new();
        public readonly List<string> Log = new();
        public readonly List<string> Events = new();
        public readonly FakePciFunction Port;
        public FakePciFunction? Card;

        public Rig(bool cardAtBoot, bool removable = true)
        {
            Port = Access.Add(0, 3, 0, new FakePciFunction(0x1B36, 0x000C, 0x06, 0x04, headerType: 1).Capabilities((0x10, Express)));
            Port.Space[0x19] = 1;
            Port.Space[0x1A] = 1;
            Port.Set16(Express + 0x02, 0x0142);                    // version 2, root port, slot implemented
            Port.Set32(Express + 0x14, (7u << 19) | 0x5B);         // slot 7: button, power controller, indicators, hot-plug capable
            Port.Set16(0x20, 0xFE00);                              // memory window 0xfe000000-0xfe1fffff
            Port.Set16(0x22, 0xFE10);
            Port.Set16(0x24, 0x0001);                              // prefetchable, 64-bit: 0x80_0000_0000-0x80_001f_ffff
            Port.Set16(0x26, 0x0011);
            Port.Set32(0x28, 0x80);
            Port.Set32(0x2C, 0x80);
            Port.WriteHook = PortWrite;
            if (cardAtBoot)
            {
                Card = Access.Add(1, 0, 0, NewCard(0xFE000000, 0x80_0000_0000));
                Status |= 0x40;
                Control = 0x0100;                                  // powered, indicator on
            }
            else
            {
                Control = 0x0700;                                  // power off, indicator off
            }

            Manager.AddDriver(new CardDriver(removable, Events));
            Manager.Subscribe(DeviceClass.Block, _ => { }, entry => Events.Add("unmount " + entry.Name));
        }

        public ushort Status
        {
            get => Port.Get16(Express + 0x1A);
            set => Port.Set16(Express + 0x1A, value);
        }

        public ushort Control
        {
            get => Port.Get16(Express + 0x18);
            set => Port.Set16(Express + 0x18, value);
        }

        public PciHotplugController Start()
        {
            IReadOnlyList<PciFunction> functions = new PciBus(Access, Platform).Enumerate();
            foreach (PciFunction function in functions)
            {
                Manager.Add(function);
            }

            return new PciHotplugController(Manager, Access, Platform, functions, Log.Add, _ => { });
        }

        public void PressButton() => Status |= 0x01;

        public void Plug(ulong memory, ulong prefetchable, ulong memorySize = 0x1000)
        {
            Card = Access.Add(1, 0, 0, NewCard(memory, prefetchable, memorySize));
            Status |= 0x40 | 0x08 | 0x01;                          // present; presence changed and button, as QEMU signals a plug
        }

        public void Pull()
        {
            Access.Functions.Remove(new PciAddress(0, 1, 0, 0));
            Status = (ushort)((Status & ~0x40) | 0x08);
        }

        private static FakePciFunction NewCard(ulong memory, ulong prefetchable, ulong memorySize = 0x1000) =>
            new FakePciFunction(VirtioVendor, 0x1042, 0x01, 0x00).Bar(1, (uint)memory, (uint)memorySize).Bar64(4, prefetchable, 0x4000, prefetchable: true);

        // QEMU's pcie_cap_slot_write_config: status bits are write-1-to-clear; power and indicator off unplugs the card.
        private bool PortWrite(int offset, int width, uint value)
        {
            if (offset == Express + 0x1A)
            {
                Status = (ushort)(Status & ~value);
                return true;
            }

            if (offset != Express + 0x18)
            {
                return false;
            }

            ushort old = Control;
            Control = (ushort)value;
            Events.Add($"control 0x{value:x4}");
            bool off = (value & 0x400) != 0 && (value & 0x300) == 0x300;
            if ((Status & 0x40) != 0 && off && !((old & 0x400) != 0 && (old & 0x300) == 0x300))
            {
                Access.Functions.Remove(new PciAddress(0, 1, 0, 0));
                Status = (ushort)((Status & ~0x40) | 0x08);
                Events.Add("card taken away");
            }

            Status |= 0x10;                                        // command completed
            return true;
        }
    }

    private sealed record Disk(List<string> Events, bool Removable) : IRemovableDevice, IBlockDevice
    {
        public DeviceClass Class => DeviceClass.Block;

        public string NameStem => "vd";

        public string DriverName => Removable ? "fake-blk" : "fake-nic";

        public string Transport => "fake";

        public InterruptMode InterruptMode => InterruptMode.Polled;

        public ulong BlockCount => 8;

        public int BlockSize => 512;

        public bool IsReadOnly => false;

        public void Detach() => Events.Add("detach");

        public BlockResult Read(ulong firstBlock, Span<byte> buffer) => BlockResult.Ok;

        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer) => BlockResult.Ok;

        public BlockResult Flush() => BlockResult.Ok;
    }

    private sealed record FixedDevice(string DriverName) : IDevice
    {
        public DeviceClass Class => DeviceClass.Network;

        public string NameStem => "eth";

        public string Transport => "fake";

        public InterruptMode InterruptMode => InterruptMode.Polled;
    }

    private sealed class CardDriver(bool removable, List<string> events) : IDriver
    {
        public string Name => "fake";

        public bool Matches(IBusDevice device) => device is PciFunction { VendorId: VirtioVendor };

        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            manager.Register(removable ? new Disk(events, true) : new FixedDevice("fake-nic"));
            return null;
        }
    }

    [Fact]
    public void AttentionButton_UnmountsDetachesThenPowersOffAndTheCardGoes()
    {
        var rig = new Rig(cardAtBoot: true);
        PciHotplugController controller = rig.Start();
        Assert.Single(controller.Slots);
        Assert.Equal(7, controller.Slots[0].Number);
        Assert.NotNull(rig.Manager.Find("vda"));

        controller.Poll();
        Assert.Empty(rig.Events);                                  // nothing happened, nothing done

        rig.PressButton();
        controller.Poll();
        Assert.Equal(new[] { "unmount vda", "detach", "control 0x0700", "card taken away" }, rig.Events);
        Assert.Null(rig.Manager.Find("vda"));
        Assert.DoesNotContain(rig.Manager.Bindings, b => b.Device is PciFunction { VendorId: VirtioVendor });
        Assert.Empty(controller.FunctionsIn(controller.Slots[0]));
        Assert.Contains(rig.Log, line => line.Contains("slot 7 (0000:00:03.0): attention button: removing vda", StringComparison.Ordinal));

        // QEMU's presence-changed event for the card it took away needs nothing more.
        rig.Events.Clear();
        controller.Poll();
        Assert.Empty(rig.Events);
        Assert.Equal(0, rig.Status & PciExpressSlot.EventBits);
    }

    [Fact]
    public void AttentionButton_OnACardWhoseDriverCannotDetach_IsRefusedAndTheSlotStaysPowered()
    {
        var rig = new Rig(cardAtBoot: true, removable: false);
        PciHotplugController controller = rig.Start();
        rig.PressButton();
        controller.Poll();
        Assert.NotNull(rig.Manager.Find("eth0"));
        Assert.Contains(new PciAddress(0, 1, 0, 0), rig.Access.Functions.Keys);
        Assert.Equal(0x0100, rig.Control);
        Assert.Contains(rig.Log, line => line.Contains("eth0 (fake-nic) cannot be detached while the kernel runs; the slot stays powered", StringComparison.Ordinal));
    }

    [Fact]
    public void CardPluggedIn_IsPoweredGivenAddressesInTheWindowsAndBound_ThenPulled()
    {
        var rig = new Rig(cardAtBoot: false);
        PciHotplugController controller = rig.Start();
        Assert.Empty(controller.FunctionsIn(controller.Slots[0]));

        rig.Plug(memory: 0, prefetchable: 0);
        controller.Poll();
        Assert.Equal(0x0100, rig.Control & 0x0700);               // power on, indicator on
        PciFunction card = Assert.Single(controller.FunctionsIn(controller.Slots[0]));
        PciBar memory = card.Bars.Single(b => b.Index == 1);
        PciBar prefetchable = card.Bars.Single(b => b.Index == 4);
        Assert.InRange(memory.Address, 0xFE000000UL, 0xFE1FFFFFUL - memory.Size + 1);
        Assert.Equal(0UL, memory.Address % memory.Size);
        Assert.InRange(prefetchable.Address, 0x80_0000_0000UL, 0x80_001F_FFFFUL - prefetchable.Size + 1);
        Assert.Equal(0UL, prefetchable.Address % prefetchable.Size);
        Assert.NotNull(rig.Manager.Find("vda"));
        Assert.Contains(rig.Log, line => line.Contains("card added", StringComparison.Ordinal) && line.Contains("bound to fake (vda)", StringComparison.Ordinal));

        rig.Pull();
        controller.Poll();
        Assert.Null(rig.Manager.Find("vda"));
        Assert.Equal(new[] { "unmount vda", "detach", "control 0x0700" }, rig.Events.Where(e => e != "control 0x0100"));
        Assert.Contains(rig.Log, line => line.Contains("card pulled without warning", StringComparison.Ordinal));
    }

    [Fact]
    public void CardNeedingMoreThanTheWindow_IsNotBroughtUpAndSaysWhy()
    {
        var rig = new Rig(cardAtBoot: false);
        PciHotplugController controller = rig.Start();
        rig.Plug(memory: 0, prefetchable: 0, memorySize: 0x400000);   // 4 MiB into a 2 MiB window
        controller.Poll();
        Assert.Empty(controller.FunctionsIn(controller.Slots[0]));
        Assert.Null(rig.Manager.Find("vda"));
        Assert.Contains(rig.Log, line => line.Contains("BAR1 needs 0x400000 bytes of memory; the bridge's window 0xfe000000-0xfe1fffff has no room left; not brought up", StringComparison.Ordinal));
    }

    [Fact]
    public void BridgeWindows_DecodeAsTheBridgeSpecificationSays()
    {
        var bridge = new FakePciFunction(0x1B36, 0x000C, 0x06, 0x04, headerType: 1);
        bridge.Space[0x1C] = 0x11;                                 // I/O 32-bit: 0x1_1000-0x2_2fff
        bridge.Space[0x1D] = 0x21;
        bridge.Set16(0x30, 0x0001);
        bridge.Set16(0x32, 0x0002);
        bridge.Set16(0x20, 0xFFF0);                                // memory: base above limit, none
        bridge.Set16(0x22, 0x0000);
        var access = new FakePciConfigAccess();
        access.Add(0, 1, 0, bridge);
        PciBridgeWindows windows = PciBridgeWindows.Read(new PciConfigSpace(access, new PciAddress(0, 0, 1, 0)));
        Assert.Equal(new PciWindow(0x1_1000, 0x2_2FFF), windows.Io);
        Assert.True(windows.Memory.IsEmpty);
        Assert.True(windows.Prefetchable.IsEmpty);                 // never programmed
    }

    [Fact]
    public void DeviceManagerRemove_ToldSubscribersBeforeDetachAndReportsWhatThrew()
    {
        var manager = new DeviceManager();
        var events = new List<string>();
        var card = new FakeCard("0000:01:00.0");
        manager.AddDriver(new CardDriverFor(events));
        manager.Subscribe(DeviceClass.Block, _ => { }, entry => throw new InvalidOperationException("flush failed"));
        manager.Subscribe(DeviceClass.Block, _ => { }, entry => events.Add("told " + entry.Name));
        Assert.Equal("fake", manager.Add(card).DriverName);
        (IReadOnlyList<DeviceEntry> removed, IReadOnlyList<string> problems) = manager.Remove(card);
        Assert.Equal("vda", Assert.Single(removed).Name);
        Assert.Equal("vda: InvalidOperationException: flush failed", Assert.Single(problems));
        Assert.Equal(new[] { "told vda", "detach" }, events);
        Assert.Empty(manager.Devices);
        Assert.Empty(manager.Bindings);

        manager.Add(card);
        Assert.Equal("vdb", Assert.Single(manager.Devices).Name);   // a name is not given out twice
    }

    private sealed record FakeCard(string Address) : IBusDevice
    {
        public string Bus => "fake";

        public string Description => "a card";
    }

    private sealed class CardDriverFor(List<string> events) : IDriver
    {
        public string Name => "fake";

        public bool Matches(IBusDevice device) => device is FakeCard;

        public string? Bind(IBusDevice device, DeviceManager manager)
        {
            manager.Register(new Disk(events, true));
            return null;
        }
    }
}
