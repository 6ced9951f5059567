using System;
using System.Collections.Generic;

namespace Cosmos.System.Network
{
    /// <summary>Answers kept for their TTL (RFC 1035 §7.4, RFC 2181 §5.2: a record set lives as long as its shortest TTL).</summary>
    public sealed class DnsCache
    {
        private readonly Dictionary<string, DnsCacheEntry> _entries = new Dictionary<string, DnsCacheEntry>();
        private readonly NetworkStack _stack;

        internal DnsCache(NetworkStack stack)
        {
            _stack = stack;
        }

        /// <summary>Entries kept at most; expired ones go first, then the one closest to expiry.</summary>
        public int MaxEntries { get; set; } = 256;

        /// <summary>The longest time anything is kept, whatever its TTL (seconds).</summary>
        public uint MaxTimeToLive { get; set; } = 86_400;

        /// <summary>How long a name error is remembered (seconds).</summary>
        public uint NegativeTimeToLive { get; set; } = 60;

        /// <summary>Entries held (expired ones included until they are swept).</summary>
        public int Count => _entries.Count;

        /// <summary>The entries, for listing.</summary>
        public IEnumerable<DnsCacheEntry> Entries => _entries.Values;

        /// <summary>Forgets everything.</summary>
        public void Clear() => _entries.Clear();

        /// <summary>The unexpired entry for <paramref name="name"/> (normalized), or null.</summary>
        public DnsCacheEntry? Find(string name)
        {
            if (_entries.TryGetValue(name, out DnsCacheEntry? entry))
            {
                if (entry.ExpiresAt > _stack.Now)
                {
                    return entry;
                }

                _entries.Remove(name);
            }

            return null;
        }

        internal void AddAddresses(string name, List<Ipv4Address> addresses, uint timeToLive)
        {
            DnsCacheEntry? entry = Put(name, timeToLive);
            if (entry != null)
            {
                entry.Addresses.AddRange(addresses);
            }
        }

        internal void AddAlias(string name, string canonicalName, uint timeToLive)
        {
            DnsCacheEntry? entry = Put(name, timeToLive);
            if (entry != null)
            {
                entry.CanonicalName = canonicalName;
            }
        }

        internal void AddNameError(string name)
        {
            DnsCacheEntry? entry = Put(name, NegativeTimeToLive);
            if (entry != null)
            {
                entry.IsNameError = true;
            }
        }

        private DnsCacheEntry? Put(string name, uint timeToLive)
        {
            timeToLive = Math.Min(timeToLive, MaxTimeToLive);
            if (timeToLive == 0 || MaxEntries <= 0)
            {
                // TTL 0: use the answer once, keep nothing (RFC 1035 §3.2.1).
                _entries.Remove(name);
                return null;
            }

            _entries.Remove(name);
            if (_entries.Count >= MaxEntries)
            {
                Evict();
            }

            var entry = new DnsCacheEntry(name, _stack.Now + timeToLive * 1000L);
            _entries.Add(name, entry);
            return entry;
        }

        private void Evict()
        {
            long now = _stack.Now;
            DnsCacheEntry? victim = null;
            List<string>? expired = null;
            foreach (DnsCacheEntry entry in _entries.Values)
            {
                if (entry.ExpiresAt <= now)
                {
                    (expired ??= new List<string>()).Add(entry.Name);
                }
                else if (victim == null || entry.ExpiresAt < victim.ExpiresAt)
                {
                    victim = entry;
                }
            }

            if (expired != null)
            {
                foreach (string name in expired)
                {
                    _entries.Remove(name);
                }
            }
            else if (victim != null)
            {
                _entries.Remove(victim.Name);
            }
        }
    }
}
