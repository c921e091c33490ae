#!/usr/bin/env python3
"""Socket clients that misbehave, for Tests/hostile/run.sh.

  client.py stall-watch SOCKET SECONDS   open /v1/watch, never read, hold it SECONDS
  client.py flood SOCKET SECONDS         pipeline requests as fast as possible, never read
  client.py idle SOCKET COUNT SECONDS    hold COUNT idle connections open SECONDS
  client.py request SOCKET METHOD TARGET [BODY]   one request; prints the status code
"""
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def stall_watch(path, seconds):
    s = connect(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"GET /v1/watch HTTP/1.1\r\nHost: podmeta\r\n\r\n")
    time.sleep(seconds)
    s.close()


def flood(path, seconds):
    s = connect(path)
    s.setblocking(False)
    request = b"GET /v1/snapshot HTTP/1.1\r\nHost: podmeta\r\n\r\n" * 64
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            s.send(request)
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            # The server cut the flooding client off: that is allowed.
            break
    s.close()


def idle(path, count, seconds):
    held = []
    for _ in range(count):
        try:
            held.append(connect(path))
        except OSError:
            break
    print(len(held), flush=True)
    time.sleep(seconds)
    for s in held:
        s.close()


def request(path, method, target, body=b""):
    s = connect(path)
    s.settimeout(10)
    head = f"{method} {target} HTTP/1.1\r\nHost: podmeta\r\nConnection: close\r\n"
    if body:
        head += f"Content-Length: {len(body)}\r\nContent-Type: application/json\r\n"
    s.sendall(head.encode() + b"\r\n" + body)
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    print(data.split(b" ")[1].decode() if data.startswith(b"HTTP/1.1 ") else "none")


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "stall-watch":
        stall_watch(path, float(sys.argv[3]))
    elif command == "flood":
        flood(path, float(sys.argv[3]))
    elif command == "idle":
        idle(path, int(sys.argv[3]), float(sys.argv[4]))
    elif command == "request":
        request(path, sys.argv[3], sys.argv[4], sys.argv[5].encode() if len(sys.argv) > 5 else b"")
    else:
        sys.exit(f"unknown command {command}")


main()
