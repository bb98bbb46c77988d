"""A hall staff card on vsmartcard's virtual ICC, connected to pcscd's vpcd reader: SELECT of
the kiosk staff applet, GET DATA of the staff id, INTERNAL AUTHENTICATE with HMAC-SHA256.

  python staff_card_applet.py --port 35963 --staff-id ZC-07 --key <64 hex digits>
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import socket
import sys

sys.path.insert(0, "/usr/lib/python3/site-packages/virtualsmartcard")

from virtualsmartcard.VirtualSmartcard import SmartcardOS, VirtualICC  # noqa: E402

STAFF_AID = bytes.fromhex("F04B494F534B5354414646")
OK, NOT_FOUND, NOT_SUPPORTED, WRONG_LENGTH = b"\x90\x00", b"\x6a\x82", b"\x6d\x00", b"\x67\x00"


class StaffCardOS(SmartcardOS):
    """Answers as a staff card holding `key` for `staff_id`."""

    def __init__(self, staff_id: str, key: bytes) -> None:
        self.staff_id, self.key, self.selected = staff_id.encode("ascii"), key, False

    def getATR(self) -> bytes:  # noqa: N802 (the library's name)
        return bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")

    def powerUp(self) -> None:  # noqa: N802
        pass

    def powerDown(self) -> None:  # noqa: N802
        pass

    def reset(self) -> None:
        self.selected = False

    def execute(self, msg: bytes) -> bytes:
        ins, p1 = msg[1], msg[2]
        data = msg[5 : 5 + msg[4]] if len(msg) > 5 else b""
        if ins == 0xA4 and p1 == 0x04:
            self.selected = data == STAFF_AID
            return OK if self.selected else NOT_FOUND
        if not self.selected:
            return NOT_SUPPORTED
        if ins == 0xCA:
            return self.staff_id + OK
        if ins == 0x88:
            if len(data) != 16:
                return WRONG_LENGTH
            return hmac.new(self.key, data + self.staff_id, hashlib.sha256).digest() + OK
        return NOT_SUPPORTED


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff-id", required=True)
    parser.add_argument("--key", required=True, help="the card's key, hexadecimal")
    parser.add_argument("--port", type=int, default=35963)
    args = parser.parse_args()
    icc = VirtualICC(None, "iso7816", "localhost", args.port, logginglevel=40)
    icc.os = StaffCardOS(args.staff_id, bytes.fromhex(args.key))
    receive = icc._VirtualICC__recvFromVPICC

    def quick_receive():  # delayed ACKs cost ~48 ms per APDU through vpcd
        icc.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        return receive()

    icc._VirtualICC__recvFromVPICC = quick_receive
    print("READY", flush=True)
    icc.run()


if __name__ == "__main__":
    main()
