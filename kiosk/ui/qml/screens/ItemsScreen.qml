import QtQuick
import QtQuick.Controls.Basic
import ".."

Item {
    id: screen
    property real u: 1
    Text {
        id: title
        anchors { top: parent.top; topMargin: 40 * screen.u; horizontalCenter: parent.horizontalCenter }
        text: "请选择要办理的事项"
        font.pixelSize: 56 * screen.u
        font.bold: true
        color: "#0b2e5c"
    }
    GridView {
        id: grid
        anchors { top: title.bottom; topMargin: 40 * screen.u; bottom: backButton.top; bottomMargin: 30 * screen.u
                  horizontalCenter: parent.horizontalCenter }
        width: parent.width * 0.9
        readonly property int columns: parent.width > parent.height ? 3 : 2
        cellWidth: width / columns
        cellHeight: 260 * screen.u
        clip: true
        model: controller.items
        delegate: Item {
            width: grid.cellWidth
            height: grid.cellHeight
            Rectangle {
                objectName: "item_" + modelData.id
                anchors { fill: parent; margins: 16 * screen.u }
                radius: 20 * screen.u
                color: tap.pressed ? "#dce8fb" : "white"
                border.color: "#1f6feb"
                border.width: 3 * screen.u
                Column {
                    anchors.centerIn: parent
                    width: parent.width - 40 * screen.u
                    spacing: 14 * screen.u
                    Text {
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        text: modelData.name
                        font.pixelSize: 42 * screen.u
                        font.bold: true
                        color: "#0b2e5c"
                    }
                    Text {
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: (modelData.needsNetwork ? "需联网 · " : "") + modelData.timeLimit
                        font.pixelSize: 30 * screen.u
                        color: "#2b7a3d"
                    }
                }
                MouseArea { id: tap; anchors.fill: parent; onClicked: controller.chooseItem(modelData.id) }
            }
        }
    }
    KButton {
        id: backButton
        objectName: "backButton"
        u: screen.u
        primary: false
        anchors { bottom: parent.bottom; bottomMargin: 40 * screen.u; horizontalCenter: parent.horizontalCenter }
        text: "返回"
        onClicked: controller.home()
    }
}
