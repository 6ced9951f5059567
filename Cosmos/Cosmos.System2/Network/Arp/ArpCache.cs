using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// The neighbours of one interface (RFC 826): resolved entries expire, unresolved ones hold the packets
    /// waiting for them and send a few requests before giving up.
    /// </summary>
    public sealed class ArpCache
    {
        private readonly Dictionary<Ipv4Address, ArpEntry> _entries = new Dictionary<Ipv4Address, ArpEntry>();
        private readonly NetworkInterface _interface;
        private readonly ProtocolCounters _counters;

        internal ArpCache(NetworkInterface networkInterface, ProtocolCounters counters)
        {
            _interface = networkInterface;
            _counters = counters;
        }

        /// <summary>How long a resolved entry lives (milliseconds).</summary>
        public long EntryLifetime { get; set; } = 120_000;

        /// <summary>Time between requests for an unresolved entry (milliseconds).</summary>
        public long RequestInterval { get; set; } = 1_000;

        /// <summary>Requests sent before an entry is given up and its packets dropped.</summary>
        public int MaxRequests { get; set; } = 3;

        /// <summary>Packets an unresolved entry holds; older ones are dropped first.</summary>
        public int MaxPendingPerEntry { get; set; } = 16;

        /// <summary>Entries kept; the one closest to expiry goes when a new one needs room.</summary>
        public int MaxEntries { get; set; } = 256;

        /// <summary>Conflicting claims seen for our own address (RFC 5227 §2.4).</summary>
        public long AddressConflicts { get; private set; }

        /// <summary>The entries, for the arp command.</summary>
        public IEnumerable<ArpEntry> Entries => _entries.Values;

        /// <summary>The MAC of <paramref name="address"/> if resolved and not expired.</summary>
        public bool TryLookup(Ipv4Address address, out MacAddress hardwareAddress)
        {
            if (_entries.TryGetValue(address, out ArpEntry? entry) && entry.IsResolved && entry.Deadline > _interface.Stack.Now)
            {
                hardwareAddress = entry.HardwareAddress;
                return true;
            }

            hardwareAddress = default;
            return false;
        }

        /// <summary>Adds or replaces a resolved entry by hand (static ARP); it expires like a learned one.</summary>
        public void Add(Ipv4Address address, MacAddress hardwareAddress) => Learn(address, hardwareAddress, create: true);

        /// <summary>Forgets every entry and every waiting packet.</summary>
        public void Clear() => _entries.Clear();

        /// <summary>Sends <paramref name="packet"/> to <paramref name="nextHop"/> now if resolved, or queues a copy and asks.</summary>
        internal void Transmit(Ipv4Address nextHop, ReadOnlySpan<byte> packet)
        {
            long now = _interface.Stack.Now;
            if (_entries.TryGetValue(nextHop, out ArpEntry? entry))
            {
                if (entry.IsResolved && entry.Deadline > now)
                {
                    _interface.TransmitIpv4To(entry.HardwareAddress, packet);
                    return;
                }

                if (entry.IsResolved)
                {
                    // Expired: resolve again, holding this packet meanwhile.
                    entry.IsResolved = false;
                    entry.RequestsSent = 0;
                    entry.Deadline = now;
                }
            }
            else
            {
                MakeRoom();
                entry = new ArpEntry(nextHop) { Deadline = now };
                _entries.Add(nextHop, entry);
            }

            if (entry.Pending.Count >= MaxPendingPerEntry)
            {
                entry.Pending.Dequeue();
                _counters.Drop(NetworkDropReason.QueueFull);
            }

            entry.Pending.Enqueue(packet.ToArray());
            if (entry.RequestsSent == 0)
            {
                SendRequest(entry, now);
            }
        }

        /// <summary>Handles a received ARP packet (RFC 826 "Packet Reception", RFC 5227 for announcements).</summary>
        internal void Receive(ArpPacket packet)
        {
            Ipv4Address ours = _interface.Address;
            if (packet.SenderHardware.IsMulticast || packet.SenderProtocol.IsBroadcast || packet.SenderProtocol.IsMulticast)
            {
                _counters.Drop(NetworkDropReason.BadSourceAddress);
                return;
            }

            if (!ours.IsAny && packet.SenderProtocol == ours)
            {
                if (packet.SenderHardware != _interface.MacAddress)
                {
                    AddressConflicts++;
                    _interface.Stack.Log($"[arp] {_interface.Name}: {packet.SenderHardware} claims our address {ours}");
                }

                return;
            }

            bool forUs = !ours.IsAny && packet.TargetProtocol == ours;
            // The merge flag: refresh an entry we have; create one only when the packet is addressed to us.
            if (!packet.SenderProtocol.IsAny)
            {
                Learn(packet.SenderProtocol, packet.SenderHardware, create: forUs && !packet.IsGratuitous);
            }

            if (forUs && packet.Operation == ArpPacket.OperationRequest)
            {
                var reply = new ArpPacket(ArpPacket.OperationReply, _interface.MacAddress, ours, packet.SenderHardware, packet.SenderProtocol);
                _interface.SendArp(reply, packet.SenderHardware);
            }
            else if (!forUs && !packet.IsGratuitous && packet.Operation == ArpPacket.OperationReply)
            {
                _counters.Drop(NetworkDropReason.NotForUs);
            }
        }

        /// <summary>Expires entries and repeats requests; returns the earliest deadline left.</summary>
        internal long RunTimers(long now)
        {
            long next = long.MaxValue;
            List<Ipv4Address>? remove = null;
            foreach (ArpEntry entry in _entries.Values)
            {
                if (entry.Deadline <= now)
                {
                    if (entry.IsResolved || entry.RequestsSent >= MaxRequests)
                    {
                        for (int i = 0; i < entry.Pending.Count; i++)
                        {
                            _counters.Drop(NetworkDropReason.Unresolved);
                        }

                        (remove ??= new List<Ipv4Address>()).Add(entry.Address);
                        continue;
                    }

                    SendRequest(entry, now);
                }

                next = Math.Min(next, entry.Deadline);
            }

            if (remove != null)
            {
                foreach (Ipv4Address address in remove)
                {
                    _entries.Remove(address);
                }
            }

            return next;
        }

        private void Learn(Ipv4Address address, MacAddress hardwareAddress, bool create)
        {
            if (!_entries.TryGetValue(address, out ArpEntry? entry))
            {
                if (!create)
                {
                    return;
                }

                MakeRoom();
                entry = new ArpEntry(address);
                _entries.Add(address, entry);
            }

            entry.HardwareAddress = hardwareAddress;
            entry.IsResolved = true;
            entry.RequestsSent = 0;
            entry.Deadline = _interface.Stack.Now + EntryLifetime;
            _interface.Stack.ArmTimer(entry.Deadline);
            while (entry.Pending.Count > 0)
            {
                _interface.TransmitIpv4To(hardwareAddress, entry.Pending.Dequeue());
            }
        }

        private void SendRequest(ArpEntry entry, long now)
        {
            entry.RequestsSent++;
            entry.Deadline = now + RequestInterval;
            _interface.Stack.ArmTimer(entry.Deadline);
            var request = new ArpPacket(ArpPacket.OperationRequest, _interface.MacAddress, _interface.Address, MacAddress.Zero, entry.Address);
            _interface.SendArp(request, MacAddress.Broadcast);
        }

        private void MakeRoom()
        {
            if (_entries.Count < MaxEntries)
            {
                return;
            }

            ArpEntry? victim = null;
            foreach (ArpEntry entry in _entries.Values)
            {
                if (entry.IsResolved && (victim == null || entry.Deadline < victim.Deadline))
                {
                    victim = entry;
                }
            }

            if (victim != null)
            {
                _entries.Remove(victim.Address);
            }
            else
            {
                // Every entry is unresolved: drop the oldest request and its packets.
                foreach (ArpEntry entry in _entries.Values)
                {
                    victim = entry;
                    break;
                }

                _counters.Drop(NetworkDropReason.QueueFull);
                _entries.Remove(victim!.Address);
            }
        }
    }
}
