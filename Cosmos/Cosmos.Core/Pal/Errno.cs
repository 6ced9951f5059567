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
            EEXIST = 0x10014, EINVAL = 0x1001C, EIO = 0x1001D, EISDIR = 0x1001F, EMFILE = 0x10021,
            ENAMETOOLONG = 0x10025, ENODEV = 0x1002C, ENOENT = 0x1002D, ENOMEM = 0x10031, ENOSPC = 0x10034,
            ENOSYS = 0x10037, ENOTDIR = 0x10039, ENOTEMPTY = 0x1003A, ENOTSUP = 0x1003D, ENOTTY = 0x1003E,
            EPERM = 0x10042, EPIPE = 0x10043, EROFS = 0x10048, ESPIPE = 0x10049, ETIMEDOUT = 0x1004D;

        /// <summary>The last error of the current thread (one thread for now).</summary>
        public static int Value { get; set; }

        /// <summary>A message for <paramref name="error"/>, as strerror gives one.</summary>
        public static string Describe(int error) => error switch
        {
            SUCCESS => "Success",
            EACCES => "Permission denied",
            EAGAIN => "Resource temporarily unavailable",
            EBADF => "Bad file descriptor",
            EBUSY => "Device or resource busy",
            EEXIST => "File exists",
            EINVAL => "Invalid argument",
            EIO => "Input/output error",
            EISDIR => "Is a directory",
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
            EROFS => "Read-only file system",
            ESPIPE => "Illegal seek",
            ETIMEDOUT => "Connection timed out",
            _ => "Unknown error",
        };
    }
}
