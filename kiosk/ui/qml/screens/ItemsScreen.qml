// Choose an item: every item on one screen, grouped by department, without scrolling. Portrait
// puts two tiles a row with the icon beside the words; landscape gives each department two rows
// and the icon above the words. The tiles share out the height the screen has (a Flickable stays
// underneath only for a catalogue too long to fit, with a hint that it scrolls). No 返回 here:
// it could only go home, which the header's 回首页 does, and its room is the tiles'.
import QtQuick
import QtQuick.Controls.Basic
import ".."

Item {
    id: screen
    property real u: 1
    readonly property bool landscape: width > height
    readonly property var groups: controller.itemGroups

    // Columns a department takes: portrait two at most; landscape as many as two rows need.
    function columnsOf(count) {
        return landscape ? Math.ceil(count / 2) : Math.min(count, 2)
    }
    // Blocks laid side by side: a department each, except that in landscape departments of one
    // item share a column, one above the other (a column each would leave tiles too narrow for
    // their words).
    readonly property var blocks: {
        var result = []
        for (var i = 0; i < groups.length; i++) {
            var count = groups[i].items.length
            var last = result.length > 0 ? result[result.length - 1] : null
            if (landscape && count === 1 && last !== null && last.single && last.groups.length < 2) {
                last.groups.push({ department: groups[i], number: i }); last.headings += 1; last.rows += 1
            } else {
                var cols = columnsOf(count)
                result.push({ cols: cols, groups: [{ department: groups[i], number: i }], single: count === 1, headings: 1,
                              rows: Math.ceil(count / cols) })
            }
        }
        return result
    }
    readonly property int columns: {
        if (!landscape) return 2
        var total = 0
        for (var i = 0; i < blocks.length; i++) total += blocks[i].cols
        return Math.max(total, 1)
    }
    // Headings and rows of tiles down the screen, as the Flow below will lay the blocks out.
    readonly property var layoutRows: {
        var lines = 0, headings = 0, tileRows = 0, used = columns, lineHeadings = 0, lineRows = 0
        for (var i = 0; i < blocks.length; i++) {
            if (used + blocks[i].cols > columns) {
                lines += 1; headings += lineHeadings; tileRows += lineRows; used = 0; lineHeadings = 0; lineRows = 0
            }
            used += blocks[i].cols
            lineHeadings = Math.max(lineHeadings, blocks[i].headings)
            lineRows = Math.max(lineRows, blocks[i].rows)
        }
        return { lines: lines, headings: headings + lineHeadings, tiles: tileRows + lineRows }
    }
    readonly property real headingHeight: 62 * u
    readonly property real cellWidth: flick.width / columns
    readonly property real cellHeight: {
        var room = flick.height - layoutRows.headings * headingHeight - 12 * u * layoutRows.lines
        var shared = room / Math.max(layoutRows.tiles, 1)
        var least = (landscape ? 200 : 150) * u  // below this the words no longer fit: scroll instead
        return Math.max(least, Math.min(shared, (landscape ? 340 : 250) * u))
    }

    // A block's tiles fill the line's height: a column of two departments has a heading more than
    // its neighbours, so its tiles are that much shorter and both end on the same line.
    function tileHeightIn(block) {
        if (!landscape || layoutRows.lines > 1) return cellHeight
        var line = layoutRows.headings * headingHeight + layoutRows.tiles * cellHeight
        return (line - block.headings * headingHeight) / block.rows
    }

    WrappedText {
        id: title
        available: parent.width * 0.9
        anchors { top: parent.top; topMargin: 24 * screen.u; horizontalCenter: parent.horizontalCenter }
        horizontalAlignment: Text.AlignHCenter
        text: "请选择要办理的事项"
        font.pixelSize: 52 * screen.u
        font.bold: true
        color: Theme.title
    }

    Flickable {
        id: flick
        objectName: "itemsList"
        anchors { top: title.bottom; topMargin: 16 * screen.u; bottom: parent.bottom; bottomMargin: 16 * screen.u
                  horizontalCenter: parent.horizontalCenter }
        width: parent.width * (screen.landscape ? 0.96 : 0.94)
        contentWidth: width
        contentHeight: flow.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {
            objectName: "itemsScrollBar"
            width: 14 * screen.u
            policy: flick.contentHeight > flick.height + 1 ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
        }
        Flow {
            id: flow
            width: flick.width + 1  // the departments' widths add up to this, give or take rounding
            spacing: 0
            Repeater {
                model: screen.blocks
                delegate: Column {
                    id: block
                    required property var modelData
                    width: modelData.cols * screen.cellWidth
                    bottomPadding: 12 * screen.u
                    Repeater {
                        model: block.modelData.groups
                        delegate: Column {
                            id: group
                            required property var modelData
                            readonly property int number: modelData.number
                            objectName: "department_" + number
                            width: block.width
                            Item {
                                width: parent.width
                                height: screen.headingHeight
                                Rectangle {
                                    // A coloured mark before the department's name, as on a hall's signs.
                                    x: 12 * screen.u
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: 10 * screen.u
                                    height: 40 * screen.u
                                    radius: 5 * screen.u
                                    color: Theme.header
                                }
                                Text {
                                    objectName: "departmentName_" + group.number
                                    x: 34 * screen.u
                                    width: parent.width - x
                                    anchors.verticalCenter: parent.verticalCenter
                                    text: group.modelData.department.department
                                    elide: Text.ElideRight
                                    font.pixelSize: 34 * screen.u
                                    font.bold: true
                                    color: Theme.inkSoft
                                }
                            }
                            Grid {
                                columns: block.modelData.cols
                                Repeater {
                                    model: group.modelData.department.items
                                    delegate: ItemTile {
                                        width: screen.cellWidth
                                        height: screen.tileHeightIn(block.modelData)
                                        u: screen.u
                                        iconAbove: screen.landscape
                                        tile: modelData
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    Rectangle {
        // Not every resident knows a list scrolls: say so while more items lie below.
        objectName: "moreItemsHint"
        visible: flick.contentHeight > flick.height + 1 && !flick.atYEnd
        anchors { bottom: flick.bottom; horizontalCenter: flick.horizontalCenter }
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
}
