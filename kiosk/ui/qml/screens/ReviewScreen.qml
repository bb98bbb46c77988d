// Review before submitting: first the business name exactly as the licence will print it, then
// every answer grouped by the form's pages, each group with 修改 back to its page. Two columns
// in landscape, so the answers are seen rather than scrolled past.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "请核对申请信息"
    subtitle: controller.itemName
    readonly property bool wide: width > height
    readonly property real columnWidth: wide ? (flickable.width - 30 * u - 24 * u) / 2 : flickable.width - 30 * u
    // Landscape: the name and the first page's answers on the left, the other pages on the right.
    readonly property var leftGroups: wide ? controller.review.slice(0, 1) : controller.review
    readonly property var rightGroups: wide ? controller.review.slice(1) : []

    WrappedText {
        objectName: "reviewNotice"
        visible: controller.notice !== ""
        available: parent ? parent.width : 0
        text: controller.notice
        font.pixelSize: 32 * screen.u
        color: Theme.bad
    }

    Row {
        spacing: 24 * screen.u
        Column {
            spacing: 18 * screen.u
            Rectangle {
                objectName: "reviewName"
                visible: controller.reviewName.value !== undefined
                width: screen.columnWidth
                height: nameColumn.implicitHeight + 28 * screen.u
                radius: 14 * screen.u
                color: Theme.primaryFill
                border.width: 3 * screen.u
                border.color: Theme.primary
                Column {
                    id: nameColumn
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 28 * screen.u }
                    spacing: 6 * screen.u
                    Text {
                        text: controller.reviewName.label || ""
                        font.pixelSize: 30 * screen.u
                        color: Theme.inkSoft
                    }
                    WrappedText {
                        objectName: "reviewNameValue"
                        available: parent.width
                        text: controller.reviewName.value || ""
                        font.pixelSize: 48 * screen.u
                        font.bold: true
                        color: Theme.title
                    }
                }
            }
            Repeater { model: screen.leftGroups; delegate: groupCard }
        }
        Column {
            visible: screen.wide
            spacing: 18 * screen.u
            Repeater { model: screen.rightGroups; delegate: groupCard }
        }
    }

    Component {
        id: groupCard
        Rectangle {
            id: group
            objectName: "reviewGroup_" + modelData.page
            width: screen.columnWidth
            height: groupColumn.implicitHeight + 32 * screen.u
            radius: 12 * screen.u
            color: "white"
            border.width: 2 * screen.u
            border.color: Theme.line
            Column {
                id: groupColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 * screen.u
                          leftMargin: 24 * screen.u; rightMargin: 24 * screen.u }
                spacing: 8 * screen.u
                Item {
                    width: parent.width
                    height: Math.max(groupTitle.implicitHeight, editButton.height)
                    Text {
                        id: groupTitle
                        anchors { left: parent.left; right: editButton.left; rightMargin: 16 * screen.u
                                  verticalCenter: parent.verticalCenter }
                        text: modelData.title
                        wrapMode: Text.Wrap
                        font.pixelSize: 36 * screen.u
                        font.bold: true
                        color: Theme.title
                    }
                    KButton {
                        id: editButton
                        objectName: "revise_" + modelData.page
                        anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                        u: screen.u
                        primary: false
                        implicitHeight: 76 * screen.u
                        minWidth: 150 * screen.u
                        text: "修改"
                        onClicked: controller.revisePage(modelData.page)
                    }
                }
                Repeater {
                    model: modelData.rows
                    delegate: Row {
                        width: groupColumn.width
                        spacing: 16 * screen.u
                        Text {
                            id: rowLabel
                            width: 290 * screen.u
                            wrapMode: Text.Wrap
                            text: modelData.label + "："
                            font.pixelSize: 28 * screen.u
                            color: Theme.muted
                            topPadding: 5 * screen.u  // the smaller label on the value's baseline
                        }
                        Text {
                            width: parent.width - rowLabel.width - parent.spacing
                            wrapMode: Text.Wrap
                            text: modelData.value
                            font.pixelSize: 34 * screen.u
                            color: Theme.ink
                        }
                    }
                }
            }
        }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "返回修改"; onClicked: controller.back() },
        KButton { objectName: "submitButton"; u: screen.u; text: "确认提交"; onClicked: controller.submit() }
    ]
}
