import QtQuick
import QtQuick.Controls.Basic
import ".."

Item {
    id: screen
    property real u: 1
    Column {
        anchors { top: parent.top; topMargin: 60 * screen.u; horizontalCenter: parent.horizontalCenter }
        width: parent.width * 0.85
        spacing: 50 * screen.u
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: controller.itemName
            font.pixelSize: 40 * screen.u
            color: Theme.inkSoft
        }
        WrappedText {
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: "请将居民身份证放在下方读卡区"
            font.pixelSize: 58 * screen.u
            font.bold: true
            color: Theme.title
        }
        WrappedText {
            objectName: "identifyAlternatives"
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            // Only the ways this item accepts (an item needing an ID card says so).
            readonly property var ways: identity.identifyWays
            visible: text !== ""
            text: {
                var also = []
                if (ways.indexOf("social_security_card") >= 0) also.push("插入社会保障卡")
                if (ways.indexOf("e_id") >= 0) also.push("把手机上的电子身份证二维码对准摄像头")
                return also.length === 0 ? "" : "也可以" + also.join("，\n或")
            }
            font.pixelSize: 34 * screen.u
            color: Theme.inkSoft
        }
        Rectangle {
            // The card on the reader, drawn: residents recognise the shape.
            anchors.horizontalCenter: parent.horizontalCenter
            width: 520 * screen.u
            height: 330 * screen.u
            radius: 24 * screen.u
            color: Theme.primaryFill
            border.color: Theme.primary
            border.width: 4 * screen.u
            Rectangle { x: 40 * screen.u; y: 60 * screen.u; width: 140 * screen.u; height: 180 * screen.u; radius: 8 * screen.u; color: Theme.line }
            Column {
                x: 220 * screen.u; y: 70 * screen.u; spacing: 24 * screen.u
                Repeater { model: 4; Rectangle { width: 240 * screen.u; height: 18 * screen.u; radius: 9 * screen.u; color: Theme.line } }
            }
        }
        BusyIndicator {
            anchors.horizontalCenter: parent.horizontalCenter
            running: controller.busy
            visible: controller.busy
            width: 100 * screen.u
            height: width
        }
        WrappedText {
            objectName: "identifyNotice"
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: controller.busy ? "正在读卡，请不要移动身份证…" : controller.notice
            font.pixelSize: 36 * screen.u
            color: controller.busy ? Theme.inkSoft : Theme.bad
        }
    }
    Row {
        anchors { bottom: parent.bottom; bottomMargin: 40 * screen.u; horizontalCenter: parent.horizontalCenter }
        spacing: 40 * screen.u
        KButton {
            objectName: "backButton"
            u: screen.u
            primary: false
            text: "返回"
            onClicked: controller.back()
        }
        KButton {
            // No card with them (lost, broken): type the number; a face photo follows.
            objectName: "typeIdentityButton"
            visible: identity.canTypeIdentity
            u: screen.u
            primary: false
            text: "没带身份证，手动输入"
            onClicked: identity.identifyByTyping()
        }
    }
}
