using System;

namespace Cosmos.Fuzz
{
    /// <summary>
    /// One fuzz target: a parser entry point the kernel calls on outside bytes, and the exception types that
    /// entry point documents as its error for bad input. Any other exception escaping <see cref="Execute"/> is a
    /// finding (afl-fuzz records the input as a crash); so is a hang (afl-fuzz's -t) or running out of the heap
    /// the runner allows (DOTNET_GCHeapHardLimit, an OutOfMemoryException).
    /// </summary>
    internal sealed class Harness
    {
        private readonly Action<byte[]> _body;
        private readonly Type[] _documentedErrors;

        public Harness(string name, string target, Action<byte[]> body, params Type[] documentedErrors)
        {
            Name = name;
            Target = target;
            _body = body;
            _documentedErrors = documentedErrors;
        }

        /// <summary>The name used on the command line and as the corpus folder.</summary>
        public string Name { get; }

        /// <summary>What is fuzzed, in one line.</summary>
        public string Target { get; }

        /// <summary>The documented error types, for the listing.</summary>
        public string DocumentedErrors => _documentedErrors.Length == 0
            ? "none (must never throw)"
            : string.Join(", ", Array.ConvertAll(_documentedErrors, t => t.Name));

        /// <summary>Runs the body; a documented error is an expected outcome, anything else propagates.</summary>
        public void Execute(byte[] input)
        {
            try
            {
                _body(input);
            }
            catch (Exception error) when (IsDocumented(error))
            {
            }
        }

        public bool IsDocumented(Exception error)
        {
            foreach (Type type in _documentedErrors)
            {
                if (error.GetType() == type)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
