// The signature pad: what the signature covers, a large box to write in with a finger, and
// 重写 / 确认签名. The strokes go to Python, which draws the picture kept with the case.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var c: capture
    title: "签名：" + (c.label || "")
    subtitle: controller.itemName
    // Writing must not scroll the page.
    Component.onCompleted: screen.flickable.interactive = false

    WrappedText {
        id: statementText
        objectName: "signStatement"
        available: parent ? parent.width : 0
        text: screen.c.statement || ""
        font.pixelSize: 34 * screen.u
        color: Theme.ink
    }
    WrappedText {
        id: signMessage
        objectName: "signMessage"
        available: parent ? parent.width : 0
        text: screen.c.message || ""
        font.pixelSize: 32 * screen.u
        color: pad.tooLittle ? Theme.bad : Theme.inkSoft
    }

    Rectangle {
        id: pad
        objectName: "signaturePad"
        property var strokes: []
        readonly property bool tooLittle: (screen.c.message || "").indexOf("太短") >= 0
        width: parent ? parent.width : 0
        // What is left below the texts (the page does not scroll while writing), but never so
        // small that a name does not fit.
        height: Math.max(160, screen.flickable.height - statementText.height - signMessage.height - 80 * screen.u)
        radius: 12 * screen.u
        color: "white"
        border.color: Theme.primary
        border.width: 4 * screen.u
        Rectangle {  // the line to sign on
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                      leftMargin: 60 * screen.u; rightMargin: 60 * screen.u; bottomMargin: parent.height * 0.22 }
            height: 3 * screen.u
            color: Theme.line
        }
        Text {
            anchors.centerIn: parent
            visible: pad.strokes.length === 0
            text: "请在这里写下您的姓名"
            font.pixelSize: 44 * screen.u
            color: Theme.muted
        }
        Canvas {
            id: ink
            anchors.fill: parent
            onPaint: {
                var ctx = getContext("2d")
                ctx.clearRect(0, 0, width, height)
                ctx.strokeStyle = "#111111"
                ctx.lineWidth = 6 * screen.u
                ctx.lineCap = "round"
                ctx.lineJoin = "round"
                for (var i = 0; i < pad.strokes.length; i++) {
                    var s = pad.strokes[i]
                    ctx.beginPath()
                    ctx.moveTo(s[0][0], s[0][1])
                    for (var j = 1; j < s.length; j++) ctx.lineTo(s[j][0], s[j][1])
                    if (s.length === 1) ctx.lineTo(s[0][0] + 0.5, s[0][1] + 0.5)
                    ctx.stroke()
                }
            }
        }
        MouseArea {
            anchors.fill: parent
            preventStealing: true
            onPressed: function(mouse) {
                pad.strokes.push([[mouse.x, mouse.y]])
                ink.requestPaint()
            }
            onPositionChanged: function(mouse) {
                if (pad.strokes.length > 0) {
                    pad.strokes[pad.strokes.length - 1].push([mouse.x, mouse.y])
                    ink.requestPaint()
                }
            }
            onReleased: pad.strokesChanged()
        }
    }

    buttons: [
        KButton { objectName: "cancelSignButton"; u: screen.u; primary: false; text: "取消"; onClicked: capture.cancelCapture() },
        KButton {
            objectName: "clearSignButton"; u: screen.u; primary: false; text: "重写"
            onClicked: { pad.strokes = []; ink.requestPaint() }
        },
        KButton {
            objectName: "keepSignButton"; u: screen.u; text: "确认签名"
            onClicked: capture.keepSignature(pad.strokes, pad.width, pad.height)
        }
    ]
}
