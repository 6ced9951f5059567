using System;

namespace Cosmos.TestKit
{
    /// <summary>Thrown by <see cref="Assert"/> when a check sees something other than it expected.</summary>
    public sealed class CheckFailedException : Exception
    {
        /// <summary>Creates the exception with a message saying what was expected and what was seen.</summary>
        public CheckFailedException(string message)
            : base(message)
        {
        }
    }
}
