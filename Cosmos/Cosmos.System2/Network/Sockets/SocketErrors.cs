using Cosmos.Core.Pal;

namespace Cosmos.System.Network
{
    /// <summary>The errno a socket call returns for each outcome of the stack.</summary>
    internal static class SocketErrors
    {
        /// <summary>The negated errno for <paramref name="result"/> (0 for success); <paramref name="sending"/> turns a local close into EPIPE.</summary>
        public static int FromResult(NetworkResult result, bool sending = false) => result switch
        {
            NetworkResult.Success => 0,
            NetworkResult.WouldBlock => -Errno.EWOULDBLOCK,
            NetworkResult.NoRoute => -Errno.ENETUNREACH,
            NetworkResult.NetworkDown => -Errno.ENETDOWN,
            NetworkResult.NotConnected => -Errno.ENOTCONN,
            NetworkResult.ConnectionRefused => -Errno.ECONNREFUSED,
            NetworkResult.ConnectionReset => -Errno.ECONNRESET,
            NetworkResult.TimedOut => -Errno.ETIMEDOUT,
            NetworkResult.AddressInUse => -Errno.EADDRINUSE,
            NetworkResult.MessageTooLarge => -Errno.EMSGSIZE,
            NetworkResult.Closed => sending ? -Errno.EPIPE : -Errno.ECONNABORTED,
            NetworkResult.InvalidArgument => -Errno.EINVAL,
            _ => -Errno.EIO,
        };
    }
}
