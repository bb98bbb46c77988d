"""What the resident is told when identifying goes wrong, by source and reason: plain Chinese
that says what to do next (put the card back, use the other card, ask the staff)."""

from __future__ import annotations

from devices.id_card import IdCardStatus

# What the resident is told for each reason a read failed (devices/sam/reader.py).
READ_FAILURE_MESSAGES = {
    "removed_mid_read": "读卡时身份证被移开了。请把身份证平放在读卡区，不要移动，重新读卡。",
    "checksum": "读卡不成功，请把身份证拿开再重新放好；多次不成功请找工作人员。",
    "invalid_card": "无法读取这张卡。请确认放的是居民身份证，擦拭后重新放置；仍不行请找工作人员。",
    "no_device": "身份证阅读器暂时无法使用，请找工作人员帮助。",
}

SS_CARD_MESSAGES = {
    "removed_mid_read": "读卡时社保卡被拔出了。请重新插好社保卡，读完之前不要拔出。",
    "not_ssse": "这张卡不是社会保障卡。请插入社会保障卡，或把身份证放在读卡区。",
    "bad_record": "无法读取这张社保卡。请拔出后重新插入；仍不行请改用身份证，或找工作人员。",
    "cannot_connect": "无法读取这张社保卡。请拔出后重新插入；仍不行请改用身份证，或找工作人员。",
    "no_reader": "社保卡读卡器暂时无法使用，请把身份证放在读卡区，或找工作人员。",
}

QR_MESSAGES = {
    "identity_problem": "无法核验这个电子身份证二维码。请在电子身份证应用中刷新二维码后重试，或改用身份证。",
    "e_licence": "这是营业执照的二维码。请先出示电子身份证二维码，或把身份证放在读卡区。",
    "document": "这是办事材料上的二维码，不能用来核验身份。请出示电子身份证二维码，或把身份证放在读卡区。",
    "unknown": "无法识别这个二维码。请出示“电子身份证”应用里的二维码，或改用身份证。",
}

CARD_MESSAGES = {
    IdCardStatus.CARD_ERROR: "无法读取这张卡。请确认放的是居民身份证，擦拭后重新放置；仍不行请找工作人员。",
    IdCardStatus.NO_DEVICE: "身份证阅读器暂时无法使用，请找工作人员帮助。",
    IdCardStatus.REMOVE_CARD: "请先取走身份证，再重新放置。",
}
