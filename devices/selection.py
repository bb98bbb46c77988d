"""The terminal's choice of driver for each device kind: plain data the factory reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceSelection:
    """Which driver each device kind uses, and how to reach it (the terminal's [devices] table)."""

    id_card: str = "simulated"
    social_security_card: str = "simulated"
    camera: str = "simulated"
    receipt_printer: str = "simulated"
    document_printer: str = "simulated"
    receipt_paper_mm: int = 80
    receipt_printer_host: str = "127.0.0.1"
    receipt_printer_port: int = 9100
    receipt_printer_serial: str = "/dev/ttyS0"
    receipt_printer_baudrate: int = 9600
    receipt_printer_usb: str = "0416:5011"  # vendor:product, hexadecimal
    receipt_printer_file: str = "/dev/usb/lp0"
    id_card_port: str = "/dev/ttyUSB0"
    ss_card_reader: str = ""  # part of the PC/SC reader's name; "" takes the first reader
    camera_device: str = "0"  # a VideoCapture index or a /dev/video path
    cups_queue: str = "kiosk-a4"
    id_photo_decoder: str = ""  # the reader vendor's WLT library (.so); "": none, no face comparison
    id_photo_decoder_call: str = "unpack(wlt, out[38862], 1) == 1 -> bmp"  # its call: devices/face/wlt.py
