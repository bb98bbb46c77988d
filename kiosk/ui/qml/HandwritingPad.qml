// The writing pad (手写): the resident writes one character with a finger, the likeliest
// characters appear above in large cells after every stroke, a tap puts one into the field.
// Recognition is offline (handwriting → zinnia); the strokes are forgotten once a character is
// chosen.
import QtQuick

Rectangle {
    id: pad
    objectName: "handwritingPad"
    property real u: 1
    property Item target: null  // the text field the characters go into
    signal done()
    color: Theme.bar

    readonly property real gap: 14 * u
    readonly property real cellSize: Math.max(100 * u, 60)
    readonly property var strokes: []  // the character being written: flat x, y lists
    property var current: []
    property int strokeCount: 0

    function clearWriting() {
        strokes.length = 0
        current = []
        strokeCount = 0
        handwriting.clear()
        ink.requestPaint()
    }
    function choose(character) {
        if (target && target.insert !== undefined && !target.readOnly)
            target.insert(target.cursorPosition, character)
        clearWriting()
    }
    function backspace() {
        if (strokeCount > 0) { clearWriting(); return }  // first the half-written character
        if (target && target.remove !== undefined && target.cursorPosition > 0)
            target.remove(target.cursorPosition - 1, target.cursorPosition)
    }

    implicitHeight: candidatesRow.height + 3 * cellSize + 3 * gap  // the least a finger can write in

    Row {
        id: candidatesRow
        objectName: "handwritingCandidates"
        x: pad.gap; y: pad.gap
        width: pad.width - 2 * pad.gap
        height: pad.cellSize
        spacing: pad.gap / 2
        readonly property int fits: Math.max(1, Math.floor((width + spacing) / (pad.cellSize + spacing)))
        Text {
            visible: handwriting.candidates.length === 0
            height: parent.height
            verticalAlignment: Text.AlignVCenter
            text: pad.strokeCount === 0 ? "请在下方方框里用手指写一个字" : "请接着写，写完点上面的字"
            font.pixelSize: 32 * pad.u
            color: Theme.ink
        }
        Repeater {
            model: handwriting.candidates.slice(0, candidatesRow.fits)
            delegate: Rectangle {
                objectName: "handwritingCandidate_" + modelData
                width: pad.cellSize; height: pad.cellSize
                radius: 12 * pad.u
                color: tap.pressed ? Theme.primaryFill : "white"
                border.width: index === 0 ? 4 * pad.u : 2 * pad.u
                border.color: index === 0 ? Theme.primary : Theme.line
                Accessible.role: Accessible.Button
                Accessible.name: modelData
                Text {
                    anchors.centerIn: parent
                    text: modelData
                    font.pixelSize: pad.cellSize * 0.62
                    color: Theme.ink
                }
                MouseArea { id: tap; anchors.fill: parent; onClicked: pad.choose(modelData) }
            }
        }
    }

    Rectangle {
        id: writingArea
        objectName: "handwritingArea"
        x: pad.gap
        y: candidatesRow.y + candidatesRow.height + pad.gap
        width: tools.x - x - pad.gap
        height: pad.height - y - pad.gap
        radius: 12 * pad.u
        color: "white"
        border.width: 2 * pad.u
        border.color: Theme.line
        clip: true
        // A 田字格 guide, as on a school exercise book: where to write and how large.
        Canvas {
            id: grid
            anchors.centerIn: parent
            width: Math.min(parent.width, parent.height) - 20 * pad.u
            height: width
            onPaint: {
                var g = getContext("2d")
                g.reset()
                g.strokeStyle = "#c9d3e0"
                g.lineWidth = 2
                g.setLineDash([8, 8])
                g.beginPath()
                g.moveTo(width / 2, 0); g.lineTo(width / 2, height)
                g.moveTo(0, height / 2); g.lineTo(width, height / 2)
                g.stroke()
                g.setLineDash([])
                g.strokeRect(1, 1, width - 2, height - 2)
            }
        }
        Canvas {
            id: ink
            anchors.fill: parent
            onPaint: {
                var g = getContext("2d")
                g.reset()
                g.strokeStyle = Theme.ink
                g.lineWidth = 9 * pad.u
                g.lineCap = "round"
                g.lineJoin = "round"
                var all = pad.strokes.concat([pad.current])
                for (var s = 0; s < all.length; s++) {
                    var p = all[s]
                    if (p.length < 2) continue
                    g.beginPath()
                    g.moveTo(p[0], p[1])
                    for (var i = 2; i + 1 < p.length; i += 2) g.lineTo(p[i], p[i + 1])
                    if (p.length === 2) g.lineTo(p[0] + 0.5, p[1] + 0.5)  // a dot
                    g.stroke()
                }
            }
        }
        MouseArea {
            anchors.fill: parent
            preventStealing: true
            onPressed: (mouse) => { pad.current = [mouse.x, mouse.y]; ink.requestPaint() }
            onPositionChanged: (mouse) => {
                var c = pad.current
                c.push(mouse.x, mouse.y)
                pad.current = c
                ink.requestPaint()
            }
            onReleased: (mouse) => {
                pad.strokes.push(pad.current)
                pad.current = []
                pad.strokeCount = pad.strokes.length
                handwriting.recognize(pad.strokes, ink.width, ink.height)
                ink.requestPaint()
            }
        }
    }

    Column {
        id: tools
        x: pad.width - width - pad.gap
        y: writingArea.y
        width: Math.max(240 * pad.u, 150)
        spacing: pad.gap
        readonly property real buttonHeight: (writingArea.height - 2 * spacing) / 3
        KButton {
            objectName: "handwritingRewrite"
            u: pad.u; primary: false; takesFocus: false
            width: parent.width; implicitHeight: tools.buttonHeight
            minWidth: 0
            text: "重写"
            enabled: pad.strokeCount > 0
            onClicked: pad.clearWriting()
        }
        KButton {
            objectName: "handwritingBackspace"
            u: pad.u; primary: false; takesFocus: false
            width: parent.width; implicitHeight: tools.buttonHeight
            minWidth: 0
            text: "删除"
            onClicked: pad.backspace()
        }
        KButton {
            objectName: "handwritingDone"
            u: pad.u; takesFocus: false
            width: parent.width; implicitHeight: tools.buttonHeight
            minWidth: 0
            text: "写好了"
            onClicked: { pad.clearWriting(); pad.done() }
        }
    }
}
