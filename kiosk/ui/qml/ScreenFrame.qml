// The frame of a content screen: a title, a scrollable body and a bar of large buttons.
// The bar keeps one order everywhere: the way back on the left (上一步 within an item, 取消 in
// a sub-step such as a photo or the address picker, 返回首页 once the item is over), the way on
// on the right, in the primary colour.
import QtQuick
import QtQuick.Controls.Basic

Item {
    id: frame
    property real u: 1
    property string title: ""
    property string subtitle: ""
    readonly property string subtitleSeparator: "  ·  "  // between parts of the subtitle
    default property alias content: body.data
    property alias buttons: buttonRow.data
    property alias flickable: flick
    // Typing on a short screen (landscape, elder mode): the keyboard takes half the height, so
    // the button bar folds away until it closes, and what is typed stays in view.
    readonly property bool compact: Qt.inputMethod.visible && frame.height < 700 * frame.u
    // The window's shape, not the frame's: an open keyboard makes the frame short and wide.
    readonly property bool landscape: frame.Window.width > frame.Window.height
    // Whether the whole body has been in view: it fits, or it has been scrolled to its end once.
    // A button that commits the resident (ReadOnButton) waits for it.
    property bool reachedEnd: false
    // Hidden below by less than a line of text (a card's bottom edge and the padding) is seen.
    readonly property bool seenAll: reachedEnd || flick.contentHeight <= flick.height + 36 * frame.u

    function showMore() {
        // A screenful less a few lines, so the line read last is still in view at the top.
        var end = Math.max(0, flick.contentHeight - flick.height)
        scrollOn.to = Math.min(end, flick.contentY + flick.height * 0.8)
        scrollOn.restart()
    }

    function keepFocusInView() {
        var item = frame.Window.activeFocusItem
        var inside = false
        for (var p = item; p; p = p.parent) {
            if (p === body) { inside = true; break }
        }
        if (!inside) return
        var top = item.mapToItem(body, 0, 0).y - 60 * frame.u  // the field's label too
        if (top < flick.contentY || top + item.height + 60 * frame.u > flick.contentY + flick.height)
            flick.contentY = Math.max(0, Math.min(top, flick.contentHeight - flick.height))
    }

    Column {
        id: heading
        anchors { top: parent.top; topMargin: (frame.landscape ? 20 : 30) * frame.u; left: parent.left; right: parent.right
                  leftMargin: 50 * frame.u; rightMargin: 50 * frame.u }
        spacing: 8 * frame.u
        // Landscape is short: the item's name moves beside the title when both fit on a line.
        readonly property bool sideBySide: frame.landscape && frame.subtitle !== ""
            && titleText.naturalWidth + subtitleMetrics.advanceWidth + 50 * frame.u <= width
        TextMetrics { id: subtitleMetrics; font: subtitleBeside.font; text: frame.subtitle }
        Flow {
            // Its parts (the item · the case number) break onto lines whole, never mid-word.
            width: parent.width
            visible: frame.subtitle !== "" && !frame.compact && !heading.sideBySide
            Repeater {
                id: subtitleParts
                model: frame.subtitle.split(frame.subtitleSeparator)
                delegate: WrappedText {
                    required property string modelData
                    required property int index
                    available: Math.min(naturalWidth + 2, heading.width)
                    text: modelData + (index < subtitleParts.count - 1 ? frame.subtitleSeparator : "")
                    font.pixelSize: 30 * frame.u
                    color: Theme.muted
                }
            }
        }
        Item {
            width: parent.width
            height: titleText.height
            WrappedText {
                id: titleText
                available: heading.sideBySide ? naturalWidth + 2 : parent.width
                text: frame.title
                font.pixelSize: 52 * frame.u
                font.bold: true
                color: Theme.title
            }
            WrappedText {
                id: subtitleBeside
                visible: heading.sideBySide && !frame.compact
                anchors { left: titleText.left; leftMargin: titleText.naturalWidth + 50 * frame.u
                          baseline: titleText.baseline }
                available: Math.max(0, parent.width - titleText.naturalWidth - 50 * frame.u)
                text: heading.sideBySide ? frame.subtitle : ""  // no layout work while it is not shown
                font.pixelSize: 30 * frame.u
                color: Theme.muted
            }
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
        onHeightChanged: Qt.callLater(frame.keepFocusInView)
        onAtYEndChanged: if (atYEnd && contentHeight > height + 1) frame.reachedEnd = true
        NumberAnimation on contentY { id: scrollOn; running: false; duration: 250; easing.type: Easing.OutCubic }
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
        // Landscape is short: the bar keeps the buttons' height and gives up its margins.
        height: frame.compact ? 0 : (frame.width > frame.height ? 136 : 170) * frame.u
        visible: !frame.compact
        color: Theme.bar
        Row {
            id: buttonRow
            anchors.centerIn: parent
            spacing: 40 * frame.u
        }
    }
}
