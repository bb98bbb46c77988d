// A text that wraps into lines of even length, so no line ends with one character alone
// (终/端, 读/卡区): the box is narrowed to the sentence's length over the lines it needs.
// Give it `available` (the most width it may take) instead of a width.
import QtQuick

Text {
    id: control
    property real available: parent ? parent.width : 0
    readonly property int lines: Math.max(1, Math.ceil((metrics.advanceWidth + 1) / Math.max(1, available)))
    // One character's width of slack, so Qt's wrapping does not spill the last character over;
    // more when punctuation that may not start or end a line (《》、。) still pushed one over.
    property int widened: 0
    width: lines > 1
        ? Math.min(available, Math.ceil(metrics.advanceWidth / lines) + font.pixelSize * (1.2 + widened))
        : available
    wrapMode: Text.Wrap
    onLineCountChanged: {
        if (lines > 1 && lineCount > lines && widened < 4 && width < available) widened += 1
    }
    onTextChanged: widened = 0
    TextMetrics { id: metrics; font: control.font; text: control.text }
}
