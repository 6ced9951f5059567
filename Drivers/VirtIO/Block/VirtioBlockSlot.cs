using System;
using Cosmos.Drivers.VirtIO.Queue;
using Cosmos.HAL.Devices;
using Cosmos.HAL.Hardware;
using static Cosmos.Drivers.VirtIO.Block.VirtioBlockRegisters;

namespace Cosmos.Drivers.VirtIO.Block
{
    /// <summary>
    /// One request the driver can have in flight: its own header and status bytes in DMA memory (the
    /// device reads and writes them while the request is posted, so no two requests share them), a
    /// bounce buffer for callers whose memory is not DMA-able (allocated on first use), and the
    /// request's state.
    /// </summary>
    internal sealed class VirtioBlockSlot
    {
        public VirtioBlockSlot(DmaBuffer header, DmaBuffer status)
        {
            Header = header;
            Status = status;
        }

        public DmaBuffer Header { get; }

        public DmaBuffer Status { get; }

        public DmaBuffer Bounce { get; set; }

        /// <summary>
        /// The wait condition for this slot, made once: waiting on a request must not allocate
        /// (it runs per block request, and the heap does not collect yet).
        /// </summary>
        public Func<bool>? IsSettled { get; set; }

        public VirtioBlockSlotState State { get; set; }

        public int Token { get; set; } = -1;

        /// <summary>When the request was posted (Stopwatch ticks), for the request timeout.</summary>
        public long SubmittedAt { get; set; }

        public uint Type { get; set; }

        /// <summary>Bytes the device must write before the status byte (reads, GET_ID; 0 otherwise), checked against the used length.</summary>
        public uint ExpectedWritten { get; set; }

        public BlockResult Result { get; set; }

        /// <summary>
        /// The request's outcome from its used element and status byte (§5.2.6): a fault the queue
        /// found in the element, a status the device never wrote, or a read shorter than asked all fail
        /// this request and nothing else.
        /// </summary>
        public void Finish(in VirtqueueCompletion completion)
        {
            Token = -1;
            State = VirtioBlockSlotState.Done;
            byte status = Status.Span[0];
            if (!completion.IsSuccess || completion.WrittenLength == 0)
            {
                Result = BlockResult.DeviceFailed;
            }
            else if (status == StatusOk)
            {
                // Every request the device writes data for (reads and GET_ID) must have all of it written, then the status
                // (found by fuzzing: a GET_ID of 4 bytes written came back Ok with 17 bytes of an earlier read's bounce buffer).
                Result = completion.WrittenLength < ExpectedWritten + 1 ? BlockResult.DeviceFailed : BlockResult.Ok;
            }
            else
            {
                Result = status switch
                {
                    StatusIoError => BlockResult.IoError,
                    StatusUnsupported => BlockResult.Unsupported,
                    _ => BlockResult.DeviceFailed,
                };
            }
        }

        public void Release()
        {
            Token = -1;
            State = VirtioBlockSlotState.Free;
        }
    }
}
