"""Runtime figures (issue 5 item 5): allocation rate of 32-byte objects, GC.Collect() pauses over a million live
objects in a 64 MiB heap, and thread switches through a pair of SemaphoreSlims. One C# source,
tests/bench/RuntimeBench/RuntimeBenchmarks.cs, is compiled into the RuntimeBench kernel (tests/Kernels/RuntimeBench)
and, by NativeAOT for linux-x64, into a program (tests/bench/RuntimeBench/Peer) that the Linux-guest peer runs
through shared/bench/linux-peer/run-extra.sh. Both print `RESULT name value` lines."""
import os, re, statistics, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_PROJECT = os.path.join(ROOT, "tests", "Kernels", "RuntimeBench", "RuntimeBench.csproj")
KERNEL_ELF = os.path.join(ROOT, "tests", "Kernels", "RuntimeBench", "bin", "Debug", "cosmos", "kernel.elf")
PEER_PROJECT_DIR = os.path.join(ROOT, "tests", "bench", "RuntimeBench", "Peer")
PEER_PUBLISH_DIR = os.path.join(PEER_PROJECT_DIR, "bin", "Release", "publish")
PEER_PROGRAM = os.path.join(PEER_PUBLISH_DIR, "runtime-bench")
BUILD_TARGETS = os.path.join(ROOT, "Cosmos", "Cosmos.Build", "build", "Cosmos.Build.targets")

# The kernel's heap is the largest usable range less the kernel image and a page-frame pool (Cosmos.Core's
# PhysicalMemory): 84 MiB of guest memory gives a 66.2 MiB heap, 64 MiB for the benchmark plus the ~2.5 MiB the
# kernel itself holds at start. The peer's NativeAOT GC gets System.GC.HeapHardLimit = 64 MiB (in its project).
KERNEL_MEMORY = "84M"
KERNEL_TIMEOUT = 300
PEER_TIMEOUT = 300
# QEMU exits with 2*16+1 when the kernel has printed every figure.
KERNEL_DONE_STATUS = 33


def parse_results(output):
    """RESULT name value lines -> {name: float}; RESULT-END must be there."""
    values = {}
    ended = False
    for line in output.replace("\r", "").splitlines():
        if line == "RESULT-END":
            ended = True
        elif line.startswith("RESULT "):
            parts = line.split()
            if len(parts) == 3:
                values[parts[1]] = float(parts[2])
    return values, ended


def kernel_results():
    """One boot of the RuntimeBench kernel: its RESULT figures."""
    subprocess.run(["dotnet", "build", KERNEL_PROJECT, "-nologo", "-v:quiet"], check=True, stdout=subprocess.DEVNULL)
    command = ["timeout", "-k", "5", str(KERNEL_TIMEOUT), "qemu-system-x86_64", "-accel", "tcg", "-cpu", "max",
               "-m", KERNEL_MEMORY, "-smp", "1", "-display", "none", "-serial", "stdio", "-no-reboot", "-nic", "none",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", KERNEL_ELF]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    values, ended = parse_results(result.stdout)
    if result.returncode != KERNEL_DONE_STATUS or not ended:
        raise RuntimeError(f"RuntimeBench kernel exited {result.returncode} before RESULT-END; "
                           f"serial output ends: {result.stdout[-1500:]!r}")
    return values


def ilc_version_pinned():
    """The ILCompiler version the kernel build pins (Cosmos.Build.targets' CosmosIlcVersion)."""
    with open(BUILD_TARGETS) as targets:
        return re.search(r"<CosmosIlcVersion>([^<]+)</CosmosIlcVersion>", targets.read()).group(1)


def publish_peer():
    """dotnet publish of the peer for linux-x64 with NativeAOT; checks it used the kernel's ILCompiler version."""
    subprocess.run(["dotnet", "publish", PEER_PROJECT_DIR, "-nologo", "-v:quiet", "-c", "Release", "-r", "linux-x64",
                    "-o", PEER_PUBLISH_DIR], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(PEER_PROJECT_DIR, "obj", "project.assets.json")) as assets:
        used = sorted(set(re.findall(r'"runtime\.linux-x64\.Microsoft\.DotNet\.ILCompiler/([^"]+)"', assets.read())))
    pinned = ilc_version_pinned()
    if used != [pinned]:
        raise RuntimeError(f"the peer was compiled by ILCompiler {used}, the kernel by {pinned}")
    return pinned


def peer_results(peer_dir, peer_scripts):
    """One run of the published peer inside the Linux guest: its RESULT figures."""
    run_extra = os.path.join(peer_scripts, "run-extra.sh")
    if not os.path.exists(run_extra):
        raise RuntimeError(f"{run_extra} not found")
    environment = dict(os.environ, PEER_DIR=peer_dir, PEER_TIMEOUT=str(PEER_TIMEOUT))
    result = subprocess.run(["bash", run_extra, PEER_PROGRAM], capture_output=True, text=True, errors="replace",
                            env=environment, timeout=PEER_TIMEOUT + 120)
    values, ended = parse_results(result.stdout)
    if not ended or "EXTRA-END rc=0" not in result.stdout:
        raise RuntimeError(f"the peer program did not finish (run-extra.sh exit {result.returncode}); "
                           f"output ends: {result.stdout[-1500:]!r} {result.stderr[-500:]!r}")
    return values


def median_results(runs, measure):
    samples = {}
    for _ in range(runs):
        for name, value in measure().items():
            samples.setdefault(name, []).append(value)
    return {name: statistics.median(values) for name, values in samples.items()}


# (label, RESULT name, unit, better, target for ours/peer)
FIGURES = [
    ("allocation, 32-byte objects", "alloc-objects-per-second", "objects/s", "higher", 0.5),
    ("GC.Collect() pause, median of 10", "gc-pause-ms-median", "ms", "lower", None),
    ("GC.Collect() pause, max of 10", "gc-pause-ms-max", "ms", "lower", 3.0),
    ("  max as the runtime reports it (PauseDurations[0])", "gc-reported-pause-ms-max", "ms", "lower", None),
    ("context switch (SemaphoreSlim ping-pong, round trip / 2)", "switch-microseconds", "us", "lower", 2.0),
]


def print_section(ours, peer, runs, peer_note):
    mib = 1 << 20
    print(f"Runtime figures: RuntimeBench kernel (-m {KERNEL_MEMORY}) beside the same C# as NativeAOT linux-x64 "
          f"in the Linux peer ({runs} run(s) each; median)")
    print(f"  {'':<58} {'ours':>14} {'peer':>14} {'ours/peer':>10}")

    def number(value):
        return f"{value:14,.0f}" if abs(value) >= 10000 else f"{value:14,.2f}"

    def row(label, our_value, peer_value, unit, ratio_text=""):
        theirs = number(peer_value) if peer_value is not None else f"{'-':>14}"
        print(f"  {label:<58} {number(our_value)} {theirs} {ratio_text:>10} {unit}")

    row("GC heap (GCMemoryInfo.TotalAvailableMemoryBytes)", ours["gc-heap-total-bytes"] / mib,
        peer["gc-heap-total-bytes"] / mib if peer else None, "MiB")
    row("live objects during the pauses", ours["gc-live-objects"], peer["gc-live-objects"] if peer else None, "")
    row("heap in use after collecting them", ours["gc-heap-size-bytes"] / mib,
        peer["gc-heap-size-bytes"] / mib if peer else None, "MiB")
    for label, name, unit, better, target in FIGURES:
        our_value = ours[name]
        if not peer:
            row(label, our_value, None, unit)
            continue
        peer_value = peer[name]
        ratio = our_value / peer_value
        verdict = ""
        if target is not None:
            met = ratio >= target if better == "higher" else ratio <= target
            verdict = f"  (target {'>=' if better == 'higher' else '<='} {target}x: {'met' if met else 'MISSED'})"
        row(label, our_value, peer_value, unit + verdict, f"{ratio:9.2f}x")
    row("collections during the allocation run", ours["alloc-collections"],
        peer["alloc-collections"] if peer else None, "")
    row("time the collector paused them (GC.GetTotalPauseDuration)", ours.get("alloc-gc-pause-ms"),
        peer.get("alloc-gc-pause-ms") if peer else None, "ms")
    row("context switches the OS counted per round trip", ours.get("switch-os-count", 0) / ours["switch-round-trips"],
        peer.get("switch-os-count", 0) / peer["switch-round-trips"] if peer else None, "")
    if peer_note:
        print(f"  {peer_note}")


def runtime_section(runs, with_peer, peer_dir, peer_scripts):
    ours = median_results(runs, kernel_results)
    peer, note = None, "Linux peer: not measured (skipped, --no-peer)"
    if with_peer:
        try:
            version = publish_peer()
            peer = median_results(runs, lambda: peer_results(peer_dir, peer_scripts))
            note = (f"Linux peer: ILCompiler {version}, workstation GC, System.GC.HeapHardLimit=64 MiB, "
                    f"guest {os.environ.get('PEER_MEM', '1G')} -cpu max -smp 1 (run-extra.sh)")
        except (RuntimeError, subprocess.SubprocessError, OSError) as error:
            note = f"Linux peer: not measured ({error})"
    print_section(ours, peer, runs, note)
