// The first screen: what the terminal does (its departments, drawn), the one button to start,
// and the three steps every item takes, so a first-time resident knows what is coming.
import QtQuick
import ".."

Item {
    id: screen
    property real u: 1
    readonly property bool wide: width > height
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.88
        spacing: (screen.wide ? 26 : 60) * screen.u
        WrappedText {
            objectName: "homeTitle"
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: "欢迎使用自助服务终端"
            font.pixelSize: (screen.wide ? 64 : 76) * screen.u
            font.bold: true
            color: Theme.title
        }
        Flow {
            // The departments whose items are here, each with the icon of its first item.
            objectName: "homeDepartments"
            anchors.horizontalCenter: parent.horizontalCenter
            // Landscape: every department in one row; portrait: two a row.
            readonly property int perRow: screen.wide ? Math.max(1, controller.itemGroups.length) : 2
            readonly property real chipWidth: Math.min((screen.wide ? 330 : 380) * screen.u,
                                                       (parent.width - (perRow - 1) * spacing) / perRow)
            width: perRow * chipWidth + (perRow - 1) * spacing
            spacing: 20 * screen.u
            Repeater {
                model: controller.itemGroups
                delegate: Rectangle {
                    width: parent.chipWidth
                    height: 104 * screen.u
                    radius: height / 2
                    color: Theme.surface
                    border.color: Theme.line
                    border.width: 2 * screen.u
                    IconBadge {
                        id: badge
                        x: 12 * screen.u
                        anchors.verticalCenter: parent.verticalCenter
                        width: 80 * screen.u
                        icon: modelData.items[0].icon || "item"
                    }
                    Text {
                        anchors { left: badge.right; leftMargin: 16 * screen.u; right: parent.right
                                  rightMargin: 20 * screen.u; verticalCenter: parent.verticalCenter }
                        text: modelData.department
                        elide: Text.ElideRight
                        font.pixelSize: 36 * screen.u
                        font.bold: true
                        color: Theme.inkSoft
                    }
                }
            }
        }
        KButton {
            objectName: "startButton"
            u: screen.u
            anchors.horizontalCenter: parent.horizontalCenter
            implicitWidth: 560 * screen.u
            implicitHeight: (screen.wide ? 140 : 170) * screen.u
            font.pixelSize: 56 * screen.u
            enabled: controller.ready && controller.outOfService === ""
            text: controller.outOfService !== "" ? "暂停服务"
                  : controller.ready ? "点击开始办理" : "正在准备…"
            onClicked: controller.start()
        }
        Row {
            // The three steps of every item.
            objectName: "homeSteps"
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: 12 * screen.u
            Repeater {
                model: [
                    { icon: "item", words: "选择事项" },
                    { icon: "identity", words: "放身份证" },
                    { icon: "licence", words: "填写后打印" }
                ]
                delegate: Row {
                    spacing: 12 * screen.u
                    Text {
                        visible: index > 0
                        anchors.verticalCenter: parent.verticalCenter
                        text: "→"
                        font.pixelSize: 44 * screen.u
                        color: Theme.muted
                    }
                    Column {
                        spacing: 8 * screen.u
                        IconBadge {
                            anchors.horizontalCenter: parent.horizontalCenter
                            width: (screen.wide ? 80 : 96) * screen.u
                            icon: modelData.icon
                        }
                        Text {
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: (index + 1) + ". " + modelData.words
                            font.pixelSize: 34 * screen.u
                            color: Theme.ink
                        }
                    }
                }
            }
        }
        WrappedText {
            objectName: "homeHint"
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            // Out of service: the one plain sentence, in the ink colour, not the faint hint's.
            text: controller.outOfService !== "" ? controller.outOfService
                  : "请准备好您的居民身份证。如需帮助，请点右上角“呼叫工作人员”。"
            font.pixelSize: (controller.outOfService !== "" ? 40 : 32) * screen.u
            font.bold: controller.outOfService !== ""
            color: controller.outOfService !== "" ? Theme.ink : Theme.muted
        }
    }
}
