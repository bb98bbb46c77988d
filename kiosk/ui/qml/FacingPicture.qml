// How to face the camera, drawn: a face inside the oval that turns its head a little and blinks,
// the two actions the check asks for (a few times, then it rests).
import QtQuick

Item {
    id: picture
    objectName: "facingPicture"
    property real u: 1
    property bool running: true
    implicitWidth: 190 * u
    implicitHeight: 230 * u

    Rectangle {
        // The oval the real face goes into, as on the camera picture.
        anchors.fill: parent
        radius: width / 2
        color: Theme.primaryFill
        border.color: Theme.primary
        border.width: 5 * picture.u
    }
    Item {
        id: head
        anchors.centerIn: parent
        width: parent.width * 0.62
        height: parent.height * 0.62
        transform: Rotation {
            id: turn
            origin.x: head.width / 2
            origin.y: head.height / 2
            axis { x: 0; y: 1; z: 0 }
            angle: 0
        }
        Rectangle {
            anchors.fill: parent
            radius: width / 2
            color: "#f2d3b8"
            border.color: "#8a6a50"
            border.width: 3 * picture.u
        }
        Repeater {
            model: 2
            Rectangle {
                // An eye: closes for a blink.
                x: head.width * (index === 0 ? 0.27 : 0.59)
                y: head.height * 0.4 - height / 2
                width: head.width * 0.14
                height: eyes.open ? width : 3 * picture.u
                radius: height / 2
                color: "#3b2a1e"
            }
        }
        Rectangle {
            // The mouth, a small line.
            anchors.horizontalCenter: parent.horizontalCenter
            y: head.height * 0.7
            width: head.width * 0.3
            height: 4 * picture.u
            radius: 2 * picture.u
            color: "#8a4a3a"
        }
    }
    QtObject { id: eyes; property bool open: true }
    SequentialAnimation {
        running: picture.running && picture.visible
        loops: 5
        NumberAnimation { target: turn; property: "angle"; to: 35; duration: 700; easing.type: Easing.InOutQuad }
        NumberAnimation { target: turn; property: "angle"; to: -35; duration: 1200; easing.type: Easing.InOutQuad }
        NumberAnimation { target: turn; property: "angle"; to: 0; duration: 700; easing.type: Easing.InOutQuad }
        PauseAnimation { duration: 400 }
        PropertyAction { target: eyes; property: "open"; value: false }
        PauseAnimation { duration: 250 }
        PropertyAction { target: eyes; property: "open"; value: true }
        PauseAnimation { duration: 900 }
    }
}
