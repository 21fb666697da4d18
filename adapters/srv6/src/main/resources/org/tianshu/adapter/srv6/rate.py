"""The rate probe of Srv6Dataplane.rateMbps: run as "python3 - ARGS" in a host namespace, this text on stdin.

  recv PORT WAIT          accept one TCP connection (IPv6 or IPv4) within WAIT seconds, read it to its end and print
                          "BYTES SECONDS": what arrived after the first read and the time from the first read to the
                          last ("0 0" when nobody came)
  send ADDRESS PORT MBPS SECONDS
                          connect (retrying for 3 s while the receiver starts), then send for SECONDS, paced by the
                          kernel at MBPS (SO_MAX_PACING_RATE: TCP's own pacing, no fq qdisc needed)
"""
import socket
import sys
import time

SO_MAX_PACING_RATE = 47


def recv(port, wait):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(1)
    s.settimeout(wait)
    try:
        c, _ = s.accept()
    except socket.timeout:
        print("0 0")
        return
    c.settimeout(wait)
    first = last = None
    n = 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        last = time.monotonic()
        if first is None:
            first = last
        else:
            n += len(b)
    print(n, 0 if first is None else last - first)


def send(address, port, mbps, seconds):
    deadline = time.monotonic() + 3
    while True:
        try:
            c = socket.create_connection((address, port), timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
    c.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, int(mbps * 1e6 / 8))
    data = bytes(1 << 14)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        c.sendall(data)
    c.close()


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), float(sys.argv[3]))
    else:
        send(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
