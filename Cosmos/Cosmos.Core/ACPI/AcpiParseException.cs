using System;

namespace Cosmos.Core.Acpi
{
    /// <summary>A firmware table that cannot be used: bad checksum, truncated, wrong signature, malformed entry.</summary>
    public sealed class AcpiParseException : Exception
    {
        /// <summary>Creates the error; <paramref name="message"/> names the table and the value at fault.</summary>
        public AcpiParseException(string message)
            : base(message)
        {
        }
    }
}
