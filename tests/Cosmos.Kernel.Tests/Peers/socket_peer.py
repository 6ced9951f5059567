#!/usr/bin/env python3
"""The host's side of the SocketTests kernel (tests/Kernels/SocketTests/Peer.cs), on Linux's own TCP/IP stack.

- an echo server on 127.0.0.1:ECHO (QEMU's guestfwd leads the guest's 10.0.2.100:8000 here);
- a client for each of the guest's listeners, reached through hostfwd on 127.0.0.1: it retries until the guest
  answers (before the guest listens, QEMU accepts and then drops the connection), sends "HELLO n m\\n" and m
  pattern bytes, and checks the "COSMOS n m\\n" reply and the n pattern bytes after it;
- datagrams to the guest's UDP port through hostfwd=udp, every 200 ms.

It prints one "PEER <what> ok <detail>" or "PEER <what> fail <why>" line per task; the host ends it after QEMU.
"""
import argparse
import socket
import sys
import threading
import time


def pattern(length, seed, offset=0):
    return bytes(((i * 131 + (i >> 8) + seed) & 0xFF) for i in range(offset, offset + length))


def report(what, ok, detail):
    print(f"PEER {what} {'ok' if ok else 'fail'} {detail}", flush=True)


def echo_server(port, stop):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(4)
    server.settimeout(0.5)
    while not stop.is_set():
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        threading.Thread(target=echo_one, args=(conn,), daemon=True).start()


def echo_one(conn):
    total = 0
    conn.settimeout(60)
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
            total += len(data)
        report("echo", True, f"{total} bytes echoed")
    except OSError as error:
        report("echo", False, f"after {total} bytes: {error}")
    finally:
        conn.close()


def listener_client(what, port, deadline, wanted=200_000, coming=100_000):
    last = "never tried"
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.sendall(f"HELLO {wanted} {coming}\n".encode() + pattern(coming, 3))
                reply = b""
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
            if not reply:
                last = "the connection closed without a reply (nothing listening yet)"
                time.sleep(0.3)
                continue
            head, _, body = reply.partition(b"\n")
            expected = f"COSMOS {wanted} {coming}".encode()
            if head != expected:
                report(what, False, f"reply line {head[:60]!r}, expected {expected!r}")
                return
            if body != pattern(wanted, 7):
                report(what, False, f"reply body of {len(body)} bytes differs from the {wanted}-byte pattern")
                return
            report(what, True, f"{len(body)} bytes")
            return
        except OSError as error:
            last = str(error)
            time.sleep(0.3)
    report(what, False, f"no answer before the deadline: {last}")


def datagram_sender(port, deadline, stop):
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    count = 0
    while time.monotonic() < deadline and not stop.is_set():
        sender.sendto(f"DATAGRAM {count} from the host".encode(), ("127.0.0.1", port))
        count += 1
        time.sleep(0.2)
    report("datagrams", True, f"{count} sent")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--echo-port", type=int, required=True)
    parser.add_argument("--sync-port", type=int, required=True)
    parser.add_argument("--async-port", type=int, required=True)
    parser.add_argument("--udp-port", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=150)
    args = parser.parse_args()
    deadline = time.monotonic() + args.seconds
    stop = threading.Event()
    threading.Thread(target=echo_server, args=(args.echo_port, stop), daemon=True).start()
    print("PEER ready", flush=True)
    clients = [
        threading.Thread(target=listener_client, args=("sync-listener", args.sync_port, deadline)),
        threading.Thread(target=listener_client, args=("async-listener", args.async_port, deadline)),
    ]
    for client in clients:
        client.start()
    udp = threading.Thread(target=datagram_sender, args=(args.udp_port, deadline, stop))
    udp.start()
    for client in clients:
        client.join()
    # Datagrams go on until the deadline (the guest binds its UDP port after the listener checks), and the echo
    # server stays for QEMU's exit: guestfwd is a character device, so the guest's FIN reaches the echo server only
    # when QEMU closes it. The host kills this process once QEMU has ended and the echo line is out.
    udp.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
