"""A lean TFTP load generator: many "phones" downloading one small file again and again.

    python benchmarks/tftp_fleet_load.py HOST PORT NAME EXPECTED_FILE CLIENTS SECONDS
    python benchmarks/tftp_fleet_load.py HOST PORT @NAMES EXPECTED_DIR CLIENTS SECONDS

Prints ``requests-per-second failures``. Each phone sends a plain RRQ (octet, no options) from
a fresh socket, ACKs every DATA block to the transfer's port, and counts the download only if
the bytes equal ``EXPECTED_FILE``'s. A phone that hears nothing for a second counts a failure
and starts over. Against 127.0.0.1 each phone has a loopback address of its own (127.1.0.1,
127.1.0.2 ...), as each phone of a fleet has its own address. With ``@NAMES`` (a file of
names, one a line) the downloads take the names in turn, each compared with the file of that
name in ``EXPECTED_DIR``: many phones, each asking for its own file.

It is deliberately not ciscocfg's client: on a machine with few CPUs the load generator shares
them with the server under test, so it must cost much less per request than any server it
measures, or the figure shows the generator. Raw non-blocking sockets and one epoll loop keep
it to a few system calls per packet.
"""

from __future__ import annotations

import select
import socket
import sys
import time

_DATA = 3
_ERROR = 5
_STALL = 1.0  # seconds without a packet before a download is given up


class Phone:
    __slots__ = ("address", "chunks", "expected", "expected_block", "last_heard", "peer", "sock")

    def __init__(self, address: str | None = None) -> None:
        self.address = address  # the local address to send from (None: the kernel's choice)
        self.expected = b""
        self.sock: socket.socket | None = None
        self.peer: tuple[str, int] | None = None  # the transfer's port, once it answers
        self.chunks: list[bytes] = []
        self.expected_block = 1
        self.last_heard = 0.0


def main() -> None:
    host, port, name, expected_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    clients, seconds = int(sys.argv[5]), float(sys.argv[6])
    if name.startswith("@"):
        with open(name[1:], encoding="ascii") as listing:
            names = listing.read().split()
    else:
        names = [name]
    files: dict[str, bytes] = {}
    for each in names:
        path = f"{expected_path}/{each}" if name.startswith("@") else expected_path
        with open(path, "rb") as file:
            files[each] = file.read()
    requests = [(b"\x00\x01" + n.encode("ascii") + b"\x00octet\x00", files[n]) for n in names]
    turn = 0
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = (host, port)
    poller = select.epoll()
    phones: dict[int, Phone] = {}
    done = failed = 0

    def start(phone: Phone, now: float) -> None:
        """A new download, unless the time is up (then the phone stops)."""
        nonlocal turn
        if now >= deadline:
            return
        request, phone.expected = requests[turn % len(requests)]
        turn += 1
        sock = socket.socket(family, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK)
        if phone.address is not None:
            sock.bind((phone.address, 0))
        phone.sock = sock
        phone.peer = None
        phone.chunks = []
        phone.expected_block = 1
        phone.last_heard = now
        phones[sock.fileno()] = phone
        poller.register(sock.fileno(), select.EPOLLIN)
        sock.sendto(request, server)

    def stop(phone: Phone) -> None:
        sock = phone.sock
        assert sock is not None
        del phones[sock.fileno()]
        poller.unregister(sock.fileno())
        sock.close()

    begin = time.monotonic()
    deadline = begin + seconds
    own_addresses = host == "127.0.0.1"
    for index in range(clients):
        address = f"127.1.{index // 250}.{1 + index % 250}" if own_addresses else None
        start(Phone(address), begin)
    next_check = begin + _STALL
    now = last_end = begin
    # Downloads under way at the deadline are finished, not abandoned: an abandoned transfer
    # would keep the server busy resending into the next measurement.
    while phones:
        for fd, _mask in poller.poll(0.1):
            phone = phones[fd]
            sock = phone.sock
            assert sock is not None
            try:
                packet, peer = sock.recvfrom(65536)
            except BlockingIOError:
                continue
            if phone.peer is None:
                phone.peer = peer
            elif peer != phone.peer:
                continue  # not this transfer's port
            opcode = packet[1] if len(packet) >= 4 and packet[0] == 0 else 0
            if opcode == _DATA:
                block = int.from_bytes(packet[2:4], "big")
                sock.sendto(b"\x00\x04" + packet[2:4], peer)
                if block != phone.expected_block & 0xFFFF:
                    continue  # a repeated block: ACKed again, not kept
                phone.expected_block += 1
                phone.chunks.append(packet[4:])
                if len(packet) - 4 < 512:
                    stop(phone)
                    last_end = time.monotonic()
                    if b"".join(phone.chunks) == phone.expected:
                        done += 1
                    else:
                        failed += 1
                    start(phone, last_end)
                    continue
            elif opcode == _ERROR:
                stop(phone)
                failed += 1
                last_end = time.monotonic()
                start(phone, last_end)
                continue
            phone.last_heard = now
        now = time.monotonic()
        if now >= next_check:
            next_check = now + _STALL / 4
            for phone in [p for p in phones.values() if now - p.last_heard > _STALL]:
                stop(phone)
                failed += 1
                last_end = now
                start(phone, now)
    # Per second of the time downloads were being made (the last ones end after the deadline).
    elapsed = last_end - begin
    print(done / elapsed if elapsed > 0 else 0.0, failed)


if __name__ == "__main__":
    main()
