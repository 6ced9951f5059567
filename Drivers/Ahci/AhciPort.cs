using System;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.Ahci.AhciPortRegisters;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// One AHCI port run with a single command slot (slot 0) and polled completion: its command list,
    /// received-FIS area, command table and a bounce buffer in DMA memory; start and stop as AHCI
    /// 1.3.1 §10.1.2 and §10.3.1 describe; error recovery as §6.2.2.1 (stop, clear errors, start).
    /// </summary>
    internal sealed class AhciPort
    {
        /// <summary>Bytes a single command moves through the bounce buffer.</summary>
        public const int BounceBytes = 64 * 1024;

        /// <summary>The note for a port with nothing attached.</summary>
        public const string NoDeviceNote = "no device";

        private const int Slot = 0;
        private const int CommandTableBytes = AhciCommandLayout.CommandTablePrdtOffset + AhciCommandLayout.PrdtEntryBytes;

        private readonly IRegisterBlock _abar;
        private readonly AhciTimeouts _timeouts;
        private readonly DmaBuffer _commandList;
        private readonly DmaBuffer _receivedFis;
        private readonly DmaBuffer _commandTable;
        private readonly DmaBuffer _bounce;
        private bool _dead;

        private AhciPort(IRegisterBlock abar, int index, AhciTimeouts timeouts, DmaBuffer commandList, DmaBuffer receivedFis, DmaBuffer commandTable, DmaBuffer bounce)
        {
            _abar = abar;
            Index = index;
            _timeouts = timeouts;
            _commandList = commandList;
            _receivedFis = receivedFis;
            _commandTable = commandTable;
            _bounce = bounce;
        }

        /// <summary>The port number (0–31).</summary>
        public int Index { get; }

        /// <summary>The bounce buffer commands read into and write from.</summary>
        public Span<byte> Bounce => _bounce.Span;

        /// <summary>The last thing that went wrong, for logs and errors.</summary>
        public string? LastError { get; private set; }

        /// <summary>
        /// Brings port <paramref name="index"/> up: stopped, its memory programmed, FIS receive on, a
        /// device found and ready, command processing started. Null with <paramref name="problem"/>
        /// when there is no usable device (the port is then left stopped).
        /// </summary>
        public static AhciPort? Start(IRegisterBlock abar, int index, IDmaAllocator dma, AhciTimeouts timeouts, bool addressing64, out string? problem)
        {
            var probe = new AhciPort(abar, index, timeouts, default, default, default, default);
            if (!probe.Stop())
            {
                problem = probe.LastError;
                return null;
            }

            // DET=0 (nothing attached) gets a short grace for a link still coming up after the reset;
            // DET=1 (device seen, no communication yet) gets the full link timeout.
            uint det = probe.Read(PxSSTS) & PxSSTS_DET_Mask;
            TimeSpan linkWait = det == 0 && timeouts.NoDeviceGrace < timeouts.LinkUp ? timeouts.NoDeviceGrace : timeouts.LinkUp;
            if (det != PxSSTS_DET_Established
                && !BoundedWait.Until(() => (probe.Read(PxSSTS) & PxSSTS_DET_Mask) == PxSSTS_DET_Established, linkWait))
            {
                det = probe.Read(PxSSTS) & PxSSTS_DET_Mask;
                problem = det == 0 ? NoDeviceNote : $"device present but no link (PxSSTS.DET={det})";
                return null;
            }

            DmaBuffer commandList = dma.Allocate(AhciCommandLayout.CommandListBytes, 1024);
            DmaBuffer receivedFis = dma.Allocate(AhciCommandLayout.ReceivedFisBytes, 256);
            DmaBuffer commandTable = dma.Allocate(CommandTableBytes, 128);
            DmaBuffer bounce = dma.Allocate(BounceBytes, 4096);
            foreach (DmaBuffer buffer in new[] { commandList, receivedFis, commandTable, bounce })
            {
                if (!addressing64 && buffer.PhysicalAddress + (ulong)buffer.Length > 0x1_0000_0000)
                {
                    dma.Free(commandList);
                    dma.Free(receivedFis);
                    dma.Free(commandTable);
                    dma.Free(bounce);
                    problem = $"the HBA addresses only 32 bits (CAP.S64A=0) and DMA memory is at 0x{buffer.PhysicalAddress:x}";
                    return null;
                }
            }

            var port = new AhciPort(abar, index, timeouts, commandList, receivedFis, commandTable, bounce);
            problem = port.Program() ? null : port.LastError;
            if (problem != null)
            {
                port.Stop();
                dma.Free(commandList);
                dma.Free(receivedFis);
                dma.Free(commandTable);
                dma.Free(bounce);
                return null;
            }

            return port;
        }

        /// <summary>PxSIG: what kind of device is attached.</summary>
        public uint Signature => Read(PxSIG);

        /// <summary>
        /// Runs one non-queued command on slot 0: <paramref name="byteCount"/> bytes through the bounce
        /// buffer (0 for none), <paramref name="write"/> for host-to-device data.
        /// </summary>
        public AhciCommandStatus Execute(byte command, ulong lba, ushort sectorCount, int byteCount, bool write)
        {
            if (byteCount < 0 || byteCount > BounceBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(byteCount), byteCount, $"a command moves at most {BounceBytes} bytes");
            }

            if (_dead)
            {
                return AhciCommandStatus.PortDead;
            }

            Span<byte> table = _commandTable.Span;
            FisRegisterHostToDevice.Write(table, command, lba, sectorCount);
            int prdtLength = 0;
            if (byteCount > 0)
            {
                AhciCommandLayout.WritePrdtEntry(table, 0, _bounce.PhysicalAddress, byteCount);
                prdtLength = 1;
            }

            AhciCommandLayout.WriteHeader(_commandList.Span, Slot, FisRegisterHostToDevice.LengthDwords, write, prdtLength, _commandTable.PhysicalAddress);
            Write(PxIS, 0xFFFF_FFFF);
            Write(PxCI, 1u << Slot);

            uint interruptStatus = 0;
            bool finished = BoundedWait.Until(
                () =>
                {
                    interruptStatus = Read(PxIS);
                    return (interruptStatus & PxIS_FatalMask) != 0 || (Read(PxCI) & (1u << Slot)) == 0;
                },
                _timeouts.Command);

            if (!finished)
            {
                LastError = $"port {Index}: command 0x{command:x2} at LBA {lba} did not complete in {_timeouts.Command.TotalMilliseconds} ms (PxCI=0x{Read(PxCI):x}, PxTFD=0x{Read(PxTFD):x})";
                Recover();
                return AhciCommandStatus.Timeout;
            }

            uint taskFile = Read(PxTFD);
            if ((interruptStatus & PxIS_FatalMask) != 0 || (taskFile & PxTFD_STS_ERR) != 0)
            {
                bool deviceError = (interruptStatus & (PxIS_HBFS | PxIS_HBDS | PxIS_IFS)) == 0;
                LastError = $"port {Index}: command 0x{command:x2} at LBA {lba} failed (PxIS=0x{interruptStatus:x}, PxTFD=0x{taskFile:x}, error 0x{(taskFile >> 8) & 0xFF:x2})";
                Recover();
                return deviceError ? AhciCommandStatus.DeviceError : AhciCommandStatus.HostError;
            }

            uint transferred = AhciCommandLayout.ReadTransferredBytes(_commandList.Span, Slot);
            if (byteCount > 0 && transferred != (uint)byteCount)
            {
                LastError = $"port {Index}: command 0x{command:x2} at LBA {lba} moved {transferred} of {byteCount} bytes";
                return AhciCommandStatus.HostError;
            }

            return AhciCommandStatus.Ok;
        }

        // §10.3.1: a port is idle when ST, CR, FRE and FR are all clear.
        private bool Stop()
        {
            uint cmd = Read(PxCMD);
            if ((cmd & PxCMD_ST) != 0)
            {
                Write(PxCMD, cmd & ~PxCMD_ST);
            }

            if (!BoundedWait.Until(() => (Read(PxCMD) & PxCMD_CR) == 0, _timeouts.PortStop))
            {
                LastError = $"port {Index}: command list did not stop (PxCMD.CR still set after {_timeouts.PortStop.TotalMilliseconds} ms)";
                return false;
            }

            cmd = Read(PxCMD);
            if ((cmd & PxCMD_FRE) != 0)
            {
                Write(PxCMD, cmd & ~PxCMD_FRE);
            }

            if (!BoundedWait.Until(() => (Read(PxCMD) & PxCMD_FR) == 0, _timeouts.PortStop))
            {
                LastError = $"port {Index}: FIS receive did not stop (PxCMD.FR still set after {_timeouts.PortStop.TotalMilliseconds} ms)";
                return false;
            }

            return true;
        }

        private bool Program()
        {
            Write(PxCLB, (uint)_commandList.PhysicalAddress);
            Write(PxCLBU, (uint)(_commandList.PhysicalAddress >> 32));
            Write(PxFB, (uint)_receivedFis.PhysicalAddress);
            Write(PxFBU, (uint)(_receivedFis.PhysicalAddress >> 32));
            Write(PxIE, 0); // polled: no port interrupts
            Write(PxSERR, 0xFFFF_FFFF);
            Write(PxIS, 0xFFFF_FFFF);
            Write(PxCMD, Read(PxCMD) | PxCMD_FRE | PxCMD_POD | PxCMD_SUD);
            return StartCommandList();
        }

        private bool StartCommandList()
        {
            // §10.3.1: ST may be set only when BSY and DRQ are clear.
            if (!BoundedWait.Until(() => (Read(PxTFD) & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) == 0, _timeouts.DeviceReady))
            {
                LastError = $"port {Index}: device stayed busy (PxTFD=0x{Read(PxTFD):x} after {_timeouts.DeviceReady.TotalMilliseconds} ms)";
                return false;
            }

            Write(PxCMD, Read(PxCMD) | PxCMD_ST);
            return true;
        }

        // §6.2.2.1 non-queued error recovery: stop, clear PxSERR and PxIS, start again. A port that
        // does not stop or whose device stays busy is left dead: later requests fail at once.
        private void Recover()
        {
            string? cause = LastError;
            if (!Stop())
            {
                _dead = true;
                LastError = $"{cause}; recovery failed: {LastError}";
                return;
            }

            Write(PxSERR, 0xFFFF_FFFF);
            Write(PxIS, 0xFFFF_FFFF);
            Write(PxCMD, Read(PxCMD) | PxCMD_FRE);
            if (!StartCommandList())
            {
                _dead = true;
                LastError = $"{cause}; recovery failed: {LastError}";
                return;
            }

            LastError = cause;
        }

        private uint Read(ulong register) => _abar.Read32(AhciHbaRegisters.Port(Index, register));

        private void Write(ulong register, uint value) => _abar.Write32(AhciHbaRegisters.Port(Index, register), value);
    }
}
