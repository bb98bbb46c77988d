"""A social-security card applet on vsmartcard's virtual ICC, connected to pcscd's vpcd reader.

Run as a process (so "pulling the card" is stopping it):
  python ss_card_applet.py --port 35963 --name 王建国 --ss-number 370302197503080116 \\
      --sex 1 --ethnicity 01 --birth 19750308 --card-number A12345678 [--remove-after N]
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

sys.path.insert(0, "/usr/lib/python3/site-packages/virtualsmartcard")

from virtualsmartcard.VirtualSmartcard import SmartcardOS, VirtualICC  # noqa: E402

SSSE = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
FCI = bytes.fromhex("6F1A840F") + SSSE + bytes.fromhex("A507BF0C0400000000")
OK, NOT_FOUND, RECORD_NOT_FOUND, NOT_SUPPORTED = b"\x90\x00", b"\x6a\x82", b"\x6a\x83", b"\x6d\x00"


def tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag, len(value)]) + value


def bcd(digits: str) -> bytes:
    return bytes(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2))


class SsCardOS(SmartcardOS):
    """Answers SELECT SSSE (61xx, so GET RESPONSE is needed), READ RECORD EF05/07 and EF06 records."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.records = {
            0x08: args.ss_number.encode("ascii"),
            0x09: args.name.encode("gbk").ljust(30, b" "),
            0x0A: args.sex.encode("ascii"),
            0x0B: bcd(args.ethnicity),
            0x0D: bcd(args.birth),
        }
        self.card_number = args.card_number.encode("ascii")
        self.selected = False
        self.current = None
        self.pending = b""
        self.remove_after = args.remove_after
        self.no_ssse = args.no_ssse
        self.count = 0

    def getATR(self) -> bytes:  # noqa: N802 (the library's name)
        return bytes.fromhex("3B6800000073C84012009000")

    def powerUp(self) -> None:  # noqa: N802
        pass

    def powerDown(self) -> None:  # noqa: N802
        pass

    def reset(self) -> None:
        self.selected, self.current, self.pending = False, None, b""

    def execute(self, msg: bytes) -> bytes:
        self.count += 1
        ins, p1, p2 = msg[1], msg[2], msg[3]
        data = msg[5 : 5 + msg[4]] if len(msg) > 5 else b""
        if ins == 0xA4 and p1 == 0x04:
            if data != SSSE or self.no_ssse:
                return NOT_FOUND
            self.selected, self.pending = True, FCI
            return bytes([0x61, len(FCI)])
        if ins == 0xC0:
            out, self.pending = self.pending, b""
            return out + OK
        if ins == 0xA4 and p1 == 0x02 and self.selected:
            self.current = data
            return OK
        if ins == 0xB2 and self.selected:
            if p2 == 0x2C and p1 == 0x07:
                return tlv(0x07, self.card_number) + OK
            if p2 == 0x04 and self.current == b"\xef\x06" and p1 in self.records:
                return tlv(p1, self.records[p1]) + OK
            return RECORD_NOT_FOUND
        return NOT_SUPPORTED


def main() -> None:
    parser = argparse.ArgumentParser()
    for option in ("--name", "--ss-number", "--sex", "--ethnicity", "--birth", "--card-number"):
        parser.add_argument(option, required=True)
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--remove-after", type=int, default=0)
    parser.add_argument("--no-ssse", action="store_true", help="a card of another kind (no SSSE application)")
    args = parser.parse_args()
    icc = VirtualICC(None, "iso7816", "localhost", args.port, logginglevel=40)
    icc.os = SsCardOS(args)
    receive = icc._VirtualICC__recvFromVPICC

    def quick_receive():  # delayed ACKs cost ~48 ms per APDU through vpcd
        icc.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        return receive()

    icc._VirtualICC__recvFromVPICC = quick_receive
    send = icc._VirtualICC__sendToVPICC

    def send_then_maybe_leave(message: bytes) -> None:
        send(message)
        # The card leaves right after answering its Nth APDU, as a card pulled out does; dying
        # while vpcd waits for an answer leaves the virtual reader unusable for a long while.
        if args.remove_after and icc.os.count >= args.remove_after:
            icc.sock.close()
            os._exit(0)

    icc._VirtualICC__sendToVPICC = send_then_maybe_leave
    print("READY", flush=True)
    icc.run()


if __name__ == "__main__":
    main()
