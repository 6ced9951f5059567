using System;
using System.Collections.Generic;
using System.Linq;
using Cosmos.Fuzz.Fakes;

namespace Cosmos.Fuzz
{
    /// <summary>Seeds for the virtio-gpu and virtio-blk-io harnesses (their encodings are VirtioGpuHarness's and VirtioBlockIoHarness's).</summary>
    internal static partial class SeedCorpus
    {
        private static byte[] Le16(int v) => [(byte)v, (byte)(v >> 8)];

        private static byte[] Le32(uint v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];

        // VirtIO 1.2 §5.7.4 configuration, §5.7.6.8 responses; EDID 1.3 base block (VESA E-EDID §3.10.2: the first detailed timing is preferred).
        private static void WriteGpuSeeds(string directory)
        {
            const byte Honest = FuzzGpuDevice.HonestType | FuzzGpuDevice.EchoFence | FuzzGpuDevice.HonestLength;
            static byte[] Setup(bool edid, int scanouts, byte[] operations) =>
                [edid ? (byte)2 : (byte)0, 0, 16, .. Le32(0), .. Le32(0), .. Le32((uint)scanouts), .. Le32(0), (byte)(operations.Length / 9), .. operations];
            static byte[] Op(int kind, int a = 0, int b = 0, int c = 0, int d = 0) => [(byte)kind, .. Le16(a), .. Le16(b), .. Le16(c), .. Le16(d)];
            static byte[] Answer(byte shape, uint written = 0, params byte[] body) => [shape, .. Le32(written), .. body];
            static byte[] DisplayInfo(params (uint Width, uint Height, bool Enabled)[] modes)
            {
                var body = new List<byte>(new byte[24]);
                foreach ((uint width, uint height, bool enabled) in modes)
                {
                    body.AddRange([.. Le32(0), .. Le32(0), .. Le32(width), .. Le32(height), .. Le32(enabled ? 1u : 0), .. Le32(0)]);
                }

                return Answer(Honest, 0, [.. body]);
            }

            static byte[] Edid(int width, int height, uint size = 128)
            {
                byte[] block = new byte[128];
                new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }.CopyTo(block, 0);
                block[18] = 1;   // version 1.3
                block[19] = 3;
                block[54] = 0x64; // pixel clock 0x1964 x 10 kHz
                block[55] = 0x19;
                block[56] = (byte)width;
                block[58] = (byte)((width >> 8) << 4);
                block[59] = (byte)height;
                block[61] = (byte)((height >> 8) << 4);
                return Answer(Honest | FuzzGpuDevice.FixEdidChecksum, 0, [.. new byte[24], .. Le32(size), .. Le32(0), .. block]);
            }

            byte[] ok = Answer(Honest);
            byte[][] Oks(int count) => Enumerable.Repeat(ok, count).ToArray();

            // Start: GET_DISPLAY_INFO, GET_EDID (when negotiated), CREATE_2D, ATTACH_BACKING, SET_SCANOUT, TRANSFER, fenced FLUSH.
            byte[] operations = [.. Op(0, 0, 0, 100, 50), .. Op(3, 0xFF00, 0x00FF, 3, 4), .. Op(4, 10, 20), .. Op(2, 1, 0, 0, 0), .. Op(5, 1, 0), .. Op(6), .. Op(1, 799, 599)];
            Seed(directory, "virtio-gpu", "edid-and-operations", [.. Setup(true, 1, operations), .. Records([
                DisplayInfo((1024, 768, true)), Edid(1280, 800), .. Oks(5),
                .. Oks(2), .. Oks(4), ok, .. Oks(4),
                DisplayInfo((1024, 768, true)), Edid(1920, 1080), .. Oks(7),
                DisplayInfo((1024, 768, true)), Edid(1920, 1080),
                .. Oks(7)])]);
            Seed(directory, "virtio-gpu", "display-info-second-scanout", [.. Setup(false, 2, [.. Op(1, 639, 479), .. Op(0, 0xFFF0, 0xFFF0, 64, 64)]), .. Records([
                DisplayInfo((0, 0, false), (800, 600, true)), .. Oks(5), .. Oks(7), .. Oks(2)])]);
            Seed(directory, "virtio-gpu", "error-answers", [.. Setup(true, 1, [.. Op(0, 0, 0, 8, 8), .. Op(0, 0, 0, 8, 8), .. Op(0, 0, 0, 8, 8), .. Op(0, 0, 0, 8, 8)]), .. Records([
                DisplayInfo((1024, 768, true)), Edid(0, 0, 2000), .. Oks(5),
                ok, Answer(FuzzGpuDevice.HonestType | FuzzGpuDevice.HonestLength),
                Answer(FuzzGpuDevice.EchoFence | FuzzGpuDevice.HonestLength, 0, [.. Le32(0x1205)]), ok,
                Answer(Honest, 0, []), Answer(FuzzGpuDevice.HonestType | FuzzGpuDevice.EchoFence, 12),
                Answer(FuzzGpuDevice.Silent)])]);
            Seed(directory, "virtio-gpu", "huge-and-empty-modes", [.. Setup(true, 16, [.. Op(7), .. Op(7)]), .. Records([
                DisplayInfo((0xFFFFFFFF, 0xFFFFFFFF, true)), Answer(Honest, 0, [.. new byte[24], .. Le32(0xFFFFFFFF)]), .. Oks(5),
                DisplayInfo((0, 0, true), (16384, 16384, true)), Edid(4095, 4095), .. Oks(7),
                DisplayInfo((1, 1, true)), Answer(FuzzGpuDevice.EchoFence | FuzzGpuDevice.HonestLength, 0, [.. Le32(0x1200)]), .. Oks(9)])]);
        }

        // VirtIO 1.2 §5.2.6 completions; script actions are FuzzBlockDevice.Serve's.
        private static void WriteBlockIoSeeds(string directory)
        {
            static byte[] Op(int kind, int block, int count, int extra = 0) => [(byte)kind, (byte)block, (byte)count, (byte)extra];
            static byte[] Setup(byte setup, byte sizeMax, byte[] operations) => [setup, sizeMax, (byte)(operations.Length / 4), .. operations];
            static byte[] CompleteWith(int which, byte status, byte flags, uint length) => [1, (byte)which, status, flags, .. Le32(length)];

            // Indirect + event index, FLUSH, SEG_MAX 2, queue 128, SIZE_MAX 1024.
            byte[] everything = [.. Op(0, 0, 2), .. Op(2, 4, 3, 7), .. Op(1, 4, 3), .. Op(4, 0, 0), .. Op(5, 0, 0), .. Op(0, 10, 15, 3), .. Op(3, 100, 1, 9), .. Op(1, 100, 1)];
            Seed(directory, "virtio-blk-io", "honest", Setup(0xD5, 1, everything));
            Seed(directory, "virtio-blk-io", "honest-4k-small-queue", Setup(0x3E, 1, everything));
            byte[] asynchronous = [.. Op(6, 0, 1), .. Op(6, 8, 2), .. Op(6, 16, 3), .. Op(8, 0, 0), .. Op(8, 0, 0), .. Op(7, 0, 0, 1), .. Op(7, 0, 0, 0x80), .. Op(0, 30, 4, 5), .. Op(7, 0, 0, 0x80)];
            Seed(directory, "virtio-blk-io", "out-of-order", [.. Setup(0xD5, 0, asynchronous), 5, 0, 2, 4, 0, 0, 7, 0, 1]);
            Seed(directory, "virtio-blk-io", "statuses", [.. Setup(0xD5, 1, [.. Op(0, 0, 1), .. Op(2, 1, 1), .. Op(4, 0, 0), .. Op(5, 0, 0), .. Op(0, 2, 1), .. Op(0, 3, 1)]),
                .. CompleteWith(0, 1, 2, 0), .. CompleteWith(0, 2, 2, 0), .. CompleteWith(0, 7, 2, 0), .. CompleteWith(0, 0xFF, 2, 0),
                .. CompleteWith(0, 0, 3, 100), .. CompleteWith(0, 0, 1, 513)]);
            Seed(directory, "virtio-blk-io", "duplicates-and-lies", [.. Setup(0xD5, 0, [.. Op(6, 0, 1), .. Op(6, 1, 1), .. Op(8, 0, 0), .. Op(8, 0, 0), .. Op(0, 5, 1), .. Op(7, 0, 0, 0x80), .. Op(7, 0, 0, 0x80)]),
                0, 0, 3, 0, 4, 4, 2, .. Le16(1), .. Le32(1), 6 | 0x80]);
        }
    }
}
