"""The camera: frames from OpenCV or a simulator, QR codes, face capture, document capture."""
