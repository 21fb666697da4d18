#!/usr/bin/env python3
"""Standing queue on a lab link (used by lab/srv6.sh impair LINK delay=MS; standard library only).

  srv6-load.py DEST RATE_BITS DELAY_MS

Run inside a router's namespace: sends UDP (discard port) to DEST, the link address of the router on the other end,
so that its packets wait in the tbf queue of the link's device. It keeps about DELAY_MS of traffic at RATE_BITS (the
tbf's rate) in that queue, no more: every packet of the link then waits that long behind them (bufferbloat), and the
tbf's limit is never reached, so nothing else is dropped. The queue is measured as this socket's unsent memory
(SIOCOUTQ: a UDP packet stays charged to its socket while it sits in the qdisc); the charge of one packet is read once
at start, when the first packet stays in the queue. Sleeps 1 ms whenever the queue is full: a few % of a core.
"""
import fcntl
import socket
import struct
import sys
import termios
import time

PAYLOAD = 1200
WIRE = PAYLOAD + 8 + 40 + 14  # what tbf counts: UDP, IPv6 and Ethernet headers


def outq(s):
    return struct.unpack("i", fcntl.ioctl(s.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]


def main(dest, rate, delay_ms):
    packets = max(1, int(rate * delay_ms / 1000 / 8 / WIRE))
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, 32, 64 << 20)  # SO_SNDBUFFORCE (root): never the limit
    s.setblocking(False)
    data, to = bytes(PAYLOAD), (dest, 9)
    charge = 0
    while charge == 0:  # the tbf's burst lets the first packets through at once
        s.sendto(data, to)
        charge = outq(s)
    target = packets * charge
    while True:
        while outq(s) < target:
            s.sendto(data, to)
        time.sleep(0.001)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
