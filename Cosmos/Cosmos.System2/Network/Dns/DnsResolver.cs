using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>
    /// A stub resolver for A records (RFC 1035 §7, RFC 1123 §6.1.3): asks the configured servers in turn with a
    /// doubling timeout, follows CNAME chains (in one answer or over several queries), and caches what it learns.
    /// </summary>
    public sealed class DnsResolver
    {
        private readonly NetworkStack _stack;
        private readonly ProtocolCounters _counters;
        private readonly List<DnsQuery> _active = new List<DnsQuery>();
        private readonly byte[] _buffer = new byte[1500];

        internal DnsResolver(NetworkStack stack)
        {
            _stack = stack;
            _counters = stack.Counters.Dns;
            Cache = new DnsCache(stack);
        }

        /// <summary>Servers to ask; when empty, the DNS servers the interfaces learnt (DHCP) are used.</summary>
        public List<Ipv4Address> Servers { get; } = new List<Ipv4Address>();

        /// <summary>The first attempt's timeout; it doubles on each round through the servers (milliseconds).</summary>
        public long Timeout { get; set; } = 2_000;

        /// <summary>Transmissions per query before it times out.</summary>
        public int Attempts { get; set; } = 4;

        /// <summary>CNAME links followed at most before a lookup fails.</summary>
        public int MaxCnameHops { get; set; } = 8;

        /// <summary>The cache.</summary>
        public DnsCache Cache { get; }

        /// <summary>Lookups in flight.</summary>
        public int PendingQueries => _active.Count;

        /// <summary>
        /// Starts resolving <paramref name="name"/> to IPv4 addresses. A dotted-quad name or a cached answer completes
        /// at once; otherwise the lookup completes during a later <see cref="NetworkStack.Poll"/>.
        /// </summary>
        public DnsLookup Resolve(string name)
        {
            var lookup = new DnsLookup(name);
            if (Ipv4Address.TryParse(name, out Ipv4Address literal))
            {
                lookup.Addresses = new List<Ipv4Address> { literal };
                lookup.Status = DnsLookupStatus.Succeeded;
                return lookup;
            }

            if (!DnsName.IsValid(name))
            {
                lookup.Status = DnsLookupStatus.InvalidName;
                return lookup;
            }

            Continue(lookup, DnsName.Normalize(name), 0, fromCacheOnly: true);
            return lookup;
        }

        internal long RunTimers(long now)
        {
            long next = long.MaxValue;
            for (int i = 0; i < _active.Count; i++)
            {
                DnsQuery query = _active[i];
                ReadReplies(query);
                if (!query.Lookup.IsComplete && !query.IsSuperseded && query.Deadline <= now)
                {
                    Transmit(query);
                }

                if (query.Lookup.IsComplete || query.IsSuperseded)
                {
                    query.Socket.Close();
                    _active.RemoveAt(i);
                    i--;
                    continue;
                }

                next = Math.Min(next, query.Deadline);
            }

            return next;
        }

        /// <summary>Answers <paramref name="name"/> from the cache as far as it goes, then asks a server for the rest.</summary>
        private void Continue(DnsLookup lookup, string name, int hops, bool fromCacheOnly)
        {
            while (true)
            {
                DnsCacheEntry? entry = Cache.Find(name);
                if (entry == null)
                {
                    break;
                }

                if (entry.IsNameError)
                {
                    Complete(lookup, DnsLookupStatus.NameError, name, null, fromCacheOnly);
                    return;
                }

                if (entry.CanonicalName == null)
                {
                    Complete(lookup, DnsLookupStatus.Succeeded, name, entry.Addresses, fromCacheOnly);
                    return;
                }

                if (++hops > MaxCnameHops)
                {
                    Complete(lookup, DnsLookupStatus.ServerFailure, name, null, false);
                    return;
                }

                name = entry.CanonicalName;
            }

            List<Ipv4Address> servers = EffectiveServers();
            if (servers.Count == 0)
            {
                Complete(lookup, DnsLookupStatus.NoServers, name, null, false);
                return;
            }

            if (_stack.Udp.TryOpen(0, out UdpSocket? socket) != NetworkResult.Success)
            {
                Complete(lookup, DnsLookupStatus.ServerFailure, name, null, false);
                return;
            }

            lookup.CanonicalName = name;
            var query = new DnsQuery(lookup, name, socket!, (ushort)_stack.Random.Next(0x10000), hops);
            _active.Add(query);
            Transmit(query);
        }

        private void Transmit(DnsQuery query)
        {
            List<Ipv4Address> servers = EffectiveServers();
            if (query.Attempts >= Attempts || servers.Count == 0)
            {
                Complete(query.Lookup, servers.Count == 0 ? DnsLookupStatus.NoServers : DnsLookupStatus.TimedOut, query.Name, null, false);
                return;
            }

            query.Server = servers[query.Attempts % servers.Count];
            int round = query.Attempts / servers.Count;
            query.Attempts++;
            query.Lookup.QueriesSent++;
            query.Deadline = _stack.Now + (Timeout << Math.Min(round, 6));
            _stack.ArmTimer(query.Deadline);
            int length = DnsMessage.WriteQuery(_buffer, query.Id, query.Name, DnsRecord.TypeA);
            if (query.Socket.SendTo(_buffer.AsSpan(0, length), query.Server, DnsMessage.Port) == NetworkResult.Success)
            {
                _counters.CountOut(length);
            }
            else
            {
                _counters.Drop(NetworkDropReason.TransmitFailed);
            }
        }

        private void ReadReplies(DnsQuery query)
        {
            while (!query.Lookup.IsComplete && !query.IsSuperseded)
            {
                NetworkResult result = query.Socket.ReceiveFrom(_buffer, out int length, out Ipv4Address from, out ushort port);
                if (result == NetworkResult.WouldBlock || result == NetworkResult.Closed)
                {
                    return;
                }

                if (result != NetworkResult.Success)
                {
                    _counters.Drop(NetworkDropReason.BadLength);
                    continue;
                }

                if (port != DnsMessage.Port || !EffectiveServers().Contains(from))
                {
                    _counters.Drop(NetworkDropReason.Unsolicited);
                    continue;
                }

                if (!DnsMessage.TryParse(_buffer.AsSpan(0, length), out DnsMessage? message, out NetworkDropReason reason))
                {
                    _counters.Drop(reason);
                    continue;
                }

                // RFC 5452 §9.1: the ID and the question must match what was asked.
                if (!message!.IsResponse || message.Id != query.Id || message.QuestionName != query.Name || message.QuestionType != DnsRecord.TypeA)
                {
                    _counters.Drop(NetworkDropReason.Unsolicited);
                    continue;
                }

                _counters.CountIn(length);
                HandleAnswer(query, message);
            }
        }

        private void HandleAnswer(DnsQuery query, DnsMessage message)
        {
            if (message.ResponseCode == DnsMessage.ResponseNameError)
            {
                CacheAnswers(message);
                Cache.AddNameError(FollowAliases(message, query.Name, out _));
                Complete(query.Lookup, DnsLookupStatus.NameError, query.Name, null, false);
                return;
            }

            if (message.ResponseCode != 0)
            {
                // SERVFAIL, REFUSED, ...: the next server may do better (RFC 1035 §7.3).
                query.Deadline = _stack.Now;
                _stack.ArmTimer(query.Deadline);
                return;
            }

            CacheAnswers(message);
            string name = FollowAliases(message, query.Name, out int hops);
            if (hops < 0 || query.Hops + hops > MaxCnameHops)
            {
                Complete(query.Lookup, DnsLookupStatus.ServerFailure, name, null, false);
                return;
            }

            var addresses = new List<Ipv4Address>();
            foreach (DnsRecord record in message.Answers)
            {
                if (record.Type == DnsRecord.TypeA && record.Class == DnsRecord.ClassInternet && record.Name == name)
                {
                    addresses.Add(record.Address);
                }
            }

            if (addresses.Count > 0)
            {
                Complete(query.Lookup, DnsLookupStatus.Succeeded, name, addresses, false);
            }
            else if (hops > 0 && !message.IsTruncated)
            {
                // The answer stopped at an alias: ask for its target (RFC 1034 §5.3.3 step 3).
                query.Lookup.CanonicalName = name;
                query.IsSuperseded = true;
                Continue(query.Lookup, name, query.Hops + hops, fromCacheOnly: false);
            }
            else
            {
                Complete(query.Lookup, message.IsTruncated ? DnsLookupStatus.ServerFailure : DnsLookupStatus.NoData, name, null, false);
            }
        }

        /// <summary>Follows the CNAME records of one answer from <paramref name="name"/>; <paramref name="hops"/> is -1 on a loop.</summary>
        private string FollowAliases(DnsMessage message, string name, out int hops)
        {
            hops = 0;
            while (true)
            {
                string? target = null;
                foreach (DnsRecord record in message.Answers)
                {
                    if (record.Type == DnsRecord.TypeCname && record.Name == name)
                    {
                        target = record.Target;
                        break;
                    }
                }

                if (target == null)
                {
                    return name;
                }

                if (++hops > MaxCnameHops)
                {
                    hops = -1;
                    return name;
                }

                name = target;
            }
        }

        private void CacheAnswers(DnsMessage message)
        {
            var seen = new HashSet<string>();
            foreach (DnsRecord record in message.Answers)
            {
                if (record.Type == DnsRecord.TypeCname && record.Target != null)
                {
                    Cache.AddAlias(record.Name, record.Target, record.TimeToLive);
                }
                else if (record.Type == DnsRecord.TypeA && record.Class == DnsRecord.ClassInternet && seen.Add(record.Name))
                {
                    // The set of A records of one name, kept for the shortest TTL among them.
                    var addresses = new List<Ipv4Address>();
                    uint ttl = uint.MaxValue;
                    foreach (DnsRecord other in message.Answers)
                    {
                        if (other.Type == DnsRecord.TypeA && other.Class == DnsRecord.ClassInternet && other.Name == record.Name)
                        {
                            addresses.Add(other.Address);
                            ttl = Math.Min(ttl, other.TimeToLive);
                        }
                    }

                    Cache.AddAddresses(record.Name, addresses, ttl);
                }
            }
        }

        private void Complete(DnsLookup lookup, DnsLookupStatus status, string name, List<Ipv4Address>? addresses, bool fromCache)
        {
            lookup.Status = status;
            lookup.CanonicalName = name;
            lookup.FromCache = fromCache;
            if (addresses != null)
            {
                lookup.Addresses = new List<Ipv4Address>(addresses);
            }
        }

        private List<Ipv4Address> EffectiveServers()
        {
            if (Servers.Count > 0)
            {
                return Servers;
            }

            var learnt = new List<Ipv4Address>();
            foreach (NetworkInterface networkInterface in _stack.Interfaces)
            {
                foreach (Ipv4Address server in networkInterface.DnsServers)
                {
                    if (!learnt.Contains(server))
                    {
                        learnt.Add(server);
                    }
                }
            }

            return learnt;
        }
    }
}
