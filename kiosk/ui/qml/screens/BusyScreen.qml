// Shown while the decision is made or the documents print.
import QtQuick
import QtQuick.Controls.Basic
import ".."

Item {
    id: screen
    property real u: 1
    Column {
        anchors.centerIn: parent
        spacing: 50 * screen.u
        width: parent.width * 0.8
        BusyIndicator { anchors.horizontalCenter: parent.horizontalCenter; running: true; width: 160 * screen.u; height: width }
        WrappedText {
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: controller.screen === "printing" ? "正在打印，请稍候…" : "正在审核，请稍候…"
            font.pixelSize: 52 * screen.u
            font.bold: true
            color: Theme.title
        }
        WrappedText {
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: controller.notice
            font.pixelSize: 34 * screen.u
            color: Theme.bad
        }
    }
}
