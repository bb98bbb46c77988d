"""The controllers QML binds to, one per job, each a QObject under the name QML knows it by:

- `controller` (journey.py): start-up, items, guide, form pages, review, deciding, going home,
  the idle countdown, elder mode and the network state;
- `identity` (identity.py): the ID card, social-security card, e-ID code and typed identity;
- `faceCheck` (face_check.py): 人证核验 with consent, and the hall staff's check instead;
- `capture` (capture.py): the camera, the signature pad and the address picker;
- `issuing` (issuing.py): printing, 证照联办, the 办事指南, 自助打证 and 好差评;
- `simulators` (kiosk/ui/dev_dock.py): the dev dock, on a demo terminal only.

They share the session and the worker through `shared.Shared`; the journey controller builds
the others. The admin overlay's controller (`admin`) is kiosk/ui/admin_controller.py.
"""
