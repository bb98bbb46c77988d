"""Document benchmark: the licence PDF rendered warm, against a one-line reportlab PDF in the same
embedded CJK font (measured in the same run), and the ESC/POS bytes of a receipt."""

from __future__ import annotations

import datetime as dt
import io

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.devtools.benchmarks import median_ms
from kiosk.devtools.benchmarks.figures import record

LICENCE_TARGET_MS, RECEIPT_TARGET_MS = 60.0, 5.0


def _one_line_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from forms.fonts import fonts

    buffer = io.BytesIO()
    pdf = Canvas(buffer, initialFontName=fonts().main)
    pdf.setFont(fonts().main, 12)
    pdf.drawString(72, 720, "营业执照")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def main(runs: int = 30) -> None:
    """Print the medians and the ratio."""
    from escpos.printer import Dummy

    from devices.receipt_printer import receipt_bytes
    from forms.layouts.licence import render_licence_pdf
    from forms.layouts.receipt import acceptance_receipt
    from kiosk.devtools.samples import sample_licence

    licence = sample_licence(Ed25519PrivateKey.generate())
    receipt = acceptance_receipt(
        hall_name="淄川区便民服务中心",
        item_name="个体工商户设立登记",
        case_number="DEMO-370302-001-000007",
        outcome_label="当场办结",
        applicant_name="王建国",
        documents=["营业执照"],
        decided_at=dt.datetime(2026, 11, 23, 10, 5),
        credit_code="92370302MA000Y6G98",
        terminal_id="DEMO-370302-001",
    )

    def encode() -> bytes:
        printer = Dummy()
        receipt_bytes(printer, receipt)
        return printer.output

    licence_ms = median_ms(lambda: render_licence_pdf(licence), runs)
    baseline_ms = median_ms(_one_line_pdf, runs)
    receipt_ms = median_ms(encode, runs * 10)
    print(f"\n== documents (median of {runs} warm runs; receipts {runs * 10})")
    print(f"{'measure':<56} {'median ms':>10}")
    print(f"{'licence PDF (15 scope entries, QR, CJK + fallback font)':<56} {licence_ms:>10.2f}")
    print(f"{'baseline: one-line reportlab PDF, same embedded font':<56} {baseline_ms:>10.2f}")
    print(f"{'receipt: ESC/POS bytes of an acceptance receipt':<56} {receipt_ms:>10.3f}")
    print(f"ratio licence/baseline: {licence_ms / baseline_ms:.2f}")
    one_line = f"one-line PDF {baseline_ms:.1f} ms; ×{licence_ms / baseline_ms:.1f}"
    for label, value, target, base in (
        ("licence render", licence_ms, LICENCE_TARGET_MS, one_line),
        ("receipt encode", receipt_ms, RECEIPT_TARGET_MS, ""),
    ):
        print(f"{label}: {value:.2f} ms (target <= {target}: {'met' if value <= target else 'NOT met'})")
        record("documents", label, value, "ms", target, baseline=base)
