// No card with them: the resident types their name (pinyin keyboard) and ID number (a large
// number pad with X, since the 18th character may be X). A face photo follows on the form.
import QtQuick
import QtQuick.Controls.Basic
import ".."

ScreenFrame {
    id: screen
    title: "输入身份信息"
    subtitle: controller.itemName
    readonly property var errors: identity.manualErrors

    WrappedText {
        available: parent.width
        text: "请输入本人的姓名和18位身份证号码。下一步会为您拍照，由民警核对。"
        font.pixelSize: 32 * screen.u
        color: Theme.inkSoft
    }
    WrappedText {
        visible: controller.notice !== ""
        available: parent.width
        text: controller.notice
        font.pixelSize: 32 * screen.u
        color: Theme.bad
    }

    Text { text: "姓名  *"; font.pixelSize: 36 * screen.u; font.bold: true; color: Theme.ink }
    TextField {
        id: nameField
        objectName: "manual_name"
        width: parent.width
        height: 100 * screen.u
        leftPadding: 20 * screen.u
        font.pixelSize: 38 * screen.u
        maximumLength: 30
        color: Theme.ink
        background: Rectangle {
            radius: 10 * screen.u
            color: "white"
            border.width: parent.activeFocus ? 4 * screen.u : 2 * screen.u
            border.color: screen.errors.name ? Theme.bad : (parent.activeFocus ? Theme.primary : Theme.muted)
        }
    }
    WrappedText {
        visible: !!screen.errors.name
        available: parent.width
        text: screen.errors.name || ""
        font.pixelSize: 32 * screen.u
        color: Theme.bad
    }

    Flow {
    // Landscape: the number and its problem beside the pad, so both stay in view.
    id: numberRow
    width: parent.width
    spacing: 30 * screen.u
    // The window's shape: an open keyboard makes the screen itself short and wide.
    readonly property bool side: screen.Window.width > screen.Window.height * 1.2
    Column {
    width: numberRow.side ? numberRow.width - pad.width - numberRow.spacing : numberRow.width
    spacing: 16 * screen.u
    Text { text: "身份证号码  *"; font.pixelSize: 36 * screen.u; font.bold: true; color: Theme.ink }
    Rectangle {
        objectName: "manual_id_number"
        width: parent.width
        height: 100 * screen.u
        radius: 10 * screen.u
        border.width: 2 * screen.u
        border.color: screen.errors.id_number ? Theme.bad : Theme.muted
        Text {
            id: idText
            property string digits: ""
            anchors { fill: parent; leftMargin: 20 * screen.u }
            verticalAlignment: Text.AlignVCenter
            // Grouped 6-8-4 as printed on the card, so a resident can check it against a copy.
            text: digits === "" ? "点下方数字键输入" : digits.replace(/^(.{6})(.{0,8})(.*)$/, "$1 $2 $3").trim()
            font.pixelSize: 40 * screen.u
            font.letterSpacing: 2 * screen.u
            color: digits === "" ? Theme.muted : Theme.ink
        }
    }
    WrappedText {
        visible: !!screen.errors.id_number
        available: parent.width
        text: screen.errors.id_number || ""
        font.pixelSize: 32 * screen.u
        color: Theme.bad
    }
    }
    Grid {
        id: pad
        columns: 3
        spacing: 16 * screen.u
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "⌫"]
            delegate: KButton {
                required property string modelData
                objectName: "idKey_" + (modelData === "⌫" ? "back" : modelData)
                u: screen.u
                // Three keys a row within the page (in elder mode 240 would run past its side).
                minWidth: numberRow.side ? 240 * screen.u : Math.min(240 * screen.u, (numberRow.width - 2 * pad.spacing) / 3)
                primary: false
                text: modelData === "⌫" ? "删除" : modelData
                font.pixelSize: 44 * screen.u
                enabled: modelData === "⌫" ? idText.digits.length > 0 : idText.digits.length < 18
                onClicked: {
                    nameField.focus = false  // the pinyin keyboard gives way to the pad
                    if (modelData === "⌫") idText.digits = idText.digits.slice(0, -1)
                    else idText.digits += modelData
                }
            }
        }
    }

    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        KButton {
            objectName: "nextButton"; u: screen.u; text: "下一步"
            onClicked: identity.confirmTypedIdentity(nameField.text, idText.digits)
        }
    ]
}
