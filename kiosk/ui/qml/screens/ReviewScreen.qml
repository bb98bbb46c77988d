// Review before submitting: first the business name exactly as the licence will print it, then
// every answer grouped by the form's pages, each group with 修改 back to its page. Three columns
// in landscape, filled in page order and balanced, so the answers are seen rather than scrolled
// past.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "请核对申请信息"
    subtitle: controller.itemName
    readonly property bool wide: width > height
    // Landscape: three columns for three pages or more, two (wider) for fewer.
    readonly property int columnCount: wide ? (controller.review.length >= 3 ? 3 : 2) : 1
    readonly property real columnWidth: (flickable.width - 30 * u - 24 * u * (columnCount - 1)) / columnCount
    // The groups in page order, cut into columns where the tallest column is shortest (a group
    // weighs its answers and its heading; the name card opens the first column).
    readonly property var columns: {
        var groups = controller.review
        var count = columnCount
        if (count === 1 || groups.length === 0) return [groups]
        if (count === 2) return [groups.slice(0, 1), groups.slice(1)]
        function weight(from, to) {
            var total = 0
            for (var i = from; i < to; i++) total += groups[i].rows.length + 2
            return total
        }
        var best = null, bestHeight = 1e9, n = groups.length
        for (var a = 0; a <= n; a++) {
            for (var b = a; b <= n; b++) {
                var tallest = Math.max(3 + weight(0, a), weight(a, b), weight(b, n))
                if (tallest < bestHeight) { bestHeight = tallest; best = [a, b] }
            }
        }
        return [groups.slice(0, best[0]), groups.slice(best[0], best[1]), groups.slice(best[1])]
    }

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
        Repeater {
            model: screen.columns
            delegate: Column {
                id: column
                required property var modelData
                required property int index
                spacing: 18 * screen.u
                Rectangle {
                    objectName: "reviewName"
                    visible: column.index === 0 && controller.reviewName.value !== undefined
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
                        Flow {
                            // On one line when it fits; otherwise the division on the first line
                            // and the 字号 whole on the second (淄川区/华星百货店, not 淄川区华/星…).
                            id: nameFlow
                            objectName: "reviewNameValue"
                            readonly property string text: controller.reviewName.value || ""
                            width: parent.width
                            Repeater {
                                model: controller.reviewName.parts || []
                                delegate: WrappedText {
                                    required property string modelData
                                    available: Math.min(naturalWidth + 2, nameFlow.width)
                                    text: modelData
                                    font.pixelSize: 48 * screen.u
                                    font.bold: true
                                    color: Theme.title
                                }
                            }
                        }
                    }
                }
                Repeater { model: column.modelData; delegate: groupCard }
            }
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
                    WrappedText {
                        id: groupTitle
                        anchors { left: parent.left; verticalCenter: parent.verticalCenter }
                        available: parent.width - editButton.width - 16 * screen.u
                        text: modelData.title
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
                        Item {
                            // The label's column keeps its width; the label wraps evenly inside it.
                            id: rowLabel
                            width: Math.min(290 * screen.u, groupColumn.width * (screen.wide && !Theme.elder ? 0.34 : 0.45))
                            height: labelText.height
                            WrappedText {
                                id: labelText
                                available: parent.width
                                text: modelData.label + "："
                                font.pixelSize: 28 * screen.u
                                color: Theme.muted
                                topPadding: 5 * screen.u  // the smaller label on the value's baseline
                            }
                        }
                        WrappedText {
                            available: parent.width - rowLabel.width - parent.spacing
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
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        ReadOnButton { objectName: "submitButton"; u: screen.u; frame: screen; action: "确认提交"
                       onConfirmed: controller.submit() }
    ]
}
