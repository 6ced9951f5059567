using System;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// A SATA disk on an AHCI port, as an <see cref="IBlockDevice"/>: READ/WRITE DMA EXT through the
    /// port's bounce buffer, FLUSH CACHE EXT. Requests are serialised (one command slot).
    /// </summary>
    public sealed class AhciDisk : IBlockDevice
    {
        private readonly AhciPort _port;
        private readonly object _lock = new();

        private AhciDisk(AhciPort port, string transport, AtaIdentifyData identify)
        {
            _port = port;
            Transport = transport;
            Model = identify.Model;
            Serial = identify.Serial;
            BlockCount = identify.SectorCount;
            BlockSize = identify.SectorSize;
        }

        /// <summary>The model string from IDENTIFY.</summary>
        public string Model { get; }

        /// <summary>The serial number from IDENTIFY.</summary>
        public string Serial { get; }

        /// <summary>The last error the port reported, or null.</summary>
        public string? LastError => _port.LastError;

        /// <inheritdoc />
        public ulong BlockCount { get; }

        /// <inheritdoc />
        public int BlockSize { get; }

        /// <inheritdoc />
        public bool IsReadOnly => false;

        /// <inheritdoc />
        public DeviceClass Class => DeviceClass.Block;

        /// <inheritdoc />
        public string NameStem => "sd";

        /// <inheritdoc />
        public string DriverName => "ahci";

        /// <inheritdoc />
        public string Transport { get; }

        /// <inheritdoc />
        public InterruptMode InterruptMode => InterruptMode.Polled;

        /// <summary>Sends IDENTIFY DEVICE on <paramref name="port"/>; null with <paramref name="problem"/> when the answer is unusable.</summary>
        internal static AhciDisk? Identify(AhciPort port, string transport, out string? problem)
        {
            AhciCommandStatus status = port.Execute(AtaCommand.IdentifyDevice, 0, 0, 512, write: false);
            if (status != AhciCommandStatus.Ok)
            {
                problem = $"IDENTIFY failed: {status}: {port.LastError}";
                return null;
            }

            AtaIdentifyData? identify = AtaIdentifyData.Parse(port.Bounce[..512], out problem);
            if (identify == null)
            {
                return null;
            }

            if (!identify.SupportsLba48)
            {
                problem = "the disk has no 48-bit addressing (READ DMA EXT), not supported by this driver";
                return null;
            }

            if (identify.SectorSize > AhciPort.BounceBytes)
            {
                problem = $"logical sector of {identify.SectorSize} bytes is larger than the bounce buffer";
                return null;
            }

            return new AhciDisk(port, transport, identify);
        }

        /// <inheritdoc />
        public BlockResult Read(ulong firstBlock, Span<byte> buffer)
        {
            CheckRange(firstBlock, buffer.Length);
            lock (_lock)
            {
                int maxBlocks = AhciPort.BounceBytes / BlockSize;
                int done = 0;
                while (done < buffer.Length)
                {
                    int blocks = Math.Min(maxBlocks, (buffer.Length - done) / BlockSize);
                    int bytes = blocks * BlockSize;
                    ulong lba = firstBlock + (ulong)(done / BlockSize);
                    AhciCommandStatus status = _port.Execute(AtaCommand.ReadDmaExt, lba, (ushort)blocks, bytes, write: false);
                    if (status != AhciCommandStatus.Ok)
                    {
                        return ToResult(status);
                    }

                    _port.Bounce[..bytes].CopyTo(buffer.Slice(done, bytes));
                    done += bytes;
                }

                return BlockResult.Ok;
            }
        }

        /// <inheritdoc />
        public BlockResult Write(ulong firstBlock, ReadOnlySpan<byte> buffer)
        {
            CheckRange(firstBlock, buffer.Length);
            lock (_lock)
            {
                int maxBlocks = AhciPort.BounceBytes / BlockSize;
                int done = 0;
                while (done < buffer.Length)
                {
                    int blocks = Math.Min(maxBlocks, (buffer.Length - done) / BlockSize);
                    int bytes = blocks * BlockSize;
                    ulong lba = firstBlock + (ulong)(done / BlockSize);
                    buffer.Slice(done, bytes).CopyTo(_port.Bounce);
                    AhciCommandStatus status = _port.Execute(AtaCommand.WriteDmaExt, lba, (ushort)blocks, bytes, write: true);
                    if (status != AhciCommandStatus.Ok)
                    {
                        return ToResult(status);
                    }

                    done += bytes;
                }

                return BlockResult.Ok;
            }
        }

        /// <inheritdoc />
        public BlockResult Flush()
        {
            lock (_lock)
            {
                return ToResult(_port.Execute(AtaCommand.FlushCacheExt, 0, 0, 0, write: false));
            }
        }

        private static BlockResult ToResult(AhciCommandStatus status) => status switch
        {
            AhciCommandStatus.Ok => BlockResult.Ok,
            AhciCommandStatus.DeviceError => BlockResult.IoError,
            _ => BlockResult.DeviceFailed,
        };

        private void CheckRange(ulong firstBlock, int length)
        {
            if (length % BlockSize != 0)
            {
                throw new ArgumentException($"ahci: a buffer of {length} bytes is not a multiple of the {BlockSize}-byte block", nameof(length));
            }

            ulong blocks = (ulong)(length / BlockSize);
            if (firstBlock > BlockCount || blocks > BlockCount - firstBlock)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBlock), $"ahci: blocks {firstBlock}+{blocks} are beyond the disk's {BlockCount}");
            }
        }
    }
}
