using System.Collections.Generic;

namespace RuntimeTests
{
    /// <summary>Records the order in which things happened, for checks about ordering.</summary>
    internal sealed class EventLog
    {
        private readonly List<string> _events = new List<string>();

        public void Add(string name) => _events.Add(name);

        /// <summary>Adds <paramref name="name"/> and returns <paramref name="result"/> (for use inside filters).</summary>
        public bool AddAndReturn(string name, bool result)
        {
            _events.Add(name);
            return result;
        }

        public override string ToString() => string.Join(",", _events);
    }
}
