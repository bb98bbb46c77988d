import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "请核对申请信息"
    subtitle: controller.itemName

    Text {
        objectName: "reviewNotice"
        visible: controller.notice !== ""
        width: parent ? parent.width : 0
        wrapMode: Text.Wrap
        text: controller.notice
        font.pixelSize: 32 * screen.u
        color: Theme.bad
    }

    Repeater {
        model: controller.review
        delegate: Rectangle {
            width: parent ? parent.width : 0
            height: row.implicitHeight + 30 * screen.u
            radius: 10 * screen.u
            color: "white"
            Row {
                id: row
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 * screen.u }
                spacing: 24 * screen.u
                Text { width: 240 * screen.u; text: modelData.label; font.pixelSize: 34 * screen.u; color: Theme.muted }
                Text { width: parent.width - 264 * screen.u; text: modelData.value; wrapMode: Text.Wrap
                       font.pixelSize: 34 * screen.u; color: Theme.ink; font.bold: true }
            }
        }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "返回修改"; onClicked: controller.back() },
        KButton { objectName: "submitButton"; u: screen.u; text: "确认提交"; onClicked: controller.submit() }
    ]
}
