#!/usr/bin/env python3
"""CosmosKernel figures (issue 2): clean build time, no-change rebuild time, kernel.elf size with
and without debug information, and QEMU start -> shell prompt through PVH (-kernel) and through the
ISO (GRUB), each the median of N runs, beside the Linux-guest peer's boot (the same QEMU, -cpu max,
512 MiB, no devices) measured in the same run; virtio-blk and FAT32 figures (issue 3); runtime figures
(issue 5: allocation rate, GC pauses, context switches) beside the same C# compiled by NativeAOT for
linux-x64 and run in the peer (runtime_figures.py); network figures (issue 6, net_figures.py); display figures
(issue 7: full-screen flushes, console scroll, keystroke-to-screen latency) beside the peer's virtio-gpu DRM and
fbcon (display_figures.py). A benchmark, not a test: it prints figures."""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

import display_figures
import net_figures
import runtime_figures

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_PROJECT = os.path.join(ROOT, "CosmosKernel", "CosmosKernel.csproj")
OUT = os.path.join(ROOT, "CosmosKernel", "bin", "Debug", "cosmos")
PROMPT = b"cosmos> "
QEMU = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512M", "-smp", "1", "-display", "none",
        "-serial", "stdio", "-no-reboot", "-nic", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
PEER_DIR = os.environ.get("PEER_DIR", "/tmp/linux-peer")
PEER_SCRIPTS = os.path.join(os.path.dirname(ROOT), "shared", "bench", "linux-peer")


def timed(command, **kwargs):
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.monotonic() - start


def clean_build_outputs():
    for project in ["CosmosKernel", "Plugs", "Cosmos/Cosmos.Core", "Cosmos/Cosmos.HAL2", "Cosmos/Cosmos.System2", "Cosmos/Cosmos.Build"]:
        for folder in ("bin", "obj"):
            shutil.rmtree(os.path.join(ROOT, project, folder), ignore_errors=True)


def time_to_marker(command, marker, timeout):
    """Seconds from starting QEMU until `marker` appears on its serial output."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    seen = b""
    try:
        while True:
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"no {marker!r} within {timeout} s; output: {seen[-300:]!r}")
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError(f"QEMU ended before {marker!r}; output: {seen[-300:]!r}")
            seen += chunk
            if marker in seen:
                return time.monotonic() - start
    finally:
        process.kill()
        process.wait()


def median_of(runs, function):
    values = [function() for _ in range(runs)]
    return statistics.median(values), min(values), max(values)


VIRTIO_KERNEL = os.path.join(ROOT, "tests", "Kernels", "VirtioTests")


def virtqueue_figures(disk, fat_disk, runs):
    """GET_ID round trips (interrupt-driven and polled), 4 KiB random reads at QD1 and QD32, sequential
    1 MiB reads, and (with the peer's FAT32 image as a second disk) its 64 MiB file and 1,000 small files
    read through System.IO, from the VirtioTests kernel's `test=bench`; each the median of `runs` boots."""
    subprocess.run(["dotnet", "build", os.path.join(VIRTIO_KERNEL, "VirtioTests.csproj"), "-nologo"], check=True, stdout=subprocess.DEVNULL)
    command = QEMU + ["-kernel", os.path.join(VIRTIO_KERNEL, "bin", "Debug", "cosmos", "kernel.elf"), "-append", "test=bench",
                      "-drive", f"file={disk},if=none,id=d0,format=raw,cache=writeback,readonly=on", "-device", "virtio-blk-pci,drive=d0"]
    if fat_disk:
        command += ["-drive", f"file={fat_disk},if=none,id=d1,format=raw,cache=writeback,readonly=on", "-device", "virtio-blk-pci,drive=d1"]
    samples = {}
    for _ in range(runs):
        output = subprocess.run(["timeout", "120"] + command, capture_output=True, text=True).stdout
        for line in output.splitlines():
            if line.startswith("#BENCH "):
                _, name, count, seconds = line.split()
                samples.setdefault(name, []).append(float(count) / float(seconds))
            elif line.startswith("#BENCH-ERROR"):
                raise RuntimeError(line)
    return {name: statistics.median(values) for name, values in samples.items()}


def peer_block_results(runs):
    """The peer's block and FAT figures with both disks at cache=writeback (sequential 1 MiB reads, 4 KiB
    random reads at QD1 by peerbench, the FAT32 64 MiB file and 1,000 small files): RESULT name -> median."""
    command = QEMU[:-2] + ["-kernel", os.path.join(PEER_DIR, "vmlinuz"), "-initrd", os.path.join(PEER_DIR, "initramfs.cpio.gz"),
                          "-append", "console=ttyS0 quiet"]
    for index, image in enumerate(("disk-raw.img", "disk-fat.img")):
        command += ["-drive", f"file={os.path.join(PEER_DIR, image)},if=none,id=d{index},format=raw,cache=writeback,readonly=on",
                    "-device", f"virtio-blk-pci,drive=d{index}"]
    values = {}
    for _ in range(runs):
        output = subprocess.run(["timeout", "300"] + command, capture_output=True, text=True).stdout
        for line in output.replace("\r", "").splitlines():
            if line.startswith("RESULT "):
                name, value = line[len("RESULT "):].split("=", 1)
                values.setdefault(name, []).append(float(value.split()[0]))
    return {name: statistics.median(v) for name, v in values.items()}


def peer_boot(runs):
    vmlinuz = os.path.join(PEER_DIR, "vmlinuz")
    if not os.path.exists(vmlinuz):
        build = os.path.join(PEER_SCRIPTS, "build.sh")
        if not os.path.exists(build):
            return None, f"peer scripts not found at {PEER_SCRIPTS}"
        result = subprocess.run(["bash", build], env=dict(os.environ, PEER_DIR=PEER_DIR),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0 or not os.path.exists(vmlinuz):
            return None, "peer build failed: " + result.stderr.strip()[-300:]
    command = QEMU[:-2] + ["-kernel", vmlinuz, "-initrd", os.path.join(PEER_DIR, "initramfs.cpio.gz"),
                          "-append", "console=ttyS0 quiet"]
    return median_of(runs, lambda: time_to_marker(command, b"PEER-READY", 120)), None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-peer", action="store_true", help="skip the Linux-guest peer")
    parser.add_argument("--runtime-runs", type=int, default=1,
                        help="boots of the runtime benchmark on each side (each already repeats its measurements)")
    parser.add_argument("--runtime-only", action="store_true", help="only the runtime figures (issue 5)")
    parser.add_argument("--net-only", action="store_true", help="only the network figures (issue 6)")
    parser.add_argument("--net-runs", type=int, default=3, help="boots of the network benchmark")
    parser.add_argument("--display-only", action="store_true", help="only the display figures (issue 7)")
    parser.add_argument("--display-runs", type=int, default=3, help="boots of the display benchmark on each side")
    args = parser.parse_args()

    if args.net_only:
        net_figures.net_section(args.net_runs, not args.no_peer, PEER_DIR, PEER_SCRIPTS)
        return 0
    if args.display_only:
        display_figures.display_section(args.display_runs, not args.no_peer, PEER_DIR, PEER_SCRIPTS)
        return 0
    if not args.runtime_only:
        build_boot_and_virtio_sections(args)
    runtime_figures.runtime_section(args.runtime_runs, not args.no_peer, PEER_DIR, PEER_SCRIPTS)
    if not args.runtime_only:
        net_figures.net_section(args.net_runs, not args.no_peer, PEER_DIR, PEER_SCRIPTS)
        display_figures.display_section(args.display_runs, not args.no_peer, PEER_DIR, PEER_SCRIPTS)
    return 0


def build_boot_and_virtio_sections(args):
    """Build, size and boot figures (issue 2), then virtio-blk and FAT32 figures (issue 3)."""
    rows = []
    clean_build_outputs()
    rows.append(("clean build (dotnet build, packages cached)", timed(["dotnet", "build", KERNEL_PROJECT, "-nologo"]), "s"))
    rows.append(("no-change rebuild", timed(["dotnet", "build", KERNEL_PROJECT, "-nologo"]), "s"))

    elf = os.path.join(OUT, "kernel.elf")
    with tempfile.TemporaryDirectory() as scratch:
        stripped = os.path.join(scratch, "kernel.stripped.elf")
        subprocess.run(["strip", "--strip-debug", "-o", stripped, elf], check=True)
        rows.append(("kernel.elf with debug information", os.path.getsize(elf) / 1024, "KiB"))
        rows.append(("kernel.elf stripped of debug information", os.path.getsize(stripped) / 1024, "KiB"))

    pvh = median_of(args.runs, lambda: time_to_marker(QEMU + ["-kernel", elf], PROMPT, 60))
    iso = median_of(args.runs, lambda: time_to_marker(QEMU + ["-cdrom", os.path.join(OUT, "kernel.iso")], PROMPT, 120))

    print(f"CosmosKernel figures ({args.runs} boots each; median [min-max])")
    for name, value, unit in rows:
        print(f"  {name:<48} {value:10.1f} {unit}")
    print(f"  {'QEMU start -> shell prompt, PVH -kernel':<48} {pvh[0]:10.3f} s  [{pvh[1]:.3f}-{pvh[2]:.3f}]")
    print(f"  {'QEMU start -> shell prompt, ISO via GRUB':<48} {iso[0]:10.3f} s  [{iso[1]:.3f}-{iso[2]:.3f}]")
    peer, error = (None, "skipped (--no-peer)") if args.no_peer else peer_boot(args.runs)
    if peer is None:
        print(f"  Linux peer: not measured ({error})")
    else:
        print(f"  {'Linux peer: QEMU start -> PEER-READY':<48} {peer[0]:10.3f} s  [{peer[1]:.3f}-{peer[2]:.3f}]")
        print(f"  {'ratio peer / CosmosKernel (PVH boot)':<48} {peer[0] / pvh[0]:10.1f} x")
        print(f"  {'ratio peer / CosmosKernel (ISO boot)':<48} {peer[0] / iso[0]:10.1f} x")

    # Virtqueue round trips on virtio-blk (issue 3): the peer's disk when it exists, else a blank one.
    disk = os.path.join(PEER_DIR, "disk-raw.img")
    scratch = None
    if not os.path.exists(disk):
        scratch = tempfile.NamedTemporaryFile(suffix=".img", delete=False)
        scratch.truncate(256 << 20)
        scratch.close()
        disk = scratch.name
    fat_disk = os.path.join(PEER_DIR, "disk-fat.img")
    try:
        figures = virtqueue_figures(disk, fat_disk if os.path.exists(fat_disk) else None, args.runs)
    finally:
        if scratch:
            os.unlink(scratch.name)
    units = {"seqread1m-mib": "MiB/s", "fat-big-read-mib": "MiB/s", "fat-small-files": "files/s"}
    print(f"virtio-blk and FAT32 through System.IO ({args.runs} boots each; median)")
    for name, rate in sorted(figures.items()):
        print(f"  {name:<48} {rate:10.0f} {units.get(name, 'requests/s')}")
    if peer is not None:
        peer_results = peer_block_results(args.runs)
        qd1 = next((rate for name, rate in figures.items() if name.startswith("randread4k")), None)
        qd32 = next((rate for name, rate in figures.items() if name.startswith("qd32-randread4k")), None)
        comparisons = [
            ("4 KiB random read QD1 (peerbench)", qd1, "blk_rand4k_qd1", "requests/s"),
            ("4 KiB random read QD32 vs peer QD1", qd32, "blk_rand4k_qd1", "requests/s"),
            ("sequential 1 MiB reads (dd O_DIRECT)", figures.get("seqread1m-mib"), "blk_seq_read", "MiB/s"),
            ("FAT32 64 MiB file read", figures.get("fat-big-read-mib"), "fat_big_read", "MiB/s"),
            ("FAT32 1,000 x 4 KiB files", figures.get("fat-small-files"), "fat_small_files", "files/s"),
        ]
        for label, ours, peer_name, unit in comparisons:
            theirs = peer_results.get(peer_name)
            if ours and theirs:
                print(f"  {'Linux peer: ' + label:<58} {theirs:10.1f} {unit}")
                print(f"  {'ratio ours / peer, ' + label:<58} {ours / theirs:10.2f} x")
            else:
                print(f"  {label}: not compared (ours {ours}, peer {theirs})")


if __name__ == "__main__":
    sys.exit(main())
