using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VmwareSvga
{
    /// <summary>The index/value pair in BAR0 through which every SVGA register is read and written.</summary>
    internal sealed class SvgaRegisterPort
    {
        private readonly IRegisterBlock _ports;

        public SvgaRegisterPort(IRegisterBlock ports) => _ports = ports;

        public string Description => _ports.Description;

        public uint Read(uint index)
        {
            _ports.Write32(SvgaRegisters.IndexPort, index);
            return _ports.Read32(SvgaRegisters.ValuePort);
        }

        public void Write(uint index, uint value)
        {
            _ports.Write32(SvgaRegisters.IndexPort, index);
            _ports.Write32(SvgaRegisters.ValuePort, value);
        }
    }
}
