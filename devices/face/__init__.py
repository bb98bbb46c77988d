"""Face comparison and liveness on the terminal (dlib, with models shipped in a package).

- engine.py: FaceEngine (detect, landmarks, embedding, compare) and FaceMatch
- quality.py: FaceBox, FaceLimits and the checks of size, light and number of faces
- reasons.py: reason codes with the resident's message in Chinese
- liveness.py: the blink-and-turn challenge, judged over consecutive frames
- verify.py: liveness, then the best frame compared with the reference
- photo.py, wlt.py: the ID card's photo (simulated JPEG/PNG, or the vendor's WLT library)
- synthetic.py: blink, head turn and printed-photo frames made from one real photo
- files.py: `kiosk face-check` on picture and video files
"""
