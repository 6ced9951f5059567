using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Cosmos.Drivers.Tests.Sim;
using Cosmos.Drivers.VirtIO.Block;
using Cosmos.HAL.Devices;
using Xunit;

namespace Cosmos.Drivers.Tests.Block
{
    /// <summary>
    /// A disk that stops answering, or says it must be reset: the waiting caller gets an error instead of waiting for
    /// ever (it may hold the file system's lock), every later request fails at once, and the device is reset so a late
    /// completion cannot write into memory the driver has taken back.
    /// </summary>
    public class VirtioBlockDeviceFailureTests
    {
        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void ARequestTheDeviceNeverCompletesFailsAfterTheTimeoutAndTheDiskIsFailed(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            var waiter = new SimWaiter { Idle = () => Thread.Sleep(1) };
            VirtioBlockDevice disk = sim.StartDriver(waiter);
            var log = new List<string>();
            disk.Name = "vdc";
            disk.Log = log.Add;
            disk.RequestTimeout = TimeSpan.FromMilliseconds(50);
            Assert.Equal(BlockResult.Ok, disk.Read(0, new byte[512]));

            sim.Device.AutoProcess = false;                        // the device goes silent
            var watch = Stopwatch.StartNew();
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(0, new byte[512]));
            Assert.InRange(watch.ElapsedMilliseconds, 40, 5_000);
            Assert.True(disk.IsFailed);
            Assert.Equal((byte)0, sim.Device.Status);              // reset
            Assert.Contains("[virtio-blk] vdc: a request has not completed in 0.05 s; the disk is failed: 1 requests in flight and every later one fail", log);

            int requests = sim.Requests.Count;
            Assert.Equal(BlockResult.DeviceFailed, disk.Write(8, new byte[512]));
            Assert.Equal(BlockResult.DeviceFailed, disk.Flush());
            Assert.Equal(requests, sim.Requests.Count);            // nothing more reached the device
        }

        [Theory]
        [MemberData(nameof(Layouts.All), MemberType = typeof(Layouts))]
        public void DeviceNeedsResetFailsTheDiskAtTheNextRequest(SimLayout layout)
        {
            using SimBlockDevice sim = SimBlockDevice.Create(layout);
            VirtioBlockDevice disk = sim.StartDriver(new SimWaiter());
            var log = new List<string>();
            disk.Name = "vdd";
            disk.Log = log.Add;
            Assert.Equal(BlockResult.Ok, disk.Read(1, new byte[512]));

            sim.Device.SignalNeedsReset();
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(1, new byte[512]));
            Assert.True(disk.IsFailed);
            Assert.Equal((byte)0, sim.Device.Status);
            // 0x4f on a modern device (FEATURES_OK among the bits), 0x47 on a legacy one.
            Assert.Single(log, line => System.Text.RegularExpressions.Regex.IsMatch(line,
                @"^\[virtio-blk\] vdd: the device set DEVICE_NEEDS_RESET \(status 0x4[7f]\); the disk is failed"));

            disk.Detach();                                         // removing a failed disk still works
            Assert.True(disk.IsDetached);
            Assert.Equal(BlockResult.DeviceFailed, disk.Read(1, new byte[512]));
        }
    }
}
