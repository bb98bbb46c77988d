// Where the card goes, shown rather than told: the reader pad below the screen, drawn, and an ID
// card that moves down onto it, rests, and lifts off again (a few times, then it rests on the
// pad: an animation left running would cost the idle terminal its CPU).
import QtQuick

Item {
    id: picture
    property real u: 1
    property bool running: true
    readonly property real cardWidth: Math.min(width * 0.62, 460 * u, (height * 0.55) / 0.63)
    readonly property real cardHeight: cardWidth * 0.63  // an ID card's proportions, 85.6 × 54 mm

    Rectangle {
        // The reader pad, as it sits on the terminal's desk below the screen.
        id: pad
        objectName: "readerPad"
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom }
        width: picture.cardWidth * 1.35
        height: picture.cardHeight * 1.3
        radius: 28 * picture.u
        color: "#2b3440"
        Rectangle {
            anchors { fill: parent; margins: 16 * picture.u }
            radius: 18 * picture.u
            color: "#3c4756"
            border.width: 3 * picture.u
            border.color: "#7d8da3"
        }
        Text {
            anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: 26 * picture.u }
            text: "读卡区"
            color: "white"
            font.pixelSize: 34 * picture.u
            font.bold: true
        }
    }
    Rectangle {
        // The card, face up, as the resident holds it.
        id: card
        objectName: "movingCard"
        width: picture.cardWidth
        height: picture.cardHeight
        x: (picture.width - width) / 2
        readonly property real above: 0
        readonly property real onPad: pad.y + (pad.height - height) / 2 - 10 * picture.u
        y: onPad
        radius: 20 * picture.u
        color: Theme.primaryFill
        border.color: Theme.primary
        border.width: 4 * picture.u
        Rectangle {
            x: parent.width * 0.07; y: parent.height * 0.18
            width: parent.width * 0.27; height: parent.height * 0.55
            radius: 8 * picture.u
            color: "#9aa7b8"  // a picture's greys, the same in elder mode (its line colour is black)
        }
        Column {
            x: parent.width * 0.42; y: parent.height * 0.22; spacing: parent.height * 0.08
            Repeater {
                model: 4
                Rectangle { width: card.width * 0.46; height: card.height * 0.055; radius: height / 2; color: "#9aa7b8" }
            }
        }
        SequentialAnimation on y {
            running: picture.running && picture.visible
            loops: 6
            NumberAnimation { from: card.above; to: card.onPad; duration: 1100; easing.type: Easing.InOutCubic }
            PauseAnimation { duration: 1400 }
            NumberAnimation { to: card.above; duration: 500; easing.type: Easing.InCubic }
            PauseAnimation { duration: 300 }
            onFinished: card.y = card.onPad
        }
    }
}
