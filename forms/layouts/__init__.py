"""Layouts of the documents the terminal issues (PDF through reportlab, receipts as a model)."""
