using System;

namespace Cosmos.Drivers.VirtIO
{
    /// <summary>A <see cref="VirtioResult"/> that carries a value on success.</summary>
    /// <typeparam name="T">What the operation produces.</typeparam>
    public readonly struct VirtioResult<T>
        where T : class
    {
        private readonly T? _value;

        private VirtioResult(T? value, string? error)
        {
            _value = value;
            Error = error;
        }

        /// <summary>True when the operation succeeded and <see cref="Value"/> is set.</summary>
        public bool IsSuccess => Error is null;

        /// <summary>What went wrong, or null on success.</summary>
        public string? Error { get; }

        /// <summary>The value.</summary>
        /// <exception cref="InvalidOperationException">The operation failed (the message is <see cref="Error"/>).</exception>
        public T Value => _value ?? throw new InvalidOperationException(Error ?? "no value");

        /// <summary>A success carrying <paramref name="value"/>.</summary>
        public static VirtioResult<T> Success(T value)
        {
            ArgumentNullException.ThrowIfNull(value);
            return new VirtioResult<T>(value, null);
        }

        /// <summary>A failure with the sentence <paramref name="error"/>.</summary>
        public static VirtioResult<T> Failure(string error)
        {
            ArgumentNullException.ThrowIfNull(error);
            return new VirtioResult<T>(null, error);
        }

        /// <summary>Converts to a <see cref="VirtioResult"/> without the value.</summary>
        public VirtioResult WithoutValue() => Error is null ? VirtioResult.Success : VirtioResult.Failure(Error);

        /// <inheritdoc />
        public override string ToString() => Error ?? "ok";
    }
}
