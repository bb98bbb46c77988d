// The frame of a content screen: a title, a scrollable body and a bar of large buttons.
import QtQuick
import QtQuick.Controls.Basic

Item {
    id: frame
    property real u: 1
    property string title: ""
    property string subtitle: ""
    default property alias content: body.data
    property alias buttons: buttonRow.data
    property alias flickable: flick

    Column {
        id: heading
        anchors { top: parent.top; topMargin: 30 * frame.u; left: parent.left; right: parent.right
                  leftMargin: 50 * frame.u; rightMargin: 50 * frame.u }
        spacing: 8 * frame.u
        Text { text: frame.subtitle; visible: text !== ""; font.pixelSize: 30 * frame.u; color: "#5a6b82" }
        Text {
            width: parent.width
            text: frame.title
            wrapMode: Text.Wrap
            font.pixelSize: 52 * frame.u
            font.bold: true
            color: "#0b2e5c"
        }
    }
    Flickable {
        id: flick
        objectName: "screenBody"
        anchors { top: heading.bottom; topMargin: 24 * frame.u; bottom: bar.top; bottomMargin: 10 * frame.u
                  left: parent.left; right: parent.right; leftMargin: 50 * frame.u; rightMargin: 50 * frame.u }
        contentWidth: width
        contentHeight: body.implicitHeight + 20 * frame.u
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { width: 14 * frame.u; policy: flick.contentHeight > flick.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff }
        Column {
            id: body
            width: flick.width - 30 * frame.u
            spacing: 28 * frame.u
        }
    }
    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: 170 * frame.u
        color: "#e8ecf2"
        Row {
            id: buttonRow
            anchors.centerIn: parent
            spacing: 40 * frame.u
        }
    }
}
