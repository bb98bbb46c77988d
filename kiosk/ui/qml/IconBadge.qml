// An item's or a step's icon (kiosk/ui/qml/icons) on a round tinted badge; set its width.
import QtQuick

Rectangle {
    property string icon: "item"
    height: width
    radius: width / 2
    color: Theme.primaryFill
    Image {
        anchors.centerIn: parent
        width: parent.width * 0.64
        height: width
        sourceSize.width: width
        sourceSize.height: height
        source: "icons/" + (parent.icon || "item") + ".svg"
    }
}
