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
        color: Theme.title
    }
    GridView {
        id: grid
        anchors { top: title.bottom; topMargin: 40 * screen.u; bottom: backButton.top; bottomMargin: 30 * screen.u
                  horizontalCenter: parent.horizontalCenter }
        width: parent.width * 0.9
        readonly property int columns: parent.width > parent.height ? 3 : 2
        cellWidth: width / columns
        // Elder mode's larger text wraps onto more lines in the same width.
        cellHeight: (Theme.elder ? 320 : 260) * screen.u
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {
            objectName: "itemsScrollBar"
            width: 14 * screen.u
            policy: grid.contentHeight > grid.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
        }
        model: controller.items
        delegate: Item {
            width: grid.cellWidth
            height: grid.cellHeight
            Rectangle {
                objectName: "item_" + modelData.id
                anchors { fill: parent; margins: 16 * screen.u }
                radius: 20 * screen.u
                color: tap.pressed ? Theme.primaryFill : "white"
                border.color: Theme.primary
                border.width: 3 * screen.u
                Column {
                    anchors.centerIn: parent
                    width: parent.width - 40 * screen.u
                    spacing: 14 * screen.u
                    WrappedText {
                        anchors.horizontalCenter: parent.horizontalCenter
                        horizontalAlignment: Text.AlignHCenter
                        text: modelData.name
                        font.pixelSize: 42 * screen.u
                        font.bold: true
                        color: Theme.title
                    }
                    WrappedText {
                        readonly property bool cutOff: modelData.needsNetwork && controller.networkState === "offline"
                        objectName: "itemNote_" + modelData.id
                        anchors.horizontalCenter: parent.horizontalCenter
                        horizontalAlignment: Text.AlignHCenter
                        text: cutOff ? "需联网 · 网络中断，可先登记"
                            : (modelData.needsNetwork ? "需联网 · " : "") + modelData.timeLimit
                        font.pixelSize: 30 * screen.u
                        color: cutOff ? Theme.warn : Theme.good
                    }
                }
                MouseArea { id: tap; anchors.fill: parent; onClicked: controller.chooseItem(modelData.id) }
            }
        }
    }
    Rectangle {
        // Not every resident knows a list scrolls: say so while more items lie below.
        objectName: "moreItemsHint"
        visible: grid.contentHeight > grid.height && !grid.atYEnd
        anchors { bottom: grid.bottom; horizontalCenter: grid.horizontalCenter }
        width: hint.implicitWidth + 60 * screen.u
        height: hint.implicitHeight + 24 * screen.u
        radius: height / 2
        color: Theme.title
        opacity: 0.92
        Text {
            id: hint
            anchors.centerIn: parent
            text: "向上滑动，查看更多事项"
            font.pixelSize: 30 * screen.u
            color: "white"
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
