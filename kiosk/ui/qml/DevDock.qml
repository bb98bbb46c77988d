// Demo-mode only: drive the simulated devices (insert a synthetic resident's card, a damaged
// card, take the card away, run the printers out of paper). The panel is built when opened.
import QtQuick

Column {
    id: dock
    property real u: 1
    property bool open: false
    spacing: 8 * u
    width: open ? 460 * u : 120 * u

    component DockButton: KButton {
        u: dock.u
        implicitHeightMin: 0
        implicitHeight: 64 * dock.u
        implicitWidth: 210 * dock.u
        font.pixelSize: 24 * dock.u
        primary: false
        tone: "#7a3fd1"
    }

    KButton {
        objectName: "devDockToggle"
        u: dock.u
        anchors.right: parent.right
        tone: "#7a3fd1"
        text: dock.open ? "收起" : "演示"
        implicitHeightMin: 0
        implicitHeight: 80 * dock.u
        implicitWidth: 120 * dock.u
        font.pixelSize: 28 * dock.u
        onClicked: dock.open = !dock.open
    }
    Loader {
        active: dock.open
        sourceComponent: Rectangle {
            width: dock.width
            height: inner.implicitHeight + 30 * dock.u
            radius: 12 * dock.u
            color: "#f1eafd"
            border.color: "#7a3fd1"
            border.width: 2
            Column {
                id: inner
                anchors { fill: parent; margins: 15 * dock.u }
                spacing: 8 * dock.u
                Text { text: "模拟身份证"; font.pixelSize: 26 * dock.u; color: "#4b2390"; font.bold: true }
                Repeater {
                    model: controller.demoResidents
                    delegate: DockButton {
                        objectName: "dev_card_" + modelData.key
                        width: inner.width
                        text: modelData.label
                        onClicked: controller.devInsertCard(modelData.key)
                    }
                }
                Row {
                    spacing: 8 * dock.u
                    DockButton { objectName: "dev_remove_card"; primary: true; text: "取走卡片"; onClicked: controller.devRemoveCard() }
                    DockButton { objectName: "dev_damaged_card"; primary: true; text: "损坏的卡"; onClicked: controller.devDamagedCard() }
                }
                Text { text: "模拟打印机"; font.pixelSize: 26 * dock.u; color: "#4b2390"; font.bold: true }
                Row {
                    spacing: 8 * dock.u
                    DockButton { objectName: "dev_receipt_no_paper"; text: "回执缺纸"; onClicked: controller.devReceiptPrinter("no_paper") }
                    DockButton { objectName: "dev_a4_no_paper"; text: "A4缺纸"; onClicked: controller.devDocumentPrinter("no_paper") }
                }
                DockButton {
                    objectName: "dev_printers_ok"
                    width: inner.width
                    text: "打印机恢复正常"
                    onClicked: { controller.devReceiptPrinter("online"); controller.devDocumentPrinter("idle") }
                }
            }
        }
    }
}
