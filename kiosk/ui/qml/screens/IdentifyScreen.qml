import QtQuick
import QtQuick.Controls.Basic
import ".."

// Portrait: the words above the picture of the reader; landscape: beside it.
Item {
    id: screen
    property real u: 1
    readonly property bool side: width > height
    Column {
        id: words
        anchors { top: parent.top; topMargin: (screen.side ? 70 : 50) * screen.u }
        width: parent.width * (screen.side ? 0.46 : 0.85)
        x: screen.side ? parent.width * 0.04 : (parent.width - width) / 2
        spacing: 36 * screen.u
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
    }
    CardReaderPicture {
        objectName: "cardReaderPicture"
        anchors { top: screen.side ? parent.top : words.bottom; topMargin: 40 * screen.u
                  bottom: status.top; bottomMargin: 30 * screen.u }
        width: parent.width * (screen.side ? 0.44 : 0.85)
        x: screen.side ? parent.width * 0.52 : (parent.width - width) / 2
        u: screen.u
        running: !controller.busy
    }
    Column {
        id: status
        anchors { bottom: buttons.top; bottomMargin: 30 * screen.u; horizontalCenter: parent.horizontalCenter }
        width: parent.width * 0.85
        spacing: 20 * screen.u
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
        id: buttons
        anchors { bottom: parent.bottom; bottomMargin: 40 * screen.u; horizontalCenter: parent.horizontalCenter }
        spacing: 40 * screen.u
        KButton {
            objectName: "backButton"
            u: screen.u
            primary: false
            text: "上一步"
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
