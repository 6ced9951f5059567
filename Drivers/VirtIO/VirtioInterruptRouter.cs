using System;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.Drivers.VirtIO.Transport;
using Cosmos.HAL.Hardware;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>
    /// Decides which interrupt vector serves which queue and installs the handlers. With MSI-X and
    /// enough vectors: vector 0 for configuration changes and one per queue; with fewer, the queues
    /// share vector 1, or everything shares vector 0. With INTx, MSI or an MMIO line there is one
    /// handler, which reads and acknowledges the ISR / InterruptStatus to find the cause. Polled:
    /// nothing is installed.
    /// </summary>
    public sealed class VirtioInterruptRouter
    {
        private readonly IVirtioTransport _transport;
        private readonly IInterruptSource _source;
        private readonly SplitVirtqueue?[] _queues;
        private readonly Plan _plan;

        /// <summary>Plans vectors for <paramref name="queueCount"/> queues on <paramref name="source"/>.</summary>
        public VirtioInterruptRouter(IVirtioTransport transport, IInterruptSource source, int queueCount)
        {
            ArgumentNullException.ThrowIfNull(transport);
            ArgumentNullException.ThrowIfNull(source);
            if (queueCount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(queueCount));
            }

            _transport = transport;
            _source = source;
            _queues = new SplitVirtqueue?[queueCount];
            if (source.Mode == InterruptMode.Polled || source.VectorCount < 1)
            {
                _plan = Plan.None;
            }
            else if (source.Mode != InterruptMode.MsiX)
            {
                // INTx, MSI, an MMIO line: VirtIO cannot route queues to MSI messages, so every
                // message (one, unless multiple-message MSI was granted) goes through the ISR.
                _plan = Plan.SharedLine;
                for (int i = 0; i < source.VectorCount; i++)
                {
                    source.SetHandler(i, OnSharedLine);
                }
            }
            else if (source.VectorCount >= queueCount + 1)
            {
                _plan = Plan.VectorPerQueue;
                source.SetHandler(0, OnConfigVector);
            }
            else if (source.VectorCount >= 2)
            {
                _plan = Plan.QueuesShareOneVector;
                source.SetHandler(0, OnConfigVector);
                source.SetHandler(1, OnAllQueues);
            }
            else
            {
                _plan = Plan.OneVector;
                source.SetHandler(0, OnOneMsixVector);
            }
        }

        private enum Plan
        {
            None,
            SharedLine,
            VectorPerQueue,
            QueuesShareOneVector,
            OneVector,
        }

        /// <summary>How the device interrupts (Polled when it does not).</summary>
        public InterruptMode Mode => _plan == Plan.None ? InterruptMode.Polled : _source.Mode;

        /// <summary>True when queues get interrupts at all.</summary>
        public bool DeliversInterrupts => _plan != Plan.None;

        /// <summary>The MSI-X vector for configuration changes, or -1 when not MSI-X.</summary>
        public int ConfigVector => IsMsix ? 0 : -1;

        /// <summary>Called on a configuration change interrupt (from interrupt context).</summary>
        public Action? ConfigChanged { get; set; }

        private bool IsMsix => _plan == Plan.VectorPerQueue || _plan == Plan.QueuesShareOneVector || _plan == Plan.OneVector;

        /// <summary>The MSI-X vector for <paramref name="queue"/>'s used buffer notifications, or -1 when not MSI-X.</summary>
        public int QueueVector(int queue)
        {
            switch (_plan)
            {
                case Plan.VectorPerQueue: return queue + 1;
                case Plan.QueuesShareOneVector: return 1;
                case Plan.OneVector: return 0;
                default: return -1;
            }
        }

        /// <summary>"msi-x: config 0, queue q on q+1", "intx (isr)", "polled".</summary>
        public string Describe()
        {
            switch (_plan)
            {
                case Plan.VectorPerQueue: return "msi-x: config on 0, queue n on n+1";
                case Plan.QueuesShareOneVector: return "msi-x: config on 0, queues share 1";
                case Plan.OneVector: return "msi-x: all on 0";
                case Plan.SharedLine: return InterruptModeNames.Of(_source.Mode) + ": one line, cause from the ISR";
                default: return "polled";
            }
        }

        /// <summary>Routes <paramref name="queue"/>'s interrupts to it.</summary>
        internal void Attach(SplitVirtqueue queue)
        {
            if ((uint)queue.Index >= (uint)_queues.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(queue), $"queue {queue.Index} is beyond the {_queues.Length} queues interrupts were planned for");
            }

            _queues[queue.Index] = queue;
            if (_plan == Plan.VectorPerQueue)
            {
                _source.SetHandler(queue.Index + 1, queue.HandleInterrupt);
            }
        }

        private void OnSharedLine()
        {
            // §4.1.5.5 / §4.2.3.4: the ISR says why; reading (PCI) or acknowledging (MMIO) clears it.
            VirtioInterruptCause cause = _transport.AcknowledgeInterrupt();
            if ((cause & VirtioInterruptCause.UsedBuffer) != 0)
            {
                OnAllQueues();
            }

            if ((cause & VirtioInterruptCause.ConfigurationChange) != 0)
            {
                ConfigChanged?.Invoke();
            }
        }

        private void OnConfigVector() => ConfigChanged?.Invoke();

        private void OnOneMsixVector()
        {
            // With MSI-X the ISR queue bit is not guaranteed, but the configuration bit is (§4.1.4.5).
            VirtioInterruptCause cause = _transport.AcknowledgeInterrupt();
            OnAllQueues();
            if ((cause & VirtioInterruptCause.ConfigurationChange) != 0)
            {
                ConfigChanged?.Invoke();
            }
        }

        private void OnAllQueues()
        {
            for (int i = 0; i < _queues.Length; i++)
            {
                _queues[i]?.HandleInterrupt();
            }
        }
    }
}
