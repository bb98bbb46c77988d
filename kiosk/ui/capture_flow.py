"""What the camera takes for a picture field, and what the resident is told while it looks.

A document field gets a straightened page of material; a face field gets the resident's head
and shoulders once one sharp, well-lit face fills enough of the frame. Runs on the worker.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

from forms.catalogue import ATTACHMENT_KIND

# What the resident is told while the camera looks for a page (devices/camera/document.py).
DOCUMENT_MESSAGES = {
    "start": "请把材料平放在拍摄区，四个角都要在画面里，系统会自动拍照并摆正。",
    "no_page": "还没有看到材料。请把材料平放在拍摄区中间，不要用手遮挡。",
    "too_small": "材料离得太远或太小，请放在拍摄区中间，让材料占满大部分画面。",
    "timeout": "没能拍清楚。请把材料摆正后点“重拍”，也可以先提交申请，之后把材料带到窗口。",
    "no_device": "摄像头暂时无法使用。可以先提交申请，5个工作日内把材料带到窗口补交。",
}

# … and while it looks for the resident's face (devices/camera/face.py).
FACE_MESSAGES = {
    "start": "请站在屏幕正前方，看着摄像头，系统会自动拍照。",
    "no_face": "还没有看到您的脸。请站到屏幕正前方，看着摄像头。",
    "several_faces": "画面里不止一个人。请陪同的人稍微让开，只留本人在镜头前。",
    "too_far": "离得有点远，请向前走一步。",
    "too_dark": "脸部太暗。请摘下帽子，抬起头，正对摄像头。",
    "too_bright": "脸部太亮。请稍微侧身避开强光，再正对摄像头。",
    "blurred": "照片不够清楚，请站稳不动，看着摄像头。",
    "timeout": "没能拍清楚。请摘下帽子和眼镜，正对摄像头，点“重拍”再试一次。",
    "no_device": "摄像头暂时无法使用，现在无法拍照。请到户籍所在地派出所户籍窗口办理。",
}

REVIEW_PROMPT = {
    "document": "请看一下拍得是否清楚、完整。",
    "face": "请看一下照片是否清楚。这张照片会印在证明上。",
}

Picture = tuple[str, str, bytes]  # token, attachment kind, JPEG


def messages_for(field_type: str) -> dict[str, str]:
    """The coaching and failure messages for a picture field of this type."""
    return FACE_MESSAGES if field_type == "face" else DOCUMENT_MESSAGES


def take_picture(
    camera: Any,
    field_type: str,
    on_problem: Callable[[str], None],
    cancel: threading.Event,
    timeout: float = 30.0,
) -> tuple[Any, Picture | None]:
    """Wait for a usable frame and encode it: (the capture, the picture or None). Blocking."""
    from devices.camera.capture import encode_jpeg, take_document_photo, take_face_photo

    if field_type == "face":
        taken = take_face_photo(camera, timeout, on_problem=on_problem, cancel=cancel)
    else:
        taken = take_document_photo(camera, timeout, on_problem, cancel)
    if not taken.ok or taken.image is None:
        return taken, None
    data = encode_jpeg(taken.image)
    return taken, picture_of(field_type, data)


def picture_of(field_type: str, data: bytes) -> Picture:
    """A picture's token (named by its content, as the attachment will be), kind and bytes."""
    from kiosk.core.attachments import token_for

    return token_for(hashlib.sha256(data).hexdigest()), ATTACHMENT_KIND[field_type], data
