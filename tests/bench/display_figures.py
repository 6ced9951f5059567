"""Display figures (issue 7 item 5): full-screen flushes per second at the preferred mode, console scroll
throughput (lines per second, every line a scroll) and keystroke-to-screen latency through QMP, for CosmosKernel
(the shell's `fbbench`, typed on the serial line; flushes alone and with the whole framebuffer filled before each)
and for the Linux peer (its Debian kernel with virtio_gpu and
fbcon; tests/bench/peer/drmflush.c does the DRM flushes and the tty writes) on the same QEMU command line:
-vga none, virtio-gpu-pci (so screendump shows the GPU's scanout), virtio-keyboard-pci and a QMP socket.

Keystroke latency: with the screen at rest, take a screendump, send one key with QMP send-key and take
screendumps back to back until one differs from the first outside the rows where the cursor blinks (learnt by
watching the screen at rest for 1.5 s). The latency is the time from sending the key to the end of that
screendump, so it is an upper bound; the poll interval (one screendump's duration) is printed beside it."""
import os, shutil, socket, json, statistics, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_PROJECT = os.path.join(ROOT, "CosmosKernel", "CosmosKernel.csproj")
KERNEL_ELF = os.path.join(ROOT, "CosmosKernel", "bin", "Debug", "cosmos", "kernel.elf")
PEER_SOURCE = os.path.join(ROOT, "tests", "bench", "peer", "drmflush.c")
FLUSHES, LINES, KEYS = 200, 300, 20
KEY_NAMES = [chr(ord("a") + i % 26) for i in range(KEYS)]
TIMEOUT = 300
DEVICES = ["-vga", "none", "-device", "virtio-gpu-pci", "-device", "virtio-keyboard-pci"]
QEMU = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "512M", "-smp", "1", "-display", "none",
        "-serial", "stdio", "-no-reboot", "-nic", "none"]
# The peer's modules for the display, in dependency order (resolved from each module's .modinfo depends=).
PEER_WANTED = ["virtio_pci", "virtio_gpu", "virtio_input"]
PEER_INIT = f"""#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev 2>/dev/null
while read m; do insmod /lib/modules/display/$m.ko || echo "PEER-WARN insmod $m failed"; done < /etc/display-modules
n=0; while [ ! -e /dev/dri/card0 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done
echo 0 > /sys/class/graphics/fbcon/cursor_blink 2>/dev/null || echo "PEER-WARN fbcon cursor_blink"
cat /sys/class/graphics/fb0/virtual_size 2>/dev/null | sed 's/^/PEER-FB /'
/bin/drmflush scroll {LINES} /dev/tty1
/bin/drmflush flush {FLUSHES}
setsid sh -c 'exec sh -i </dev/tty1 >/dev/tty1 2>&1' &
sleep 2
echo "PEER-WAIT keys"
sleep 3600
"""


class Qmp:
    """Just enough QMP: capabilities, then commands answered in order (events are skipped)."""

    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no QMP socket at {path}")
                time.sleep(0.2)
        self.sock.settimeout(60)
        self.file = self.sock.makefile("rb")
        self.file.readline()   # the greeting
        self.execute("qmp_capabilities")

    def execute(self, command, **arguments):
        self.sock.sendall(json.dumps({"execute": command, "arguments": arguments}).encode() + b"\n")
        while True:
            reply = json.loads(self.file.readline())
            if "error" in reply:
                raise RuntimeError(f"QMP {command}: {reply['error']}")
            if "return" in reply:
                return reply["return"]

    def close(self):
        self.sock.close()


def read_ppm(path):
    """(width, height, rows as bytes) of a binary PPM (P6, maxval 255) as QEMU's screendump writes it."""
    with open(path, "rb") as f:
        data = f.read()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    at += 1
    if fields[0] != b"P6" or fields[3] != b"255":
        raise RuntimeError(f"{path}: not a P6 PPM with maxval 255")
    width, height = int(fields[1]), int(fields[2])
    stride = width * 3
    return width, height, [data[at + y * stride: at + (y + 1) * stride] for y in range(height)]


class Screen:
    """Screendumps to a file in /dev/shm (or the temporary directory) through QMP."""

    def __init__(self, qmp, work):
        self.qmp = qmp
        folder = "/dev/shm" if os.path.isdir("/dev/shm") else work
        self.path = os.path.join(folder, f"cosmos-dbench-{os.getpid()}.ppm")
        self.durations = []

    def dump(self):
        start = time.monotonic()
        self.qmp.execute("screendump", filename=self.path)
        image = read_ppm(self.path)
        self.durations.append(time.monotonic() - start)
        return image

    def remove(self):
        if os.path.exists(self.path):
            os.unlink(self.path)


def changed_rows(before, after):
    return {y for y, (a, b) in enumerate(zip(before[2], after[2])) if a != b}


def keystroke_latencies(qmp, screen):
    """Median and max milliseconds from send-key to a screendump showing the character, over KEYS keys."""
    # The rows that change with nothing typed are the cursor's blink: learn them, then ignore them.
    rest = screen.dump()
    blinking, until = set(), time.monotonic() + 1.5
    while time.monotonic() < until:
        blinking |= changed_rows(rest, screen.dump())
    latencies = []
    for key in KEY_NAMES:
        before = screen.dump()
        sent = time.monotonic()
        qmp.execute("send-key", keys=[{"type": "qcode", "data": key}])
        while True:
            now_image = screen.dump()
            done = time.monotonic()
            if changed_rows(before, now_image) - blinking:
                latencies.append((done - sent) * 1000)
                break
            if done - sent > 10:
                raise RuntimeError(f"key {key!r}: nothing new on the screen after 10 s")
        time.sleep(0.3)   # send-key releases the key after 100 ms; let the screen settle before the next one
    return latencies


def start_qemu(command, work):
    socket_path = os.path.join(work, "qmp.sock")
    full = ["timeout", "-k", "5", str(TIMEOUT)] + command + DEVICES + ["-qmp", f"unix:{socket_path},server=on,wait=off"]
    process = subprocess.Popen(full, stdout=subprocess.PIPE, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return process, socket_path


class Serial:
    """QEMU's serial output, read as it comes: the shell's prompt ends without a newline."""

    def __init__(self, process):
        self.process, self.pending, self.log = process, "", []

    def read_until(self, marker, deadline, unfinished=False):
        """The first line holding `marker` (with `unfinished`, a line not yet ended counts: the prompt);
        every finished line is kept in `log`."""
        while True:
            while "\n" in self.pending:
                line, self.pending = self.pending.split("\n", 1)
                self.log.append(line)
                if marker in line:
                    return line
            if unfinished and marker in self.pending:
                line, self.pending = self.pending, ""
                self.log.append(line)
                return line
            if time.monotonic() > deadline:
                break
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                break
            self.pending += chunk.decode(errors="replace").replace("\r", "")
        raise RuntimeError(f"no {marker!r} on the serial line; it ends: {(self.log + [self.pending])[-8:]}")


def stop(process, qmp):
    try:
        if qmp:
            qmp.execute("quit")
    except (OSError, RuntimeError, ValueError):
        pass
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def ours_run(work):
    """One boot of CosmosKernel: {figure: value} and the mode."""
    process, socket_path = start_qemu(QEMU + ["-kernel", KERNEL_ELF], work)
    qmp, serial, deadline = None, Serial(process), time.monotonic() + TIMEOUT
    try:
        serial.read_until("cosmos> ", deadline, unfinished=True)
        qmp = Qmp(socket_path)
        process.stdin.write(f"fbbench {FLUSHES} {LINES}\r".encode())
        process.stdin.flush()
        flush = serial.read_until("#FBBENCH flush", deadline).split()
        fill = serial.read_until("#FBBENCH fillflush", deadline).split()
        scroll = serial.read_until("#FBBENCH scroll", deadline).split()
        serial.read_until("cosmos> ", deadline, unfinished=True)
        time.sleep(1)
        screen = Screen(qmp, work)
        try:
            latencies = keystroke_latencies(qmp, screen)
        finally:
            screen.remove()
        return {"mode": flush[2], "flush": int(flush[3]) / float(flush[4]), "fillflush": int(fill[3]) / float(fill[4]),
                "scroll": int(scroll[3]) / float(scroll[4]),
                "scroll_mode": scroll[2], "scrolls": int(scroll[5]), "scroll_lines": int(scroll[3]),
                "key_median": statistics.median(latencies), "key_max": max(latencies),
                "poll": statistics.median(screen.durations) * 1000}
    finally:
        stop(process, qmp)


def module_index(extract):
    modules = {}
    for folder, _, files in os.walk(os.path.join(extract, "lib", "modules")):
        for name in files:
            if name.endswith(".ko"):
                modules[name[:-3].replace("-", "_")] = os.path.join(folder, name)
    return modules


def module_depends(path):
    """The module's .modinfo depends= list (what `modinfo -F depends` prints), read with objcopy."""
    section = subprocess.run(["objcopy", "-O", "binary", "--only-section=.modinfo", path, "/dev/stdout"],
                             capture_output=True, check=True).stdout
    for field in section.split(b"\0"):
        if field.startswith(b"depends="):
            return [name.replace("-", "_") for name in field[len(b"depends="):].decode().split(",") if name]
    return []


def module_order(extract, wanted):
    """`wanted` and everything they depend on, each after its dependencies."""
    modules, order = module_index(extract), []

    def visit(name):
        if name in order:
            return
        if name not in modules:
            raise RuntimeError(f"module {name} is not in {extract}")
        for dependency in module_depends(modules[name]):
            visit(dependency)
        order.append(name)

    for name in wanted:
        visit(name)
    return [(name, modules[name]) for name in order]


def peer_initramfs(peer_dir, peer_scripts, work):
    """The peer's initramfs tree with the display modules, drmflush and an /init that runs the display figures."""
    root = os.path.join(peer_dir, "initramfs-root")
    if not os.path.isdir(root) or not os.path.isdir(os.path.join(peer_dir, "extract")):
        subprocess.run(["bash", os.path.join(peer_scripts, "build.sh")], env=dict(os.environ, PEER_DIR=peer_dir),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800, check=True)
    tree = os.path.join(work, "root")
    subprocess.run(["cp", "-a", root, tree], check=True)   # it holds device nodes: copy them as nodes
    folder = os.path.join(tree, "lib", "modules", "display")
    os.makedirs(folder)
    order = module_order(os.path.join(peer_dir, "extract"), PEER_WANTED)
    for name, path in order:
        shutil.copy(path, os.path.join(folder, name + ".ko"))
    with open(os.path.join(tree, "etc", "display-modules"), "w") as f:
        f.write("".join(name + "\n" for name, _ in order))
    if not os.path.exists("/usr/include/libdrm/drm_mode.h"):
        raise RuntimeError("no DRM uapi headers in /usr/include/libdrm for drmflush.c (libdrm-dev; ./cosmos setup installs it)")
    subprocess.run(["gcc", "-O2", "-Wall", "-static", "-I/usr/include/libdrm", "-o", os.path.join(tree, "bin", "drmflush"), PEER_SOURCE],
                   check=True)
    with open(os.path.join(tree, "init"), "w") as f:
        f.write(PEER_INIT)
    os.chmod(os.path.join(tree, "init"), 0o755)
    image = os.path.join(work, "display.cpio.gz")
    subprocess.run(f"cd '{tree}' && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet | gzip -1 -n > '{image}'",
                   shell=True, check=True)
    return image, [name for name, _ in order]


def peer_run(peer_dir, image, work):
    """One boot of the peer: {figure: value} and the mode."""
    command = QEMU + ["-kernel", os.path.join(peer_dir, "vmlinuz"), "-initrd", image, "-append", "console=ttyS0 quiet"]
    process, socket_path = start_qemu(command, work)
    qmp, serial, deadline = None, Serial(process), time.monotonic() + TIMEOUT
    log = serial.log
    try:
        qmp = Qmp(socket_path)
        scroll = serial.read_until("RESULT fbcon_scroll", deadline).split()
        flush = serial.read_until("RESULT drm_flush", deadline).split()
        fill = serial.read_until("RESULT drm_fillflush", deadline).split()
        serial.read_until("PEER-WAIT keys", deadline)
        screen = Screen(qmp, work)
        try:
            rest = screen.dump()
            latencies = keystroke_latencies(qmp, screen)
        finally:
            screen.remove()
        fb = next((line.split()[1] for line in log if line.startswith("PEER-FB ")), None)
        return {"mode": flush[2], "flush": int(flush[3]) / float(flush[4]), "fillflush": int(fill[3]) / float(fill[4]),
                "scroll": int(scroll[2]) / float(scroll[3]),
                "scroll_mode": f"{rest[0]}x{rest[1]}" + (f" (fb0 virtual {fb.replace(',', 'x')})" if fb else ""),
                "scroll_lines": int(scroll[2]), "key_median": statistics.median(latencies), "key_max": max(latencies),
                "poll": statistics.median(screen.durations) * 1000,
                "warnings": [line for line in log if line.startswith("PEER-WARN")]}
    finally:
        stop(process, qmp)


def combine(runs):
    """Medians over runs of each figure; the max of the per-run latency maxima."""
    result = dict(runs[0])
    for key in ("flush", "fillflush", "scroll", "key_median", "poll"):
        result[key] = statistics.median(run[key] for run in runs)
    result["key_max"] = max(run["key_max"] for run in runs)
    return result


def display_section(runs, with_peer, peer_dir, peer_scripts):
    subprocess.run(["dotnet", "build", KERNEL_PROJECT, "-nologo", "-v:quiet"], check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="cosmos-dbench-")
    try:
        ours = combine([ours_run(work) for _ in range(runs)])
        peer, note = None, "skipped (--no-peer)"
        if with_peer:
            try:
                image, modules = peer_initramfs(peer_dir, peer_scripts, work)
                peer = combine([peer_run(peer_dir, image, work) for _ in range(runs)])
                note = "Debian kernel, modules " + " ".join(modules)
            except (OSError, subprocess.SubprocessError, RuntimeError) as error:
                note = f"not measured: {error}"
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"Display: virtio-gpu-pci + virtio-keyboard-pci, -vga none ({runs} boots each side; median)")
    print(f"  ours: CosmosKernel shell `fbbench {FLUSHES} {LINES}` on the serial line; {KEYS} keys through QMP send-key")
    print(f"  peer: {note}")
    if peer:
        print(f"  peer: tests/bench/peer/drmflush.c: dumb buffer + ADDFB + SETCRTC, DIRTYFB (one full-screen clip) x {FLUSHES},"
              f" then fill + DIRTYFB x {FLUSHES};"
              f" {LINES} lines written to /dev/tty1 (fbcon) after filling its screen; keys echoed by sh on tty1")
        for warning in peer.get("warnings", []):
            print(f"  peer: {warning}")
    rows = [
        ("full-screen flushes at the preferred mode", "flush", "flushes/s", True, "mode"),
        ("the same, whole screen filled before each", "fillflush", "flushes/s", True, "mode"),
        ("console scroll (every line a scroll)", "scroll", "lines/s", True, "scroll_mode"),
        ("keystroke -> screen, median", "key_median", "ms", False, None),
        ("keystroke -> screen, max", "key_max", "ms", False, None),
    ]
    for label, key, unit, higher_is_better, mode_key in rows:
        line = f"  {label:<42} ours {ours[key]:8.1f} {unit:<9}"
        if mode_key:
            line += f" {ours[mode_key]:<10}"
        else:
            line += f" {'':<10}"
        if peer:
            ratio = ours[key] / peer[key] if higher_is_better else peer[key] / ours[key]
            line += f" peer {peer[key]:8.1f} {unit:<9}"
            line += f" {peer[mode_key] if mode_key else '':<10}"
            line += f" ratio {ratio:5.2f}x " + ("(ours/peer, higher is better)" if higher_is_better else "(peer/ours, higher is better for ours)")
        print(line)
    print(f"  keystroke latency: send-key to the end of the first screendump showing the character, {KEYS} keys per boot;"
          f" poll interval (one screendump) ours {ours['poll']:.0f} ms" + (f", peer {peer['poll']:.0f} ms" if peer else ""))
    print(f"  ours: the console scrolled {ours['scrolls']} times during the {ours['scroll_lines']} timed lines (last boot); the peer's fbcon draws into"
          " its fbdev shadow buffer and flushes to the host from a worker, ours flushes each line before the write returns")
