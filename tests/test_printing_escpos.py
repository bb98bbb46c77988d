"""Receipts to a TCP listener speaking the printer's side of ESC/POS: exact bytes and every status."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator

import pytest
from escpos.printer import Dummy, Network

from devices.receipt_printer import DLE_EOT, EscposReceiptPrinter, ReceiptPrinterStatus, receipt_bytes
from forms.layouts.receipt import acceptance_receipt

OK = {1: 0x12, 2: 0x12, 4: 0x12}
NO_PAPER = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline, paper-end stop, paper end sensors
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}


class PrinterListener:
    """A loopback TCP 'printer': answers DLE EOT n from `answers` (or stays silent) and keeps the rest."""

    def __init__(self, answers: dict[int, int] | None) -> None:
        self.answers = answers
        self.received = bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.server.settimeout(10)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            while True:
                conn, _ = self.server.accept()
                with conn:
                    conn.settimeout(5)
                    buffer = b""
                    while chunk := conn.recv(4096):
                        buffer += chunk
                        while self.answers is not None and DLE_EOT in buffer:
                            at = buffer.index(DLE_EOT)
                            if len(buffer) < at + 3:
                                break
                            conn.sendall(bytes([self.answers[buffer[at + 2]]]))
                            self.received += buffer[: at + 3]
                            buffer = buffer[at + 3 :]
                        if self.answers is None:
                            self.received += buffer
                            buffer = b""
                    self.received += buffer
        except OSError:
            return

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def listener(request) -> Iterator[PrinterListener]:
    printer = PrinterListener(request.param)
    yield printer
    printer.close()


def receipt():
    return acceptance_receipt(
        hall_name="淄川区便民服务中心",
        item_name="个体工商户设立登记",
        case_number="DEMO-370302-001-000007",
        outcome_label="当场办结",
        applicant_name="王𠮷",
        documents=["营业执照"],
        decided_at=dt.datetime(2026, 11, 23, 10, 5),
        credit_code="92370302MA000Y6G98",
        terminal_id="DEMO-370302-001",
        line_chars=48,
    )


def driver(port: int, timeout: float = 1.0, encoding: str = "gb18030") -> EscposReceiptPrinter:
    return EscposReceiptPrinter(lambda: Network("127.0.0.1", port, timeout=timeout), 80, encoding)


def wait_for(received: bytearray, size: int) -> bytes:
    """What the printer side has received, once at least `size` bytes have arrived (or 2 s passed)."""
    for _ in range(100):
        if len(received) >= size:
            break
        threading.Event().wait(0.02)
    return bytes(received)


@pytest.mark.parametrize("listener", [OK], indirect=True)
def test_the_printer_gets_exactly_the_receipt_bytes_after_the_status_queries(listener) -> None:
    expected = Dummy()
    receipt_bytes(expected, receipt())
    result = driver(listener.port).print_receipt(receipt())
    assert result.ok and result.status is ReceiptPrinterStatus.ONLINE
    queries = DLE_EOT + b"\x01" + DLE_EOT + b"\x02" + DLE_EOT + b"\x04"
    assert wait_for(listener.received, len(queries) + len(expected.output)) == queries + expected.output
    assert "王𠮷".encode("gb18030")[:2] in expected.output  # 王 then the masked name's stars
    assert "申请人：王*".encode("gb18030") in expected.output


@pytest.mark.parametrize(
    ("listener", "status"),
    [(NO_PAPER, ReceiptPrinterStatus.NO_PAPER), (COVER_OPEN, ReceiptPrinterStatus.COVER_OPEN)],
    indirect=["listener"],
)
def test_a_printer_that_says_no_paper_or_cover_open_gets_no_receipt(listener, status) -> None:
    result = driver(listener.port).print_receipt(receipt())
    assert not result.ok and result.status is status
    assert wait_for(listener.received, 9) == DLE_EOT + b"\x01" + DLE_EOT + b"\x02" + DLE_EOT + b"\x04"


@pytest.mark.parametrize("listener", [NEAR_END], indirect=True)
def test_paper_near_end_still_prints_and_says_so(listener) -> None:
    result = driver(listener.port).print_receipt(receipt())
    assert result.ok and result.status is ReceiptPrinterStatus.PAPER_NEAR_END


@pytest.mark.parametrize("listener", [None], indirect=True)
def test_a_silent_printer_is_unknown_never_fine(listener) -> None:
    printer = driver(listener.port, timeout=0.3)
    assert printer.status() is ReceiptPrinterStatus.UNKNOWN
    result = printer.print_receipt(receipt())
    assert result.ok and result.status is ReceiptPrinterStatus.UNKNOWN  # delivered, but unconfirmed


def test_nobody_listening_is_offline() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    printer = driver(port)
    assert printer.status() is ReceiptPrinterStatus.OFFLINE
    assert printer.print_receipt(receipt()).status is ReceiptPrinterStatus.OFFLINE


@pytest.mark.parametrize("listener", [OK], indirect=True)
def test_a_gbk_printer_gets_the_geta_mark_for_characters_outside_gbk(listener) -> None:
    rare = acceptance_receipt(
        hall_name="淄川区便民服务中心",
        item_name="个体工商户设立登记",
        case_number="N-000001",
        outcome_label="当场办结",
        applicant_name="𠮷祥",
        documents=[],
        decided_at=dt.datetime(2026, 1, 1),
        credit_code=None,
        terminal_id="T",
        line_chars=32,
    )
    assert driver(listener.port, encoding="gbk").print_receipt(rare).ok
    data = wait_for(listener.received, 200)
    assert "申请人：〓*".encode("gbk") in data
    assert "𠮷".encode("gb18030") not in data


def test_a_serial_printer_on_a_pseudo_terminal_gets_the_receipt_and_answers_status() -> None:
    import os
    import tty

    from escpos.printer import Serial

    master, slave = os.openpty()
    tty.setraw(slave)
    received = bytearray()
    stop = threading.Event()

    def printer_side() -> None:  # the printer's end of the serial line
        buffer = b""
        while not stop.is_set():
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            buffer += chunk
            while DLE_EOT in buffer and len(buffer) >= buffer.index(DLE_EOT) + 3:
                at = buffer.index(DLE_EOT)
                os.write(master, bytes([OK[buffer[at + 2]]]))
                received.extend(buffer[: at + 3])
                buffer = buffer[at + 3 :]
            received.extend(buffer)
            buffer = b""

    thread = threading.Thread(target=printer_side, daemon=True)
    thread.start()
    path = os.ttyname(slave)
    printer = EscposReceiptPrinter(lambda: Serial(devfile=path, baudrate=9600, timeout=1), 80)
    try:
        result = printer.print_receipt(receipt())
        expected = Dummy()
        receipt_bytes(expected, receipt())
        queries = DLE_EOT + b"\x01" + DLE_EOT + b"\x02" + DLE_EOT + b"\x04"
        assert result.ok and result.status is ReceiptPrinterStatus.ONLINE
        assert wait_for(received, len(queries) + len(expected.output)) == queries + expected.output
    finally:
        stop.set()
        os.close(slave)
        os.close(master)
