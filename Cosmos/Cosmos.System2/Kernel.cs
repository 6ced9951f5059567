using System;
using Cosmos.Core;
using Cosmos.Core.Boot;
using Cosmos.Core.IO;
using Cosmos.Core.Runtime;
using Cosmos.HAL.Devices;
using Cosmos.System.Console;
using Cosmos.System.FileSystem;
using Cosmos.System.IO;
using Cosmos.System.Network;

namespace Cosmos.System
{
    /// <summary>
    /// The base class of a Cosmos kernel, as Cosmos users know it: <see cref="BeforeRun"/> once,
    /// then <see cref="Run"/> in a loop until <see cref="Stop"/> is called, then <see cref="AfterRun"/>.
    /// </summary>
    public abstract class Kernel
    {
        /// <summary>The devices of this machine: buses, drivers and the devices they made.</summary>
        public DeviceManager Devices { get; } = new();

        /// <summary>The mount table: FAT volumes of the block devices, mounted as they register.</summary>
        public VirtualFileSystem Files { get; } = new();

        /// <summary>The network: every network device joins its IPv4 stack as it registers, configured by DHCP.</summary>
        public NetworkSubsystem Network { get; } = new();

        /// <summary>The keyboards, mice and tablets, read together: typed bytes for the console, one pointer.</summary>
        public InputHub Input { get; } = new();

        /// <summary>The console on the first display (null without one); its output and the serial port's carry the same text.</summary>
        public ScreenTerminalPort? Screen { get; internal set; }

        /// <summary>True until <see cref="Stop"/> is called.</summary>
        public bool IsRunning { get; private set; } = true;

        /// <summary>Called once before the first <see cref="Run"/>.</summary>
        protected virtual void BeforeRun()
        {
        }

        /// <summary>Called repeatedly while the kernel is running.</summary>
        protected abstract void Run();

        /// <summary>Called once after the run loop ends.</summary>
        protected virtual void AfterRun()
        {
        }

        /// <summary>Ends the run loop after the current <see cref="Run"/> returns.</summary>
        public void Stop() => IsRunning = false;

        internal void Start()
        {
            BeforeRun();
            while (IsRunning)
            {
                Run();
            }

            AfterRun();
        }
    }

    /// <summary>Runs a kernel; called by the entry Cosmos.Build generates for a kernel project.</summary>
    public static class KernelRunner
    {
        /// <summary>Runs <paramref name="kernel"/> with no device drivers.</summary>
        public static void Run(Kernel kernel) => Run(kernel, null);

        /// <summary>
        /// Brings up the console, lets <paramref name="addBusesAndDrivers"/> add buses and drivers to
        /// the kernel's device manager and probes them, then runs <paramref name="kernel"/> to
        /// completion. An exception that escapes it becomes a panic report on COM1 and QEMU exits
        /// with code 11.
        /// </summary>
        public static void Run(Kernel kernel, Action<DeviceManager>? addBusesAndDrivers)
        {
            ArgumentNullException.ThrowIfNull(kernel);
            Terminal.Console.Attach(new SerialTerminalPort(SerialPort.Com1, "ttyS0"));
            FileDescriptorTable.InitializeStandardStreams(Terminal.Console);
            FileCalls.Current = new FileCalls(kernel.Files);
            SocketCalls.Current = new SocketCalls(kernel.Network);
            try
            {
                kernel.Files.MountBlockDevices(kernel.Devices);
                kernel.Network.AttachDevices(kernel.Devices);
                if (addBusesAndDrivers != null)
                {
                    addBusesAndDrivers(kernel.Devices);
                    kernel.Devices.Probe();
                }

                // Boot mounts are listed by `mount`; the ones a hot-plugged disk brings later are said on the console.
                kernel.Files.Log = global::System.Console.WriteLine;

                AttachScreenConsole(kernel);

                kernel.Start();
            }
            catch (Exception exception)
            {
                ReportUnhandled(exception);
            }
        }

        // The first display carries the console beside the serial port; without a GPU driver the boot loader's
        // framebuffer stands in, and without that its VGA text mode. Input devices type into it whether or not there is a screen.
        private static void AttachScreenConsole(Kernel kernel)
        {
            kernel.Input.AttachDevices(kernel.Devices);
            DeviceEntry? display = null;
            foreach (DeviceEntry entry in kernel.Devices.Devices)
            {
                if (entry.Device.Class == DeviceClass.Display)
                {
                    display = entry;
                    break;
                }
            }

            if (display == null && FirmwareFramebufferDevice.TryCreate(BootInfo.Current.Framebuffer, out _) is { } firmware)
            {
                display = kernel.Devices.Register(firmware);
            }

            if (display == null && VgaTextDisplay.TryCreate(BootInfo.Current.Framebuffer, out _) is { } text)
            {
                // The loader left VGA text mode (no graphics mode, or gfxpayload=text): the console writes the cells.
                kernel.Devices.Register(text);
                Terminal.Console.Attach(new TextModeTerminalPort(text, kernel.Input));
                return;
            }

            if (display == null)
            {
                Terminal.Console.Attach(new InputTerminalPort(kernel.Input));
                return;
            }

            var screen = new ScreenTerminalPort((IDisplayDevice)display.Device, kernel.Input);
            kernel.Screen = screen;
            Terminal.Console.Attach(screen);
        }

        private static void ReportUnhandled(Exception exception)
        {
            const ushort port = SerialPort.Com1;
            SerialPort.WriteAscii(port, "\nPANIC: unhandled exception ");
            SerialPort.WriteAscii(port, exception.GetType().FullName ?? "?");
            SerialPort.WriteAscii(port, ": ");
            SerialPort.WriteAscii(port, exception.Message);
            SerialPort.WriteAscii(port, "\n");
            SerialPort.WriteAscii(port, exception.StackTrace ?? "  (no stack trace)");
            SerialPort.WriteAscii(port, "\n");
            Power.Exit(Panic.ExitCodeUnhandledException);
        }
    }
}
