"""Network figures (issue 6 item 5): DHCP time, TCP throughput host->guest and guest->host (64 MiB) and TCP
request/response round trips (1,000 echoes of 64 bytes, host client with TCP_NODELAY). Ours from the NetBench
kernel (tests/Kernels/NetBench); the peer's from the Linux peer's own kernel, modules and busybox
($PEER_DIR, made by shared/bench/linux-peer/build.sh) running tests/bench/peer/netpeer.c, which plays NetBench's
three roles. Both boot on the same QEMU command line and netdev (restrict=on, hostfwd on 127.0.0.1:5555), alternately,
and the same host clients time both. The host only ever talks to 127.0.0.1."""
import os, re, shutil, socket, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_PROJECT = os.path.join(ROOT, "tests", "Kernels", "NetBench", "NetBench.csproj")
KERNEL_ELF = os.path.join(ROOT, "tests", "Kernels", "NetBench", "bin", "Debug", "cosmos", "kernel.elf")
LOOP, PORT = "127.0.0.1", 5555
TCP_BYTES = 64 << 20
RR_N, RR_WARM, RR_SIZE = 1000, 20, 64
KERNEL_TIMEOUT = 300
# The peer's netdev, exactly (its bench.py net_args()).
NETDEV = f"user,id=n0,restrict=on,hostfwd=tcp:{LOOP}:{PORT}-:{PORT},hostfwd=udp:{LOOP}:{PORT + 1}-:{PORT + 1}"
PEER_SOURCE = os.path.join(ROOT, "tests", "bench", "peer", "netpeer.c")
# The peer's /init for these figures: its modules, DHCP timed with the clock its own run uses (line 3 of
# /proc/timer_list, ns), then the three roles NetBench plays, each announced with the marker the host waits for.
PEER_INIT = f"""#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev 2>/dev/null
while read m; do insmod /lib/modules/peer/$m.ko || echo "PEER-WARN insmod $m failed"; done < /etc/peer-modules
clk() {{ {{ read _; read _; read _ _ ns _; }} < /proc/timer_list; }}
ip link set lo up; ip link set eth0 up
clk; t0=$ns
if timeout 15 udhcpc -i eth0 -f -q -n -t 5 -T 1 -s /etc/udhcpc.sh >/dev/null 2>&1; then
  clk; echo "PEER-RESULT dhcp_ms=$(( (ns - t0) / 1000000 ))"
else
  echo "PEER-ERROR udhcpc failed"; ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
fi
/bin/netpeer sink {PORT} "PEER-WAIT tcpsink"
/bin/netpeer echo {PORT} "PEER-WAIT tcpecho"
/bin/netpeer source {PORT} {TCP_BYTES} "PEER-WAIT tcpsource"
echo "PEER-END rc=$?"
poweroff -f
"""


def tcp_sink():
    """Host -> guest: send 64 MiB, shut down, wait for the guest's close (the peer's tcp_sink_send)."""
    chunk = os.urandom(1 << 20)
    start = time.monotonic()
    with socket.create_connection((LOOP, PORT), timeout=60) as s:
        for _ in range(TCP_BYTES >> 20):
            s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass
    return TCP_BYTES / (1 << 20) / (time.monotonic() - start)


def tcp_source():
    """Guest -> host: receive until the guest shuts down; 64 MiB expected."""
    start = time.monotonic()
    got = 0
    with socket.create_connection((LOOP, PORT), timeout=60) as s:
        while True:
            data = s.recv(1 << 20)
            if not data:
                break
            got += len(data)
        elapsed = time.monotonic() - start
    if got != TCP_BYTES:
        raise RuntimeError(f"guest->host transfer gave {got} bytes, not {TCP_BYTES}")
    return TCP_BYTES / (1 << 20) / elapsed


def tcp_round_trips():
    """1,000 round trips of 64 bytes after 20 to warm up (the peer's tcp_rr)."""
    with socket.create_connection((LOOP, PORT), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        message = b"r" * RR_SIZE

        def one():
            s.sendall(message)
            got = 0
            while got < RR_SIZE:
                data = s.recv(RR_SIZE - got)
                if not data:
                    raise ConnectionError("the guest closed during the round trips")
                got += len(data)

        for _ in range(RR_WARM):
            one()
        start = time.monotonic()
        for _ in range(RR_N):
            one()
        return RR_N / (time.monotonic() - start)


CLIENTS = {"tcpsink": ("tcp_h2g", tcp_sink), "tcpsource": ("tcp_g2h", tcp_source), "tcpecho": ("tcp_rr", tcp_round_trips)}


def qemu_run(boot, marker_prefix, result_pattern, end_marker, what):
    """Boots `boot` (QEMU arguments) on the peer's netdev, answers each `<marker_prefix><role>` line with the host
    client for that role, takes DHCP from `result_pattern`; {figure: value}."""
    command = ["timeout", "-k", "5", str(KERNEL_TIMEOUT), "qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512M",
               "-smp", "1", "-display", "none", "-serial", "stdio", "-no-reboot", *boot,
               "-netdev", NETDEV, "-device", "virtio-net-pci,netdev=n0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures, log = {}, []
    try:
        for raw in process.stdout:
            line = raw.decode(errors="replace").strip()
            log.append(line)
            dhcp = re.search(result_pattern, line)
            if dhcp:
                figures["dhcp_ms"] = float(dhcp.group(1))
            if line.startswith(marker_prefix):
                name, function = CLIENTS[line[len(marker_prefix):].split()[0]]
                figures[name] = function()
            if "-ERROR" in line or line.startswith(end_marker):
                break
    finally:
        process.wait(timeout=60)
    missing = [name for name, _ in CLIENTS.values() if name not in figures] + ([] if "dhcp_ms" in figures else ["dhcp_ms"])
    if missing:
        raise RuntimeError(f"{what} ended without {missing}; its console ends: {log[-10:]}")
    return figures


def kernel_run():
    """One boot of NetBench (DHCP from the network's log line, in seconds)."""
    figures = qemu_run(["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", KERNEL_ELF],
                       "NETBENCH-WAIT ", r"\[net\] eth0: .*\(dhcp ([0-9.]+) s\)", "RESULT-END", "NetBench")
    figures["dhcp_ms"] *= 1000
    return figures


def peer_initramfs(peer_dir, peer_scripts, work):
    """The peer's initramfs tree (its busybox, modules and udhcpc hook) with netpeer and the /init above."""
    root = os.path.join(peer_dir, "initramfs-root")
    if not os.path.isdir(root):
        subprocess.run(["bash", os.path.join(peer_scripts, "build.sh")], env=dict(os.environ, PEER_DIR=peer_dir),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800, check=True)
    tree = os.path.join(work, "root")
    subprocess.run(["cp", "-a", root, tree], check=True)   # it holds device nodes: copy them as nodes
    subprocess.run(["gcc", "-O2", "-Wall", "-static", "-o", os.path.join(tree, "bin", "netpeer"), PEER_SOURCE], check=True)
    with open(os.path.join(tree, "init"), "w") as f:
        f.write(PEER_INIT)
    os.chmod(os.path.join(tree, "init"), 0o755)
    image = os.path.join(work, "netpeer.cpio.gz")
    subprocess.run(f"cd '{tree}' && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet | gzip -1 -n > '{image}'",
                   shell=True, check=True)
    return image


def peer_run(peer_dir, image):
    """One boot of the Linux peer playing NetBench's roles."""
    return qemu_run(["-kernel", os.path.join(peer_dir, "vmlinuz"), "-initrd", image, "-append", "console=ttyS0 quiet"],
                    "PEER-WAIT ", r"^PEER-RESULT dhcp_ms=([0-9]+)", "PEER-END", "the Linux peer")


def net_section(runs, with_peer, peer_dir, peer_scripts):
    """Ours and the peer's figures, boot by boot alternately (so both see the same machine load), medians."""
    subprocess.run(["dotnet", "build", KERNEL_PROJECT, "-nologo", "-v:quiet"], check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="cosmos-netpeer-")
    ours_samples, peer_samples, peer_note = {}, {}, "skipped (--no-peer)"
    try:
        image = None
        if with_peer:
            try:
                image = peer_initramfs(peer_dir, peer_scripts, work)
                peer_note = f"the Debian kernel of {peer_dir} running tests/bench/peer/netpeer.c, alternate boots"
            except (OSError, subprocess.SubprocessError) as error:
                peer_note = f"not measured: the peer's initramfs could not be made ({error})"
        for _ in range(runs):
            for name, value in kernel_run().items():
                ours_samples.setdefault(name, []).append(value)
            if image:
                try:
                    for name, value in peer_run(peer_dir, image).items():
                        peer_samples.setdefault(name, []).append(value)
                except RuntimeError as error:
                    peer_note = f"a peer boot failed: {error}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours = {name: statistics.median(values) for name, values in ours_samples.items()}
    peer = {name: statistics.median(values) for name, values in peer_samples.items()}
    print(f"Network through System.Net.Sockets, NetBench kernel ({runs} boots; median), peer: {peer_note}")
    rows = [
        ("DHCP (start -> lease)", "dhcp_ms", "ms", False),
        ("TCP host->guest 64 MiB", "tcp_h2g", "MiB/s", True),
        ("TCP guest->host 64 MiB", "tcp_g2h", "MiB/s", True),
        ("TCP 64 B round trips, host client", "tcp_rr", "rt/s", True),
    ]
    for label, key, unit, higher_is_better in rows:
        value = ours[key]
        line = f"  {label:<40} ours {value:10.1f} {unit:<6}"
        theirs = peer.get(key)
        if theirs:
            ratio = value / theirs if higher_is_better else theirs / value
            line += f"  peer {theirs:10.1f}  ratio {ratio:5.2f}x" + ("" if higher_is_better else " (peer time / ours)")
            # Each boot of ours beside the peer's boot right after it: on a loaded machine the pairs drift less than the medians.
            pairs = [(a / b if higher_is_better else b / a) for a, b in zip(ours_samples[key], peer_samples[key]) if a and b]
            line += f"  pairs {' '.join(f'{r:.2f}' for r in pairs)} (median {statistics.median(pairs):.2f}x)"
        elif with_peer:
            line += "  peer: not measured"
        print(line)
    print("  samples, ours / peer: " + "; ".join(f"{key} {[round(v, 1) for v in ours_samples[key]]} / {[round(v, 1) for v in peer_samples.get(key, [])]}"
                                                 for _, key, _, _ in rows))
