namespace Cosmos.Core.Pal
{
    /// <summary>
    /// The kernel's errno. It holds the class library's PAL codes (Interop.Error: 0x10000 + n)
    /// directly, so SystemNative_ConvertError* are the identity and no Linux numbering is involved.
    /// </summary>
    public static class Errno
    {
        /// <summary>Values of Interop.Error used by the kernel.</summary>
        public const int SUCCESS = 0, EACCES = 0x10002, EAGAIN = 0x10006, EBADF = 0x10008, EBUSY = 0x1000A,
            EEXIST = 0x10014, EFBIG = 0x10016, EINVAL = 0x1001C, EIO = 0x1001D, EISDIR = 0x1001F, ELOOP = 0x10020,
            EMFILE = 0x10021, ENAMETOOLONG = 0x10025, ENODEV = 0x1002C, ENOENT = 0x1002D, ENOMEM = 0x10031,
            ENOSPC = 0x10034, ENOSYS = 0x10037, ENOTDIR = 0x10039, ENOTEMPTY = 0x1003A, ENOTSUP = 0x1003D,
            ENOTTY = 0x1003E, EPERM = 0x10042, EPIPE = 0x10043, ERANGE = 0x10047, EROFS = 0x10048, ESPIPE = 0x10049,
            ETIMEDOUT = 0x1004D, EXDEV = 0x1004F;

        /// <summary>Values of Interop.Error the socket calls use (EWOULDBLOCK is EAGAIN, EOPNOTSUPP is ENOTSUP).</summary>
        public const int EADDRINUSE = 0x10003, EADDRNOTAVAIL = 0x10004, EAFNOSUPPORT = 0x10005, EALREADY = 0x10007,
            ECONNABORTED = 0x1000D, ECONNREFUSED = 0x1000E, ECONNRESET = 0x1000F, EDESTADDRREQ = 0x10011, EFAULT = 0x10015,
            EHOSTUNREACH = 0x10017, EINPROGRESS = 0x1001A, EINTR = 0x1001B, EISCONN = 0x1001E, EMSGSIZE = 0x10023,
            ENETDOWN = 0x10026, ENETUNREACH = 0x10028, ENOBUFS = 0x1002A, ENOPROTOOPT = 0x10033, ENOTCONN = 0x10038,
            ENOTSOCK = 0x1003C, EPROTONOSUPPORT = 0x10045, EPROTOTYPE = 0x10046, ESOCKTNOSUPPORT = 0x1005E, ESHUTDOWN = 0x1006C,
            EWOULDBLOCK = EAGAIN;

        private static int s_detailError;
        private static string? s_detail;

        /// <summary>The last error of the current thread (the scheduler keeps one per thread).</summary>
        public static int Value { get; set; }

        /// <summary>Exchanges the running thread's errno state with a thread's saved one (the scheduler, switching).</summary>
        internal static void Exchange(ref int value, ref int detailError, ref string? detail)
        {
            (Value, value) = (value, Value);
            (s_detailError, detailError) = (detailError, s_detailError);
            (s_detail, detail) = (detail, s_detail);
        }

        /// <summary>
        /// Records why the latest <paramref name="error"/> happened ("FAT: cluster chain of '/a' loops
        /// at cluster 9"). strerror then appends it, so the class library's exception message carries
        /// the kernel's reason rather than only "Input/output error".
        /// </summary>
        public static void SetDetail(int error, string? detail)
        {
            s_detailError = error;
            s_detail = detail;
        }

        /// <summary>The message strerror gives for <paramref name="error"/>: the standard text plus the latest detail.</summary>
        public static string Message(int error) =>
            error == s_detailError && !string.IsNullOrEmpty(s_detail) ? Describe(error) + " (" + s_detail + ")" : Describe(error);

        /// <summary>A message for <paramref name="error"/>, as strerror gives one.</summary>
        public static string Describe(int error) => error switch
        {
            SUCCESS => "Success",
            EACCES => "Permission denied",
            EADDRINUSE => "Address already in use",
            EADDRNOTAVAIL => "Cannot assign requested address",
            EAFNOSUPPORT => "Address family not supported by protocol",
            EALREADY => "Operation already in progress",
            ECONNABORTED => "Software caused connection abort",
            ECONNREFUSED => "Connection refused",
            ECONNRESET => "Connection reset by peer",
            EDESTADDRREQ => "Destination address required",
            EFAULT => "Bad address",
            EHOSTUNREACH => "No route to host",
            EINPROGRESS => "Operation now in progress",
            EINTR => "Interrupted system call",
            EISCONN => "Transport endpoint is already connected",
            EMSGSIZE => "Message too long",
            ENETDOWN => "Network is down",
            ENETUNREACH => "Network is unreachable",
            ENOBUFS => "No buffer space available",
            ENOPROTOOPT => "Protocol not available",
            ENOTCONN => "Transport endpoint is not connected",
            ENOTSOCK => "Socket operation on non-socket",
            EPROTONOSUPPORT => "Protocol not supported",
            EPROTOTYPE => "Protocol wrong type for socket",
            ESOCKTNOSUPPORT => "Socket type not supported",
            ESHUTDOWN => "Cannot send after transport endpoint shutdown",
            EAGAIN => "Resource temporarily unavailable",
            EBADF => "Bad file descriptor",
            EBUSY => "Device or resource busy",
            EEXIST => "File exists",
            EFBIG => "File too large",
            EINVAL => "Invalid argument",
            EIO => "Input/output error",
            EISDIR => "Is a directory",
            ELOOP => "Too many levels of symbolic links",
            EMFILE => "Too many open files",
            ENAMETOOLONG => "File name too long",
            ENODEV => "No such device",
            ENOENT => "No such file or directory",
            ENOMEM => "Cannot allocate memory",
            ENOSPC => "No space left on device",
            ENOSYS => "Function not implemented",
            ENOTDIR => "Not a directory",
            ENOTEMPTY => "Directory not empty",
            ENOTSUP => "Operation not supported",
            ENOTTY => "Inappropriate ioctl for device",
            EPERM => "Operation not permitted",
            EPIPE => "Broken pipe",
            ERANGE => "Numerical result out of range",
            EROFS => "Read-only file system",
            ESPIPE => "Illegal seek",
            ETIMEDOUT => "Connection timed out",
            EXDEV => "Invalid cross-device link",
            _ => "Unknown error",
        };
    }
}
