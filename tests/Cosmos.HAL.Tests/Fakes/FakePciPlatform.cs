using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Cosmos.Core.InterruptControllers;
using Cosmos.HAL.Hardware;
using Cosmos.HAL.Pci;

namespace Cosmos.HAL.Tests.Fakes;

/// <summary>
/// A machine for PCI on the host: memory BARs are native memory (so an MSI-X table can be read
/// back), vectors come from 0x40 upwards, MSI messages target 0xfee00000, legacy lines always route.
/// </summary>
internal sealed unsafe class FakePciPlatform : IPciPlatform, IDisposable
{
    private readonly List<nint> _memory = new();
    private readonly bool[] _used = new bool[256];

    public Dictionary<int, Action?> Handlers { get; } = new();

    public List<(ulong Physical, ulong Length, MmioRegisterBlock Block)> Mapped { get; } = new();

    public int VectorsLeft { get; set; } = 100;

    public bool LegacyRoutingAvailable { get; set; } = true;

    public Action? LegacyHandler { get; private set; }

    public IRegisterBlock MapMemory(ulong physicalAddress, ulong length)
    {
        nint memory = (nint)NativeMemory.AllocZeroed((nuint)length);
        _memory.Add(memory);
        var block = new MmioRegisterBlock(physicalAddress, memory, length);
        Mapped.Add((physicalAddress, length, block));
        return block;
    }

    public IRegisterBlock MapPorts(ushort firstPort, ushort length) => throw new NotSupportedException("no ports on the host");

    public bool TryAllocateVectors(int count, out int firstVector)
    {
        for (int start = 0x40; start + count <= 0xF0 && VectorsLeft >= count; start += count)
        {
            bool free = true;
            for (int v = start; v < start + count; v++)
            {
                free &= !_used[v];
            }

            if (free)
            {
                for (int v = start; v < start + count; v++)
                {
                    _used[v] = true;
                }

                VectorsLeft -= count;
                firstVector = start;
                return true;
            }
        }

        firstVector = -1;
        return false;
    }

    public void FreeVectors(int firstVector, int count)
    {
        for (int v = firstVector; v < firstVector + count; v++)
        {
            Assert.True(_used[v], $"vector 0x{v:x} freed but not allocated");
            _used[v] = false;
            Handlers.Remove(v);
        }

        VectorsLeft += count;
    }

    public int AllocatedVectors
    {
        get
        {
            int count = 0;
            foreach (bool used in _used)
            {
                count += used ? 1 : 0;
            }

            return count;
        }
    }

    public MsiMessage ComposeMsiMessage(int vector) => new(0xFEE0_0000, (uint)vector);

    public void SetVectorHandler(int vector, Action? handler) => Handlers[vector] = handler;

    public LegacyInterruptRoute? ConnectLegacyInterrupt(int irqLine, Action handler)
    {
        if (!LegacyRoutingAvailable)
        {
            return null;
        }

        LegacyHandler = handler;
        return new LegacyInterruptRoute(irqLine, (uint)irqLine, 0, irqLine, 0x60, true, false);
    }

    public void DisconnectLegacyInterrupt(LegacyInterruptRoute route, Action handler)
    {
        Assert.Same(LegacyHandler, handler);
        LegacyHandler = null;
    }

    public void Dispose()
    {
        foreach (nint memory in _memory)
        {
            NativeMemory.Free((void*)memory);
        }
    }

    private static class Assert
    {
        public static void True(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidOperationException(message);
            }
        }

        public static void Same(object? expected, object? actual)
        {
            if (!ReferenceEquals(expected, actual))
            {
                throw new InvalidOperationException("a different handler was disconnected");
            }
        }
    }
}
