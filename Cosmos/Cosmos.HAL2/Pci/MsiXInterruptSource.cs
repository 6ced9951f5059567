using System;
using System.Text;
using Cosmos.HAL.Hardware;

namespace Cosmos.HAL.Pci
{
    /// <summary>
    /// MSI-X (PCI Local Bus 3.0 §6.8.2): a table in one of the function's BARs with an address,
    /// data and mask per vector. Each index is its own CPU vector with its own handler.
    /// </summary>
    public sealed class MsiXInterruptSource : PciInterruptSource
    {
        private const int ControlOffset = 2, TableOffset = 4, EntrySize = 16;
        private const ushort ControlEnable = 0x8000, ControlFunctionMask = 0x4000, ControlTableSizeMask = 0x7FF;
        private const uint EntryMasked = 1;

        private readonly PciFunction _function;
        private readonly IPciPlatform _platform;
        private readonly int _capability;
        private readonly int[] _vectors;
        private readonly IRegisterBlock _table;
        private readonly int _tableSize;

        private MsiXInterruptSource(PciFunction function, IPciPlatform platform, int capability, int[] vectors, IRegisterBlock table, int tableSize)
        {
            _function = function;
            _platform = platform;
            _capability = capability;
            _vectors = vectors;
            _table = table;
            _tableSize = tableSize;
        }

        /// <inheritdoc />
        public override InterruptMode Mode => InterruptMode.MsiX;

        /// <inheritdoc />
        public override int VectorCount => _vectors.Length;

        /// <summary>The CPU vector behind each index.</summary>
        public ReadOnlySpan<int> Vectors => _vectors;

        /// <summary>Entries in the function's table (it may have more than are used).</summary>
        public int TableSize => _tableSize;

        /// <inheritdoc />
        public override string Description
        {
            get
            {
                var text = new StringBuilder($"msi-x {_vectors.Length} of {_tableSize} vectors");
                for (int i = 0; i < _vectors.Length; i++)
                {
                    text.Append(i == 0 ? " 0x" : ",0x").Append(_vectors[i].ToString("x2"));
                }

                return text.ToString();
            }
        }

        /// <inheritdoc />
        public override void SetHandler(int index, Action handler)
        {
            CheckIndex(index);
            _platform.SetVectorHandler(_vectors[index], handler);
        }

        /// <summary>The table entry of <paramref name="index"/> as (address, data, vector control).</summary>
        public (ulong Address, uint Data, uint Control) ReadEntry(int index)
        {
            if ((uint)index >= (uint)_tableSize)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the MSI-X table has {_tableSize} entries");
            }

            ulong at = (ulong)(index * EntrySize);
            return (_table.Read32(at) | ((ulong)_table.Read32(at + 4) << 32), _table.Read32(at + 8), _table.Read32(at + 12));
        }

        /// <summary>Sets up MSI-X with up to <paramref name="wanted"/> vectors; null (and why) when it cannot.</summary>
        internal static MsiXInterruptSource? TryEnable(PciFunction function, IPciPlatform platform, PciCapability capability, int wanted, out string? reason)
        {
            IPciConfigSpace config = function.Config;
            int cap = capability.Offset;
            ushort control = config.Read16(cap + ControlOffset);
            int tableSize = (control & ControlTableSizeMask) + 1;
            uint tableRegister = config.Read32(cap + TableOffset);
            int bir = (int)(tableRegister & 7);
            ulong tableOffset = tableRegister & ~7u;
            PciBar? bar = function.FindBar(bir);
            if (bar == null || bar.Kind == PciBarKind.Io || bar.Address == 0)
            {
                reason = $"MSI-X table is in BAR{bir}, which is not an assigned memory BAR";
                return null;
            }

            if (tableOffset + ((ulong)tableSize * EntrySize) > bar.Size)
            {
                reason = $"MSI-X table (0x{tableOffset:x} + {tableSize} entries) runs past BAR{bir} (0x{bar.Size:x} bytes)";
                return null;
            }

            int count = Math.Min(wanted, tableSize);
            int[] vectors = new int[count];
            int allocated = 0;
            while (allocated < count && platform.TryAllocateVectors(1, out int vector))
            {
                vectors[allocated++] = vector;
            }

            if (allocated == 0)
            {
                reason = "no free interrupt vector";
                return null;
            }

            Array.Resize(ref vectors, allocated);
            function.DisableMsiCapability();
            // Enabled with the function masked while the table is written (§6.8.2.3), INTx off.
            config.Write16(cap + ControlOffset, (ushort)(control | ControlEnable | ControlFunctionMask));
            IRegisterBlock table = function.MapBar(bir, tableOffset, (ulong)tableSize * EntrySize);
            for (int i = 0; i < tableSize; i++)
            {
                table.Write32((ulong)((i * EntrySize) + 12), EntryMasked);
            }

            for (int i = 0; i < allocated; i++)
            {
                MsiMessage message = platform.ComposeMsiMessage(vectors[i]);
                ulong at = (ulong)(i * EntrySize);
                table.Write32(at, (uint)message.Address);
                table.Write32(at + 4, (uint)(message.Address >> 32));
                table.Write32(at + 8, message.Data);
                table.Write32(at + 12, 0);
            }

            function.SetCommandBits(PciConfigRegisters.CommandBusMaster | PciConfigRegisters.CommandInterruptDisable, 0);
            config.Write16(cap + ControlOffset, (ushort)((control | ControlEnable) & ~ControlFunctionMask));
            reason = null;
            return new MsiXInterruptSource(function, platform, cap, vectors, table, tableSize);
        }

        /// <inheritdoc />
        internal override void Disable()
        {
            IPciConfigSpace config = _function.Config;
            ushort control = config.Read16(_capability + ControlOffset);
            config.Write16(_capability + ControlOffset, (ushort)((control | ControlFunctionMask) & ~ControlEnable));
            for (int i = 0; i < _tableSize; i++)
            {
                _table.Write32((ulong)((i * EntrySize) + 12), EntryMasked);
            }

            foreach (int vector in _vectors)
            {
                _platform.FreeVectors(vector, 1);
            }
        }
    }
}
