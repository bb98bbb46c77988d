// One item on the choose-an-item screen: its icon, its short plain name and how it ends
// (当场办结 …), or that it needs the network while the network is down.
import QtQuick
import ".."

Item {
    id: cell
    property real u: 1
    property bool iconAbove: false
    property var tile: ({})
    readonly property bool cutOff: tile.needsNetwork === true && controller.networkState === "offline"

    Rectangle {
        id: card
        objectName: "item_" + cell.tile.id
        anchors { fill: parent; margins: 10 * cell.u }
        radius: 18 * cell.u
        color: tap.pressed ? Theme.primaryFill : Theme.surface
        border.color: tap.pressed ? Theme.primary : Theme.line
        border.width: (Theme.elder ? 3 : 2) * cell.u

        IconBadge {
            id: badge
            icon: cell.tile.icon || "item"
            width: (cell.iconAbove ? 68 : (Theme.elder ? 76 : 100)) * cell.u
            x: cell.iconAbove ? (card.width - width) / 2 : 16 * cell.u
            y: cell.iconAbove ? Math.max(12 * cell.u, (card.height - words.height - width - 8 * cell.u) / 2)
                              : (card.height - height) / 2
        }
        Column {
            id: words
            spacing: 2 * cell.u
            x: cell.iconAbove ? 12 * cell.u : badge.x + badge.width + 14 * cell.u
            width: cell.iconAbove ? card.width - 24 * cell.u : card.width - x - 12 * cell.u
            y: cell.iconAbove ? badge.y + badge.height + 8 * cell.u : (card.height - height) / 2
            WrappedText {
                objectName: "itemLabel_" + cell.tile.id
                available: parent.width
                anchors.horizontalCenter: cell.iconAbove ? parent.horizontalCenter : undefined
                horizontalAlignment: cell.iconAbove ? Text.AlignHCenter : Text.AlignLeft
                text: cell.tile.label || ""
                font.pixelSize: (cell.iconAbove ? 36 : 40) * cell.u
                lineHeight: 0.9
                font.bold: true
                color: Theme.title
            }
            WrappedText {
                objectName: "itemNote_" + cell.tile.id
                available: parent.width
                anchors.horizontalCenter: cell.iconAbove ? parent.horizontalCenter : undefined
                horizontalAlignment: cell.iconAbove ? Text.AlignHCenter : Text.AlignLeft
                text: cell.cutOff ? "未联网，可先登记"
                    : (cell.tile.needsNetwork ? "需联网 · " : "") + (cell.tile.timeLimit || "")
                font.pixelSize: 27 * cell.u
                lineHeight: 0.9  // Noto's line box is tall; a two-line note still reads as one block
                color: cell.cutOff ? Theme.warn : Theme.good
            }
        }
        MouseArea { id: tap; anchors.fill: parent; onClicked: controller.chooseItem(cell.tile.id) }
    }
}
