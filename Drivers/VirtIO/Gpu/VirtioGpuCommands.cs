using System;
using System.Buffers.Binary;
using static Cosmos.Drivers.VirtIO.Gpu.VirtioGpuRegisters;

namespace Cosmos.Drivers.VirtIO.Gpu
{
    /// <summary>
    /// Encodes virtio-gpu requests (VirtIO 1.2 §5.7.6.8) into a buffer, little-endian as the specification
    /// lays them out. Each returns the bytes written. The caller's buffer must be long enough.
    /// </summary>
    public static class VirtioGpuCommands
    {
        /// <summary>A rectangle in pixels (struct virtio_gpu_rect).</summary>
        public readonly record struct Rect(uint X, uint Y, uint Width, uint Height);

        /// <summary>struct virtio_gpu_ctrl_hdr with a fence when <paramref name="fenceId"/> is not 0.</summary>
        public static int Header(Span<byte> buffer, uint type, ulong fenceId = 0)
        {
            buffer[..HeaderLength].Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, type);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], fenceId != 0 ? FlagFence : 0);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], fenceId);
            return HeaderLength;
        }

        /// <summary>VIRTIO_GPU_CMD_GET_DISPLAY_INFO: the header alone.</summary>
        public static int GetDisplayInfo(Span<byte> buffer) => Header(buffer, CmdGetDisplayInfo);

        /// <summary>VIRTIO_GPU_CMD_GET_EDID for <paramref name="scanout"/>.</summary>
        public static int GetEdid(Span<byte> buffer, uint scanout)
        {
            Header(buffer, CmdGetEdid);
            Put(buffer, HeaderLength, scanout);
            Put(buffer, HeaderLength + 4, 0);
            return GetEdidLength;
        }

        /// <summary>VIRTIO_GPU_CMD_RESOURCE_CREATE_2D.</summary>
        public static int ResourceCreate2D(Span<byte> buffer, uint resourceId, uint format, uint width, uint height)
        {
            Header(buffer, CmdResourceCreate2D);
            Put(buffer, HeaderLength, resourceId);
            Put(buffer, HeaderLength + 4, format);
            Put(buffer, HeaderLength + 8, width);
            Put(buffer, HeaderLength + 12, height);
            return ResourceCreate2DLength;
        }

        /// <summary>VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING with one memory entry (the backing is physically contiguous).</summary>
        public static int AttachBacking(Span<byte> buffer, uint resourceId, ulong physicalAddress, uint length)
        {
            Header(buffer, CmdResourceAttachBacking);
            Put(buffer, HeaderLength, resourceId);
            Put(buffer, HeaderLength + 4, 1);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[AttachBackingLength..], physicalAddress);
            Put(buffer, AttachBackingLength + 8, length);
            Put(buffer, AttachBackingLength + 12, 0);
            return AttachBackingLength + MemEntryLength;
        }

        /// <summary>VIRTIO_GPU_CMD_SET_SCANOUT (resource 0 disables the scanout).</summary>
        public static int SetScanout(Span<byte> buffer, Rect rect, uint scanoutId, uint resourceId)
        {
            Header(buffer, CmdSetScanout);
            PutRect(buffer, HeaderLength, rect);
            Put(buffer, HeaderLength + 16, scanoutId);
            Put(buffer, HeaderLength + 20, resourceId);
            return SetScanoutLength;
        }

        /// <summary>VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: <paramref name="offset"/> is the rectangle's first byte in the backing.</summary>
        public static int TransferToHost2D(Span<byte> buffer, Rect rect, ulong offset, uint resourceId)
        {
            Header(buffer, CmdTransferToHost2D);
            PutRect(buffer, HeaderLength, rect);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[(HeaderLength + 16)..], offset);
            Put(buffer, HeaderLength + 24, resourceId);
            Put(buffer, HeaderLength + 28, 0);
            return TransferToHost2DLength;
        }

        /// <summary>VIRTIO_GPU_CMD_RESOURCE_FLUSH, fenced when <paramref name="fenceId"/> is not 0.</summary>
        public static int ResourceFlush(Span<byte> buffer, Rect rect, uint resourceId, ulong fenceId = 0)
        {
            Header(buffer, CmdResourceFlush, fenceId);
            PutRect(buffer, HeaderLength, rect);
            Put(buffer, HeaderLength + 16, resourceId);
            Put(buffer, HeaderLength + 20, 0);
            return ResourceFlushLength;
        }

        /// <summary>VIRTIO_GPU_CMD_RESOURCE_UNREF or DETACH_BACKING: a resource id and padding.</summary>
        public static int ResourceOnly(Span<byte> buffer, uint type, uint resourceId)
        {
            Header(buffer, type);
            Put(buffer, HeaderLength, resourceId);
            Put(buffer, HeaderLength + 4, 0);
            return ResourceIdOnlyLength;
        }

        /// <summary>VIRTIO_GPU_CMD_UPDATE_CURSOR or MOVE_CURSOR (struct virtio_gpu_update_cursor).</summary>
        public static int Cursor(Span<byte> buffer, uint type, uint scanoutId, uint x, uint y, uint resourceId, uint hotX, uint hotY)
        {
            Header(buffer, type);
            Put(buffer, HeaderLength, scanoutId);
            Put(buffer, HeaderLength + 4, x);
            Put(buffer, HeaderLength + 8, y);
            Put(buffer, HeaderLength + 12, 0);
            Put(buffer, HeaderLength + 16, resourceId);
            Put(buffer, HeaderLength + 20, hotX);
            Put(buffer, HeaderLength + 24, hotY);
            Put(buffer, HeaderLength + 28, 0);
            return UpdateCursorLength;
        }

        /// <summary>The name of a command or response type, for errors ("RESOURCE_FLUSH", "ERR_INVALID_RESOURCE_ID").</summary>
        public static string TypeName(uint type) => type switch
        {
            CmdGetDisplayInfo => "GET_DISPLAY_INFO",
            CmdResourceCreate2D => "RESOURCE_CREATE_2D",
            CmdResourceUnref => "RESOURCE_UNREF",
            CmdSetScanout => "SET_SCANOUT",
            CmdResourceFlush => "RESOURCE_FLUSH",
            CmdTransferToHost2D => "TRANSFER_TO_HOST_2D",
            CmdResourceAttachBacking => "RESOURCE_ATTACH_BACKING",
            CmdResourceDetachBacking => "RESOURCE_DETACH_BACKING",
            CmdGetEdid => "GET_EDID",
            CmdUpdateCursor => "UPDATE_CURSOR",
            CmdMoveCursor => "MOVE_CURSOR",
            RespOkNoData => "OK_NODATA",
            RespOkDisplayInfo => "OK_DISPLAY_INFO",
            RespOkEdid => "OK_EDID",
            RespErrUnspec => "ERR_UNSPEC",
            RespErrOutOfMemory => "ERR_OUT_OF_MEMORY",
            RespErrInvalidScanoutId => "ERR_INVALID_SCANOUT_ID",
            RespErrInvalidResourceId => "ERR_INVALID_RESOURCE_ID",
            RespErrInvalidContextId => "ERR_INVALID_CONTEXT_ID",
            RespErrInvalidParameter => "ERR_INVALID_PARAMETER",
            _ => "0x" + type.ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
        };

        private static void Put(Span<byte> buffer, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(buffer[offset..], value);

        private static void PutRect(Span<byte> buffer, int offset, Rect rect)
        {
            Put(buffer, offset, rect.X);
            Put(buffer, offset + 4, rect.Y);
            Put(buffer, offset + 8, rect.Width);
            Put(buffer, offset + 12, rect.Height);
        }
    }
}
