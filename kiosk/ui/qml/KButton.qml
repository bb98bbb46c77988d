// A large touch button: at least 12 mm high on any kiosk screen, with a pressed state.
import QtQuick
import QtQuick.Controls.Basic

Button {
    id: control
    property color tone: "#1f6feb"
    property bool primary: true
    property real u: 1
    font.pixelSize: 38 * u
    implicitHeight: Math.max(110 * u, 72)
    implicitWidth: Math.max(contentItem.implicitWidth + 80 * u, 220 * u)
    contentItem: Text {
        text: control.text
        font: control.font
        color: control.primary ? "white" : control.tone
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: 16 * control.u
        color: !control.enabled ? "#c9ced6"
             : control.primary ? (control.down ? Qt.darker(control.tone, 1.25) : control.tone)
             : (control.down ? "#e6eefc" : "white")
        border.width: control.primary ? 0 : 3 * control.u
        border.color: control.tone
    }
}
