// A text that wraps into lines of even length, so no line ends with one character alone
// (终/端, 读/卡区): the box is narrowed to the sentence's length over the lines it needs.
// Give it `available` (the most width it may take) instead of a width.
import QtQuick

Text {
    id: control
    property real available: parent ? parent.width : 0
    // Lines by length; more when Qt's breaking (a number or a word kept whole, 《》、。 that may
    // not start or end a line) needs more even at the full width.
    property int extraLines: 0
    readonly property real naturalWidth: metrics.advanceWidth  // the text on one line
    readonly property int lines: Math.max(1, Math.ceil((metrics.advanceWidth + 1) / Math.max(1, available)))
        + extraLines
    // Half a character's width of slack over an even share; a character more at a time while
    // Qt's wrapping (punctuation, rounding) still spills onto a line more (fit() below). A whole
    // character of slack from the start let a short label break 4 + 1 (经营者姓/名：).
    property int widened: 0
    width: lines > 1
        ? Math.min(available, Math.ceil(metrics.advanceWidth / lines) + font.pixelSize * (0.5 + widened))
        : available
    wrapMode: Text.Wrap
    function fit() {
        if (lines < 2 || lineCount <= lines) return
        if (widened < 4 && width < available) widened += 1
        else if (extraLines < 3) { extraLines += 1; widened = 0 }
    }
    onLineCountChanged: Qt.callLater(fit)  // not within the width binding that changed it (a loop)
    Component.onCompleted: Qt.callLater(fit)  // laid out before the handler above was listening
    // A new text or width starts again from an even share; its line count may not change (so
    // the handler above would not run), hence the check once it is laid out.
    onTextChanged: { widened = 0; extraLines = 0; Qt.callLater(fit) }
    onAvailableChanged: { widened = 0; extraLines = 0; Qt.callLater(fit) }
    TextMetrics { id: metrics; font: control.font; text: control.text }
}
