"""Network figures (issue 6 item 5): DHCP time, TCP throughput host->guest and guest->host (64 MiB) and TCP
request/response round trips (1,000 echoes of 64 bytes, host client with TCP_NODELAY), from the NetBench kernel
(tests/Kernels/NetBench) on the Linux peer's netdev (restrict=on, hostfwd on 127.0.0.1:5555), host-timed with the
peer's own method, beside the peer's figures from its latest results ($PEER_DIR/results/*.json, made by
shared/bench/linux-peer/run.sh when none exists). The peer's run has no guest->host transfer, so that figure
is measured here: tests/bench/peer/tcpsource.c in the peer's own initramfs (its kernel, modules and DHCP), on the
same QEMU command line and netdev, timed by the same host client as ours. The host only ever talks to 127.0.0.1."""
import glob, json, os, re, shutil, socket, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_PROJECT = os.path.join(ROOT, "tests", "Kernels", "NetBench", "NetBench.csproj")
KERNEL_ELF = os.path.join(ROOT, "tests", "Kernels", "NetBench", "bin", "Debug", "cosmos", "kernel.elf")
LOOP, PORT = "127.0.0.1", 5555
TCP_BYTES = 64 << 20
RR_N, RR_WARM, RR_SIZE = 1000, 20, 64
KERNEL_TIMEOUT = 300
PEER_SOURCE = os.path.join(ROOT, "tests", "bench", "peer", "tcpsource.c")
PEER_INIT = f"""#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev 2>/dev/null
while read m; do insmod /lib/modules/peer/$m.ko || echo "PEER-WARN insmod $m failed"; done < /etc/peer-modules
ip link set lo up; ip link set eth0 up
timeout 15 udhcpc -i eth0 -f -q -n -t 5 -T 1 -s /etc/udhcpc.sh >/dev/null 2>&1 || ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
/bin/tcpsource {PORT} {TCP_BYTES} "PEER-WAIT tcpsource {PORT}"
echo "PEER-END rc=$?"
poweroff -f
"""
# The peer's netdev, exactly (its bench.py net_args()).
NETDEV = f"user,id=n0,restrict=on,hostfwd=tcp:{LOOP}:{PORT}-:{PORT},hostfwd=udp:{LOOP}:{PORT + 1}-:{PORT + 1}"


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


def kernel_run():
    """One boot of NetBench: {figure: value}, DHCP from the network's log line."""
    command = ["timeout", "-k", "5", str(KERNEL_TIMEOUT), "qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512M",
               "-smp", "1", "-display", "none", "-serial", "stdio", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-kernel", KERNEL_ELF, "-netdev", NETDEV, "-device", "virtio-net-pci,netdev=n0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures, log = {}, []
    try:
        for raw in process.stdout:
            line = raw.decode(errors="replace").strip()
            log.append(line)
            dhcp = re.search(r"\[net\] eth0: .*\(dhcp ([0-9.]+) s\)", line)
            if dhcp:
                figures["dhcp_ms"] = float(dhcp.group(1)) * 1000
            if line.startswith("NETBENCH-WAIT "):
                name, function = CLIENTS[line.split()[1]]
                figures[name] = function()
            if line.startswith("NETBENCH-ERROR") or line == "RESULT-END":
                break
    finally:
        process.wait(timeout=60)
    missing = [name for name, _ in CLIENTS.values() if name not in figures]
    if missing:
        raise RuntimeError(f"NetBench ended without {missing}; serial output ends: {log[-10:]}")
    return figures


def peer_g2h_initramfs(peer_dir, peer_scripts, work):
    """The peer's initramfs tree plus tcpsource and an /init that only gets an address and serves the transfer."""
    root = os.path.join(peer_dir, "initramfs-root")
    if not os.path.isdir(root):
        subprocess.run(["bash", os.path.join(peer_scripts, "build.sh")], env=dict(os.environ, PEER_DIR=peer_dir),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800, check=True)
    tree = os.path.join(work, "root")
    subprocess.run(["cp", "-a", root, tree], check=True)   # it holds device nodes: copy them as nodes
    subprocess.run(["gcc", "-O2", "-Wall", "-static", "-o", os.path.join(tree, "bin", "tcpsource"), PEER_SOURCE], check=True)
    with open(os.path.join(tree, "init"), "w") as f:
        f.write(PEER_INIT)
    os.chmod(os.path.join(tree, "init"), 0o755)
    image = os.path.join(work, "g2h.cpio.gz")
    subprocess.run(f"cd '{tree}' && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet | gzip -1 -n > '{image}'",
                   shell=True, check=True)
    return image


def peer_g2h(peer_dir, peer_scripts, runs):
    """Median guest->host MiB/s of the Linux peer over `runs` boots (None, reason when it cannot run)."""
    work = tempfile.mkdtemp(prefix="cosmos-peer-g2h-")
    try:
        image = peer_g2h_initramfs(peer_dir, peer_scripts, work)
        values = []
        for _ in range(runs):
            command = ["timeout", "-k", "5", str(KERNEL_TIMEOUT), "qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512M",
                       "-smp", "1", "-display", "none", "-serial", "stdio", "-no-reboot", "-kernel", os.path.join(peer_dir, "vmlinuz"),
                       "-initrd", image, "-append", "console=ttyS0 quiet", "-netdev", NETDEV, "-device", "virtio-net-pci,netdev=n0"]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            log, value = [], None
            try:
                for raw in process.stdout:
                    line = raw.decode(errors="replace").strip()
                    log.append(line)
                    if line.startswith("PEER-WAIT tcpsource"):
                        value = tcp_source()
                    if line.startswith("PEER-END"):
                        break
            finally:
                process.wait(timeout=60)
            if value is None:
                return None, f"the peer's guest->host run ended without a transfer; its console ends: {log[-5:]}"
            values.append(value)
        return statistics.median(values), f"{runs} boots of tests/bench/peer/tcpsource.c in the peer"
    except (OSError, subprocess.SubprocessError, RuntimeError) as error:
        return None, f"the peer's guest->host run failed: {error}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def peer_figures(peer_dir, peer_scripts, run_peer):
    """Medians of the peer's network results from its newest results JSON (running run.sh first when there is none)."""
    results = sorted(glob.glob(os.path.join(peer_dir, "results", "*.json")))
    if not results and run_peer:
        subprocess.run(["bash", os.path.join(peer_scripts, "run.sh")], env=dict(os.environ, PEER_DIR=peer_dir),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        results = sorted(glob.glob(os.path.join(peer_dir, "results", "*.json")))
    if not results:
        return None, "no results in " + os.path.join(peer_dir, "results")
    with open(results[-1]) as f:
        runs = json.load(f)["runs"]
    samples = {}
    for run in runs:
        for key, (value, _unit) in run["res"].items():
            if key.startswith("net_"):
                samples.setdefault(key, []).append(value)
    return {key: statistics.median(values) for key, values in samples.items()}, os.path.basename(results[-1])


def net_section(runs, with_peer, peer_dir, peer_scripts):
    subprocess.run(["dotnet", "build", KERNEL_PROJECT, "-nologo", "-v:quiet"], check=True, stdout=subprocess.DEVNULL)
    samples = {}
    for _ in range(runs):
        for name, value in kernel_run().items():
            samples.setdefault(name, []).append(value)
    ours = {name: statistics.median(values) for name, values in samples.items()}
    peer, source = peer_figures(peer_dir, peer_scripts, with_peer) if with_peer else (None, "skipped (--no-peer)")
    g2h_note = None
    if with_peer:
        g2h, g2h_note = peer_g2h(peer_dir, peer_scripts, runs)
        if g2h is not None:
            peer = dict(peer or {}, net_tcp_g2h=g2h)
    print(f"Network through System.Net.Sockets, NetBench kernel ({runs} boots; median), peer: {source}")
    if g2h_note:
        print(f"  peer guest->host: {g2h_note}")
    rows = [
        ("DHCP (start -> lease)", "dhcp_ms", "net_dhcp", "ms", False),
        ("TCP host->guest 64 MiB", "tcp_h2g", "net_tcp_h2g_csink", "MiB/s", True),
        ("TCP guest->host 64 MiB", "tcp_g2h", "net_tcp_g2h", "MiB/s", True),
        ("TCP 64 B round trips, host client", "tcp_rr", "net_tcp_rr", "rt/s", True),
    ]
    for label, key, peer_key, unit, higher_is_better in rows:
        value = ours.get(key)
        line = f"  {label:<40} ours {value:10.1f} {unit:<6}"
        theirs = peer.get(peer_key) if peer and peer_key else None
        if theirs:
            ratio = value / theirs if higher_is_better else theirs / value
            line += f"  peer {theirs:10.1f}  ratio {ratio:5.2f}x" + ("" if higher_is_better else " (peer time / ours)")
        elif peer:
            line += "  peer: not measured"
        print(line)
    if peer and "net_tcp_h2g" in peer:
        print(f"  {'(peer, busybox nc as the sink)':<40} {'':<22}  peer {peer['net_tcp_h2g']:10.1f}")
