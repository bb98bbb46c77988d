// 人证核验 by hall staff: the resident declined the face comparison, it failed three times, or
// the card has no photo to compare. A staff member puts their card on the reader, types their
// PIN (as for admin mode) and so confirms they compared the card with the person. Or the window.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "请工作人员核对身份"
    subtitle: controller.itemName

    WrappedText {
        available: parent.width
        text: "请大厅工作人员核对身份证与本人是否一致。核对无误后，工作人员把工作人员卡放在读卡器上，输入密码确认。也可以到窗口办理。"
        font.pixelSize: 34 * screen.u
        color: Theme.ink
    }
    WrappedText {
        objectName: "staffCheckNotice"
        visible: controller.notice !== ""
        available: parent.width
        text: controller.notice
        font.pixelSize: 32 * screen.u
        color: controller.noticeGood ? Theme.good : Theme.bad
    }
    Rectangle {
        objectName: "staffPinDots"
        width: Math.min(parent.width, 600 * screen.u)
        height: 100 * screen.u
        radius: 10 * screen.u
        border.width: 2 * screen.u
        border.color: Theme.muted
        Text {
            id: pinText
            property string digits: ""
            anchors.centerIn: parent
            text: digits === "" ? "工作人员密码" : "●".repeat(digits.length)
            font.pixelSize: 40 * screen.u
            color: digits === "" ? Theme.muted : Theme.ink
        }
    }
    Grid {
        id: keypad
        // three keys across whatever the width (elder portrait is the narrowest)
        readonly property real keyWidth: Math.min(240 * screen.u, ((parent ? parent.width : 0) - 2 * spacing) / 3)
        columns: 3
        spacing: 16 * screen.u
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "✓"]
            delegate: KButton {
                required property string modelData
                objectName: "staffPinKey_" + (modelData === "⌫" ? "back" : modelData === "✓" ? "ok" : modelData)
                u: screen.u
                minWidth: keypad.keyWidth
                width: keypad.keyWidth
                primary: modelData === "✓"
                text: modelData === "⌫" ? "删除" : modelData === "✓" ? "确认已核对" : modelData
                font.pixelSize: modelData === "✓" ? 34 * screen.u : 44 * screen.u
                enabled: !controller.busy && (modelData === "⌫" || modelData === "✓"
                         ? pinText.digits.length > 0 : pinText.digits.length < 12)
                onClicked: {
                    if (modelData === "⌫") pinText.digits = pinText.digits.slice(0, -1)
                    else if (modelData === "✓") { faceCheck.staffConfirm(pinText.digits); pinText.digits = "" }
                    else pinText.digits += modelData
                }
            }
        }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        KButton { objectName: "toWindow"; u: screen.u; primary: false; text: "到窗口办理"; onClicked: controller.home() }
    ]
}
