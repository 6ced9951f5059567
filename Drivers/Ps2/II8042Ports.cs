using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Ps2
{
    /// <summary>The controller's two ports; the kernel's are <see cref="I8042IoPorts"/>, host tests use a fake controller.</summary>
    public interface II8042Ports
    {
        /// <summary>Reads the status register (port 0x64).</summary>
        byte ReadStatus();

        /// <summary>Reads the data port (0x60).</summary>
        byte ReadData();

        /// <summary>Writes a controller command (port 0x64).</summary>
        void WriteCommand(byte command);

        /// <summary>Writes the data port (0x60).</summary>
        void WriteData(byte value);
    }

    /// <summary>The real ports, 0x60 and 0x64, through bounds-checked port windows.</summary>
    public sealed class I8042IoPorts : II8042Ports
    {
        private readonly PortRegisterBlock _data = new(I8042Registers.DataPort, 1);
        private readonly PortRegisterBlock _statusCommand = new(I8042Registers.StatusCommandPort, 1);

        /// <inheritdoc />
        public byte ReadStatus() => _statusCommand.Read8(0);

        /// <inheritdoc />
        public byte ReadData() => _data.Read8(0);

        /// <inheritdoc />
        public void WriteCommand(byte command) => _statusCommand.Write8(0, command);

        /// <inheritdoc />
        public void WriteData(byte value) => _data.Write8(0, value);
    }
}
