using System;

namespace Cosmos.Fuzz
{
    /// <summary>
    /// A harness saw something wrong that did not surface as an exception: the network stack caught a bug
    /// in its frame handler (it counts <c>InternalErrors</c> and carries on), or a round trip lost data.
    /// </summary>
    internal sealed class FuzzFindingException : Exception
    {
        public FuzzFindingException(string message) : base(message)
        {
        }
    }
}
