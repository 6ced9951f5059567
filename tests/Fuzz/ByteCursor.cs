namespace Cosmos.Fuzz
{
    /// <summary>Reads a fuzz input front to back, little-endian; past the end every value is 0.</summary>
    internal sealed class ByteCursor
    {
        private readonly byte[] _input;
        private int _offset;

        public ByteCursor(byte[] input, int offset = 0)
        {
            _input = input;
            _offset = offset;
        }

        public bool More => _offset < _input.Length;

        public byte Byte() => _offset < _input.Length ? _input[_offset++] : (byte)0;

        public ushort UInt16() => (ushort)(Byte() | (Byte() << 8));

        public uint UInt32() => (uint)(UInt16() | (UInt16() << 16));
    }
}
