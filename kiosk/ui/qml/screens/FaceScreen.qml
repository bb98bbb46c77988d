// 人证核验: the live face, an oval to put it in, and the actions to do (blink, turn) in the
// order asked; a failed try says why and offers another, or hall staff, or the window.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var f: faceCheck
    title: "人脸核验"
    subtitle: controller.itemName

    Flow {
    // Portrait: the prompts above the camera picture. Landscape: beside it.
    id: layout
    width: parent ? parent.width : 0
    spacing: 24 * screen.u
    readonly property bool side: screen.width > screen.height * 1.2

    Row {
        // How to face the camera, drawn, beside what to do now.
        id: words
        width: layout.side ? layout.width * 0.4 : layout.width
        spacing: 20 * screen.u
        FacingPicture {
            id: facing
            u: screen.u
            visible: screen.f.state === "watching"
            running: visible
        }
    Column {
        id: wordsText
        width: words.width - (facing.visible ? facing.width + words.spacing : 0)
        spacing: 16 * screen.u
        Rectangle {
            objectName: "faceStatus"
            width: parent.width
            height: faceMessage.implicitHeight + 40 * screen.u
            radius: 14 * screen.u
            color: screen.f.state === "failed" ? Theme.warnFill : Theme.primaryFill
            border.color: screen.f.state === "failed" ? Theme.warnLine : Theme.primary
            border.width: 3 * screen.u
            WrappedText {
                id: faceMessage
                objectName: "faceMessage"
                anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: 24 * screen.u }
                available: parent.width - 48 * screen.u
                text: screen.f.message || ""
                font.pixelSize: 36 * screen.u
                color: screen.f.state === "failed" ? Theme.warn : Theme.ink
            }
        }
        // The actions in the order asked; the one to do now is marked and pulses (a hint that
        // moves with the time the camera watches), the other waits in grey.
        Timer {
            id: stepper
            property int step: 0
            interval: (screen.f.stepSeconds || 3) * 1000
            repeat: true
            running: screen.f.state === "watching" && step < (screen.f.prompts || []).length - 1
            onTriggered: step += 1
        }
        Connections {
            target: faceCheck
            function onChanged() { if (screen.f.state !== "watching") stepper.step = 0 }
        }
        Repeater {
            model: screen.f.state === "watching" ? (screen.f.prompts || []) : []
            delegate: WrappedText {
                id: prompt
                required property string modelData
                required property int index
                readonly property bool now: index === stepper.step
                objectName: "facePrompt_" + index
                available: wordsText.width
                text: (now ? "▶ " : "　 ") + (index + 1) + ". " + modelData
                font.pixelSize: 40 * screen.u
                font.bold: now
                color: now ? Theme.primary : Theme.muted
                SequentialAnimation on opacity {
                    running: prompt.now
                    loops: Animation.Infinite
                    alwaysRunToEnd: true
                    NumberAnimation { to: 0.45; duration: 600; easing.type: Easing.InOutQuad }
                    NumberAnimation { to: 1.0; duration: 600; easing.type: Easing.InOutQuad }
                }
            }
        }
    }

    }
    Item {
        id: pictureArea
        width: layout.side ? layout.width - words.width - layout.spacing : layout.width
        height: layout.side ? Math.max(200, screen.flickable.height - 30 * screen.u)
                            : Math.max(300 * screen.u, screen.flickable.height - words.height - 60 * screen.u)
        Image {
            // What the camera sees now (mirrored), under the oval.
            objectName: "faceLivePreview"
            visible: screen.f.state === "watching" && (screen.f.live || "") !== ""
            anchors.centerIn: parent
            width: parent.width
            height: parent.height * 0.96
            source: visible ? screen.f.live : ""
            cache: false  // personal data: no copy beyond the comparison
            fillMode: Image.PreserveAspectFit
            opacity: 0.9
        }
        Rectangle {
            // Where the face goes.
            objectName: "faceOval"
            visible: screen.f.state === "watching"
            anchors.centerIn: parent
            height: pictureArea.height * 0.8
            width: height * 0.75
            radius: width / 2
            color: "transparent"
            border.color: Theme.primary
            border.width: 6 * screen.u
        }
    }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        KButton {
            objectName: "faceRetry"; u: screen.u; visible: screen.f.state === "failed"; text: "再试一次"
            onClicked: faceCheck.retryFace()
        }
    ]
}
