namespace Cosmos.Core.Runtime.Gc
{
    /// <summary>
    /// Reads GCInfo's bit stream: bits are taken least significant first from each byte, in byte
    /// order (the .NET runtime's BitStreamWriter). Positions count bits from the blob's first
    /// byte. Reading past the end yields zeros and sets <see cref="Overrun"/>, so that a corrupt
    /// or truncated blob ends in an error the decoder reports instead of a wild read.
    /// </summary>
    internal unsafe struct GcInfoBitReader
    {
        private readonly byte* _data;
        private readonly ulong _bitLength;
        private ulong _position;

        public GcInfoBitReader(byte* data, ulong byteLength)
        {
            _data = data;
            _bitLength = byteLength >= ulong.MaxValue / 8 ? ulong.MaxValue : byteLength * 8;
            _position = 0;
            Overrun = false;
        }

        /// <summary>Set once any read went past the end of the blob or a number did not fit 64 bits.</summary>
        public bool Overrun { get; private set; }

        /// <summary>The next bit to read, counted from the start of the blob.</summary>
        public ulong Position
        {
            readonly get => _position;
            set => _position = value;
        }

        public void Skip(ulong bits) => _position += bits;

        /// <summary>Reads <paramref name="count"/> (0-64) bits as an unsigned number, first bit lowest.</summary>
        public ulong Read(int count)
        {
            if (count == 0)
            {
                return 0;
            }

            if (_position > _bitLength || _bitLength - _position < (ulong)count)
            {
                Overrun = true;
                _position += (ulong)count;
                return 0;
            }

            ulong result = 0;
            int done = 0;
            while (done < count)
            {
                ulong position = _position;
                int bit = (int)(position & 7);
                int take = 8 - bit;
                if (take > count - done)
                {
                    take = count - done;
                }

                ulong chunk = (ulong)(_data[position >> 3] >> bit) & ((1UL << take) - 1);
                result |= chunk << done;
                done += take;
                _position = position + (ulong)take;
            }

            return result;
        }

        public bool ReadBit() => Read(1) != 0;

        /// <summary>
        /// A variable-length unsigned number: chunks of <paramref name="baseBits"/> + 1 bits, the
        /// low <paramref name="baseBits"/> carrying the value (least significant chunk first), the
        /// top bit saying another chunk follows.
        /// </summary>
        public ulong ReadVarUnsigned(int baseBits)
        {
            ulong result = 0;
            ulong mask = (1UL << baseBits) - 1;
            for (int shift = 0; ; shift += baseBits)
            {
                ulong chunk = Read(baseBits + 1);
                if (shift >= 64 || Overrun)
                {
                    Overrun = true;
                    return 0;
                }

                result |= (chunk & mask) << shift;
                if ((chunk & (1UL << baseBits)) == 0)
                {
                    return result;
                }
            }
        }

        /// <summary>As <see cref="ReadVarUnsigned"/>, the value sign-extended from its last chunk's top value bit.</summary>
        public long ReadVarSigned(int baseBits)
        {
            ulong result = 0;
            ulong mask = (1UL << baseBits) - 1;
            for (int shift = 0; ; shift += baseBits)
            {
                ulong chunk = Read(baseBits + 1);
                if (shift >= 64 || Overrun)
                {
                    Overrun = true;
                    return 0;
                }

                result |= (chunk & mask) << shift;
                if ((chunk & (1UL << baseBits)) == 0)
                {
                    int used = shift + baseBits;
                    if (used >= 64)
                    {
                        return (long)result;
                    }

                    int unused = 64 - used;
                    return (long)(result << unused) >> unused;
                }
            }
        }
    }
}
