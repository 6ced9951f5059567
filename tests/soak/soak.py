#!/usr/bin/env python3
"""./cosmos soak [MINUTES]: load and soak CosmosKernel (issue 10, part 4).

Boots the CosmosKernel shell (PVH, -m 512) on a copy of its default disk with virtio-net on QEMU's restricted user
network (hostfwd from 127.0.0.1 only), starts `httpd`, then
  1. serves --requests HTTP requests (10,000 by default) to a host load generator (Python's http.client) on keep-alive
     connections of 100 requests each, --connections (4) of them at a time (httpd serves each connection on a thread of
     its own, up to 8), every body compared with the file on the host;
  2. runs a mixed workload for MINUTES minutes: HTTP requests in the background (README.TXT and ten files the shell
     wrote before the start), and on the serial console files written, hashed, copied and deleted, directories made
     and removed, and pings to the host (each shell command allocates; collections run throughout);
and prints figures: requests served, errors, requests per second, the heap in use (after a collection, `mem -c`)
before and after the workload and their ratio. It fails (exit 1) when any request or command went wrong, the kernel
panicked, or the heap in use grew by more than 10%. Not part of `./cosmos test`.

Memory: `mem -c` collects and prints the heap's live bytes (managed objects plus native allocations: the criterion)
and the bytes of the 64 KiB heap blocks in use (live data plus the free slots of partly used blocks: fragmentation,
reported, not judged). Start and end are measured in the same state: HTTP traffic stopped, then one round of the shell commands, then
`mem -c`. The start follows a warm-up of 2,000 requests and 30 s of the mixed workload: what the kernel keeps once a
code path has run (native memory of the runtime and the stack grows to a plateau in the first minutes, about
+400 KB; see docs/robustness.md) is in the starting level, so that what is compared is growth while the same work
goes on. Each minute of the mixed phase also prints the live memory, sampled while HTTP runs.
"""
import argparse
import hashlib
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_DIR = os.path.join(ROOT, "CosmosKernel", "bin", "Debug", "cosmos")
PROMPT = "cosmos> "


class Console:
    """QEMU with COM1 on stdin/stdout: wait for text, type lines."""

    def __init__(self, arguments):
        self.process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.at = 0

    def _read(self):
        while True:
            chunk = self.process.stdout.read1(65536)
            if not chunk:
                return
            with self._lock:
                self._buffer += chunk

    def text(self):
        with self._lock:
            return self._buffer.decode("utf-8", "replace").replace("\r", "")

    def wait_for(self, needle, start, timeout):
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            index = text.find(needle, start)
            if index >= 0:
                return index + len(needle)
            if self.process.poll() is not None:
                raise RuntimeError(f"QEMU exited with status {self.process.returncode} waiting for {needle!r}:\n{text[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {needle!r} within {timeout} s:\n{text[-3000:]}")
            time.sleep(0.02)

    def run(self, command, timeout=60):
        """Types a command and returns what it printed before the next prompt."""
        self.process.stdin.write((command + "\r").encode())
        self.process.stdin.flush()
        start = self.wait_for(command + "\n", self.at, timeout)
        self.at = self.wait_for(PROMPT, start, timeout)
        return self.text()[start:self.at - len(PROMPT)]


class Load:
    """HTTP GETs over keep-alive connections; counts successes and errors (a wrong body is an error)."""

    def __init__(self, port):
        self.port = port
        self.served = 0
        self.errors = []
        self.lock = threading.Lock()

    def worker(self, count, paths, stop=None, per_connection=100):
        connection = None
        done = 0
        on_connection = 0
        while (count is None or done < count) and not (stop and stop.is_set()):
            if connection is not None and on_connection >= per_connection:
                connection.close()
                connection = None
            if connection is None:
                on_connection = 0
            on_connection += 1
            path, expected = random.choice(paths)
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 or body != expected:
                    self.error(f"GET {path}: status {response.status}, {len(body)} bytes, expected 200 and {len(expected)} bytes")
                else:
                    with self.lock:
                        self.served += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                self.error(f"GET {path}: {type(error).__name__}: {error}")
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.5)
            done += 1
        if connection is not None:
            connection.close()

    def error(self, message):
        with self.lock:
            self.errors.append(message)
            if len(self.errors) <= 10:
                print(f"[soak] error: {message}", flush=True)


def heap_in_use(console):
    output = console.run("mem -c")
    match = re.search(r"^in use: +(\d+) bytes \((\d+) managed, (\d+) native\)", output, re.M)
    if not match:
        raise RuntimeError(f"mem -c printed no 'in use' line:\n{output}")
    blocks, managed, native = int(match.group(1)), int(match.group(2)), int(match.group(3))
    return managed + native, managed, native, blocks


def shell_round(console, index, rng, problems):
    """One round of disk, network and allocation work through the shell; every result is checked."""
    text = "soak %d %s" % (index, "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(10, 200))))
    name = f"/vda/soak/f{index % 50}.txt"
    digest = hashlib.sha256((text + "\n").encode()).hexdigest()

    def check(command, needle, forbidden=("rror", "PANIC")):
        output = console.run(command)
        if needle not in output or any(word in output for word in forbidden):
            problems.append(f"'{command}' printed {output.strip()[:300]!r}, expected {needle!r}")
        return output

    check(f"write {name} {text}", "")
    check(f"sha256 {name}", digest)
    check(f"cp {name} /vda/soak/copy.txt", "")
    check("sha256 /vda/soak/copy.txt", digest)
    check("rm /vda/soak/copy.txt", "")
    if index % 5 == 0:
        check(f"mkdir /vda/soak/d{index}", "")
        check(f"write /vda/soak/d{index}/x.txt {text}", "")
        check(f"rm -r /vda/soak/d{index}", "")
    if index % 3 == 0:
        check("ping 10.0.2.2 -c 1", "1 received")
    if index % 10 == 0:
        check("sync", "")
        check("ls /vda/soak", f"f{index % 50}.txt")
    return name, (text + "\n").encode()


def mixed(console, load, static, seconds, rng, problems, samples):
    """HTTP on one background connection at a time while the shell works; a memory sample a minute into `samples`."""
    stop = threading.Event()
    began = time.monotonic()
    served_before = load.served
    background = threading.Thread(target=load.worker, args=(None, static, stop))
    background.start()
    rounds = 0
    next_report = began + 60
    try:
        while time.monotonic() < began + seconds:
            rounds += 1
            shell_round(console, rounds, rng, problems)
            if samples is not None and time.monotonic() >= next_report:
                heap = heap_in_use(console)
                samples.append(heap[0])
                print(f"[soak] {(time.monotonic() - began) / 60:.0f} min: {rounds} shell rounds, {load.served - served_before} "
                      f"requests, {len(load.errors)} errors, {len(problems)} shell problems, {heap[0]} bytes live, "
                      f"{heap[3]} bytes of heap blocks", flush=True)
                next_report += 60
    finally:
        stop.set()
        background.join()
    return rounds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("minutes", nargs="?", type=float, default=10.0, help="length of the mixed workload (default 10)")
    parser.add_argument("--requests", type=int, default=10000, help="HTTP requests in the load phase (default 10000)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COSMOS_SOAK_PORT", "8089")), help="host port forwarded to the guest's 80")
    parser.add_argument("--seed", type=int, default=None, help="seed of the workload's choices (printed)")
    parser.add_argument("--connections", type=int, default=4, choices=range(1, 9), metavar="1-8",
                        help="concurrent connections in the load phase (default 4; httpd serves at most 8 at once)")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 31)
    random.seed(seed)
    rng = random.Random(seed)

    kernel = os.path.join(KERNEL_DIR, "kernel.elf")
    disk = os.path.join(KERNEL_DIR, "disk.img")
    for path in (kernel, disk):
        if not os.path.exists(path):
            sys.exit(f"[soak] {path} is missing: ./cosmos build first")
    workdir = tempfile.mkdtemp(prefix="cosmos-soak-")
    image = os.path.join(workdir, "disk.img")
    shutil.copyfile(disk, image)
    readme = open(os.path.join(ROOT, "CosmosKernel", "Disk", "README.TXT"), "rb").read()

    lifetime = int(options.minutes * 60 + 1800)
    qemu = ["timeout", "--signal=KILL", str(lifetime), "qemu-system-x86_64", "-kernel", kernel, "-m", "512", "-cpu", "max",
            "-display", "none", "-monitor", "none", "-no-reboot", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-drive", f"file={image},if=none,id=d0,format=raw", "-device", "virtio-blk-pci,drive=d0",
            "-netdev", f"user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{options.port}-:80", "-device", "virtio-net-pci,netdev=n0"]
    print(f"[soak] seed {seed}; {options.requests} requests on {options.connections} connections at a time, then {options.minutes:g} min mixed; "
          f"http://127.0.0.1:{options.port}/", flush=True)
    console = Console(qemu)
    problems = []
    try:
        console.at = console.wait_for(PROMPT, 0, 120)
        if "serving" not in console.run("httpd"):
            raise RuntimeError("httpd did not start")
        console.run("mkdir -p /vda/soak")

        load = Load(options.port)
        static = [("/vda/README.TXT", readme)]
        # Ten files the shell writes once; the background connections fetch them with README.TXT.
        for i in range(10):
            text = "served %d %s" % (i, "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 300))))
            console.run(f"write /vda/soak/s{i}.txt {text}")
            static.append((f"/vda/soak/s{i}.txt", (text + "\n").encode()))
        console.run("sync")
        # Warm-up (see the top): 2,000 requests, then half a minute of the mixed workload.
        load.worker(2000, static)
        mixed(console, load, static, 30, rng, problems, None)
        shell_round(console, 0, rng, problems)      # the state the end is measured in too
        start_heap = heap_in_use(console)
        print(f"[soak] at the start: {start_heap[0]} bytes live ({start_heap[1]} managed, {start_heap[2]} native), "
              f"{start_heap[3]} bytes of heap blocks in use", flush=True)

        # 1. The load phase: the requests split between concurrent connections.
        warm = load.served
        began = time.monotonic()
        shares = [options.requests // options.connections + (1 if i < options.requests % options.connections else 0)
                  for i in range(options.connections)]
        workers = [threading.Thread(target=load.worker, args=(share, static)) for share in shares]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        load_seconds = time.monotonic() - began
        load_served = load.served - warm
        load_errors = len(load.errors)
        print(f"[soak] load: {load_served} of {options.requests} requests served in {load_seconds:.1f} s "
              f"({load_served / load_seconds:.0f}/s), {load_errors} errors", flush=True)

        # 2. The mixed workload.
        mixed_began = time.monotonic()
        served_before_mixed = load.served
        samples = []
        rounds = mixed(console, load, static, options.minutes * 60, rng, problems, samples)
        mixed_seconds = time.monotonic() - mixed_began
        mixed_served = load.served - served_before_mixed

        shell_round(console, 0, rng, problems)      # the state the start was measured in
        end_heap = heap_in_use(console)
        status = console.run("httpd status")
        match = re.search(r"(\d+) requests", status)
        kernel_requests = int(match.group(1)) if match else -1
        console.process.stdin.write(b"shutdown\r")
        console.process.stdin.flush()
        console.wait_for("Powering off.", console.at, 60)
        exit_status = console.process.wait(60)
    finally:
        if console.process.poll() is None:
            console.process.kill()
            console.process.wait()
    serial = console.text()
    if "PANIC" in serial:
        problems.append("the kernel panicked")
    if exit_status != 0:
        problems.append(f"QEMU exited with status {exit_status} after shutdown")
    if kernel_requests < load.served:
        problems.append(f"httpd counted {kernel_requests} requests, the host had {load.served} answered")
    shutil.rmtree(workdir, ignore_errors=True)

    ratio = end_heap[0] / start_heap[0]
    print()
    print("soak figures")
    print(f"  seed                      {seed}")
    print(f"  load phase                {load_served} requests served of {options.requests} on {options.connections} connections, {load_errors} errors, "
          f"{load_seconds:.1f} s, {load_served / load_seconds:.0f} requests/s")
    print(f"  mixed phase               {mixed_seconds / 60:.1f} min: {mixed_served} requests ({mixed_served / mixed_seconds:.0f}/s), "
          f"{rounds} shell rounds, {len(problems)} shell problems")
    print(f"  requests served in all    {load.served} (httpd counted {kernel_requests}), {len(load.errors)} errors")
    print(f"  live memory before        {start_heap[0]} bytes ({start_heap[1]} managed, {start_heap[2]} native)")
    print(f"  live memory after         {end_heap[0]} bytes ({end_heap[1]} managed, {end_heap[2]} native)")
    print(f"  after / before            {ratio:.3f}")
    if samples:
        print(f"  live memory each minute   {min(samples)} to {max(samples)} bytes (sampled while HTTP ran)")
    print(f"  heap blocks in use        {start_heap[3]} bytes before, {end_heap[3]} after ({end_heap[3] / start_heap[3]:.2f}x; not judged)")
    failed = False
    for problem in problems[:20]:
        print(f"  problem: {problem}")
    if load.errors or problems:
        failed = True
        print(f"[soak] FAILED: {len(load.errors)} request errors, {len(problems)} other problems")
    if ratio > 1.10:
        failed = True
        print(f"[soak] FAILED: live memory grew by {100 * (ratio - 1):.1f}% (more than 10%)")
    if not failed:
        print("[soak] passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
