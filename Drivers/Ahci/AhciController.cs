using System;
using System.Collections.Generic;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.Ahci.AhciHbaRegisters;

namespace Cosmos.Drivers.Ahci
{
    /// <summary>
    /// An AHCI HBA brought up as AHCI 1.3.1 §10.1.2 describes: AHCI mode, an HBA reset bounded by
    /// its 1 s limit, then each implemented port started and its device identified. Ports without
    /// a usable disk are listed with the reason; a port's failure never stops the others.
    /// </summary>
    public sealed class AhciController
    {
        private AhciController(uint capabilities, uint version, IReadOnlyList<AhciDisk> disks, IReadOnlyList<string> portNotes)
        {
            Capabilities = capabilities;
            Version = version;
            Disks = disks;
            PortNotes = portNotes;
        }

        /// <summary>CAP as read after the reset.</summary>
        public uint Capabilities { get; }

        /// <summary>VS: the AHCI version (0x00010301 for 1.3.1).</summary>
        public uint Version { get; }

        /// <summary>The disks found, one per port with an ATA device that answered IDENTIFY.</summary>
        public IReadOnlyList<AhciDisk> Disks { get; }

        /// <summary>One line per implemented port without a disk: why ("port 1: no device (PxSSTS.DET=0)").</summary>
        public IReadOnlyList<string> PortNotes { get; }

        /// <summary>
        /// Resets the HBA behind <paramref name="abar"/> and starts its ports. Returns null with
        /// <paramref name="error"/> when the HBA itself does not answer (the reset never completes).
        /// </summary>
        public static AhciController? Start(IRegisterBlock abar, IDmaAllocator dma, AhciTimeouts timeouts, string location, out string? error)
        {
            ArgumentNullException.ThrowIfNull(abar);
            ArgumentNullException.ThrowIfNull(dma);
            ArgumentNullException.ThrowIfNull(timeouts);

            // §10.4.3: set AE before HR (an HBA that also does legacy IDE resets into IDE mode otherwise).
            abar.Write32(GHC, abar.Read32(GHC) | GHC_AE);
            abar.Write32(GHC, abar.Read32(GHC) | GHC_HR);
            if (!BoundedWait.Until(() => (abar.Read32(GHC) & GHC_HR) == 0, timeouts.HbaReset))
            {
                error = $"HBA reset did not complete (GHC.HR still set after {timeouts.HbaReset.TotalMilliseconds} ms, GHC=0x{abar.Read32(GHC):x})";
                return null;
            }

            abar.Write32(GHC, GHC_AE); // AE again after the reset; IE off: the driver polls
            uint cap = abar.Read32(CAP);
            uint version = abar.Read32(VS);
            uint implemented = abar.Read32(PI);
            int portCount = (int)(cap & CAP_NP_Mask) + 1;
            if (implemented == 0)
            {
                // §3.1.4: PI has at least one bit set; an HBA that reports none is read from CAP.NP.
                implemented = portCount >= 32 ? 0xFFFF_FFFF : (1u << portCount) - 1;
            }

            bool addressing64 = (cap & CAP_S64A) != 0;
            var disks = new List<AhciDisk>();
            var notes = new List<string>();
            for (int port = 0; port < 32; port++)
            {
                if ((implemented & (1u << port)) == 0)
                {
                    continue;
                }

                AhciPort? started = AhciPort.Start(abar, port, dma, timeouts, addressing64, out string? problem);
                if (started == null)
                {
                    notes.Add($"port {port}: {problem}");
                    continue;
                }

                uint signature = started.Signature;
                if (signature == AhciPortRegisters.SignatureAtapi)
                {
                    notes.Add($"port {port}: ATAPI device (a CD-ROM), not supported by this driver");
                    continue;
                }

                if (signature != AhciPortRegisters.SignatureAta)
                {
                    notes.Add($"port {port}: unknown device signature 0x{signature:x8}");
                    continue;
                }

                AhciDisk? disk = AhciDisk.Identify(started, $"{location} port {port}", out problem);
                if (disk == null)
                {
                    notes.Add($"port {port}: {problem}");
                    continue;
                }

                disks.Add(disk);
            }

            error = null;
            return new AhciController(cap, version, disks, notes);
        }
    }
}
