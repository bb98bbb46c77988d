// A large touch button: at least 12 mm high on any kiosk screen, with a pressed state.
// Plain QtQuick rather than QtQuick.Controls, so the home screen starts without loading the
// Controls plugin (it is loaded with the first form).
import QtQuick

Rectangle {
    id: control
    property string text: ""
    property color tone: Theme.primary
    property bool primary: true
    property real u: 1
    property alias font: label.font
    property color labelColor: !enabled ? Theme.muted : control.primary ? "white" : control.tone
    property real implicitHeightMin: 72
    property real minWidth: 220 * u
    // A long label (an address, an item's full name) wraps onto more lines instead of being cut:
    // give the button a width, it grows in height.
    property bool wrap: false
    // A tap on a button takes the focus from a text field, and the keyboard closes with it, as
    // a resident expects when they move on; the keyboard panel's own buttons leave it open.
    property bool takesFocus: true
    readonly property bool down: tap.pressed
    signal clicked()

    implicitHeight: Math.max(110 * u, implicitHeightMin, wrap ? label.implicitHeight + 40 * u : 0)
    implicitWidth: Math.max(label.implicitWidth + 80 * u, minWidth)
    width: implicitWidth
    height: implicitHeight
    radius: 16 * u
    // Not yet available: grey with dark text (readable, 4.5:1 or more), not a faded colour.
    color: !enabled ? Theme.bar
         : control.primary ? (control.down ? Qt.darker(control.tone, 1.25) : control.tone)
         : (control.down ? Theme.primaryFill : "white")
    border.width: control.primary && enabled ? 0 : 3 * u
    border.color: enabled ? control.tone : Theme.muted

    Accessible.role: Accessible.Button
    Accessible.name: text
    Accessible.onPressAction: control.clicked()

    Text {
        id: label
        anchors.fill: parent
        anchors.leftMargin: 20 * control.u
        anchors.rightMargin: 20 * control.u
        text: control.text
        font.pixelSize: 38 * control.u
        color: control.labelColor
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: control.wrap ? Text.Wrap : Text.NoWrap
        elide: control.wrap ? Text.ElideNone : Text.ElideRight
    }
    MouseArea {
        id: tap
        anchors.fill: parent
        onClicked: {
            if (control.takesFocus) control.forceActiveFocus()
            control.clicked()
        }
    }
}
