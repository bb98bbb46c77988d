import QtQuick
import ".."

Item {
    id: screen
    property real u: 1
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.85
        spacing: 60 * screen.u
        WrappedText {
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: "欢迎使用自助服务终端"
            font.pixelSize: 76 * screen.u
            font.bold: true
            color: Theme.title
        }
        WrappedText {
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: "个体工商户登记 · 营业执照自助打印 · 证明打印 · 办件查询"
            font.pixelSize: 38 * screen.u
            color: Theme.inkSoft
        }
        KButton {
            objectName: "startButton"
            u: screen.u
            anchors.horizontalCenter: parent.horizontalCenter
            implicitWidth: 560 * screen.u
            implicitHeight: 170 * screen.u
            font.pixelSize: 56 * screen.u
            enabled: controller.ready && controller.outOfService === ""
            text: controller.outOfService !== "" ? "暂停服务"
                  : controller.ready ? "点击开始办理" : "正在准备…"
            onClicked: controller.start()
        }
        WrappedText {
            objectName: "homeHint"
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            // Out of service: the one plain sentence, in the ink colour, not the faint hint's.
            text: controller.outOfService !== "" ? controller.outOfService
                  : "请准备好您的居民身份证。如需帮助，请找大厅工作人员。"
            font.pixelSize: (controller.outOfService !== "" ? 40 : 32) * screen.u
            font.bold: controller.outOfService !== ""
            color: controller.outOfService !== "" ? Theme.ink : Theme.muted
        }
    }
}
