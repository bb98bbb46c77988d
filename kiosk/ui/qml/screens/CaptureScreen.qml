// The camera takes a page of material: coaching while it looks, then the straightened page for
// the resident to check (使用这张 / 重拍); a failure says what to do instead.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var c: capture
    readonly property bool face: c.kind === "face"
    title: (face ? "拍照：" : "拍摄材料：") + (c.label || "")
    subtitle: controller.itemName

    Flow {
    // Portrait: the words above the picture. Landscape: beside it, so the picture keeps the
    // screen's whole height (in elder mode there is little of it).
    id: layout
    width: parent ? parent.width : 0
    spacing: 24 * screen.u
    readonly property bool side: screen.width > screen.height * 1.2

    Rectangle {
        id: captureStatusBox
        objectName: "captureStatus"
        width: layout.side ? layout.width * 0.36 : layout.width
        height: statusText.implicitHeight + 40 * screen.u
        radius: 14 * screen.u
        color: screen.c.state === "failed" ? Theme.warnFill : Theme.primaryFill
        border.color: screen.c.state === "failed" ? Theme.warnLine : Theme.primary
        border.width: 3 * screen.u
        WrappedText {
            id: statusText
            objectName: "captureMessage"
            anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: 24 * screen.u }
            available: parent.width - 48 * screen.u
            text: screen.c.message || ""
            font.pixelSize: 36 * screen.u
            color: screen.c.state === "failed" ? Theme.warn : Theme.ink
        }
    }

    Item {
        // While watching: where to put the page; once taken: the page itself. Sized to what is
        // left of the screen, in A4's proportions, so nothing needs scrolling.
        id: pictureArea
        width: layout.side ? layout.width - captureStatusBox.width - layout.spacing : layout.width
        height: layout.side ? Math.max(200, screen.flickable.height - 30 * screen.u)
                            : Math.max(300 * screen.u, screen.flickable.height - captureStatusBox.height - 60 * screen.u)
        readonly property real pageHeight: height * 0.96
        readonly property real pageWidth: Math.min(width, pageHeight / 1.414)
        Image {
            // What the camera sees now (mirrored for a face), under the guide drawn on top.
            objectName: "livePreview"
            visible: screen.c.state === "watching" && (screen.c.live || "") !== ""
            anchors.centerIn: parent
            width: parent.width
            height: pictureArea.pageHeight
            source: visible ? screen.c.live : ""
            cache: false  // personal data: no copy beyond the session
            fillMode: Image.PreserveAspectFit
            opacity: 0.9
        }
        Rectangle {
            // Where the face goes: an oval at head height, as on a passport booth.
            visible: screen.c.state === "watching" && screen.face
            anchors.centerIn: parent
            height: pictureArea.pageHeight * 0.8
            width: height * 0.75
            radius: width / 2
            color: "transparent"
            border.color: Theme.primary
            border.width: 6 * screen.u
            Text {
                anchors.centerIn: parent
                width: parent.width * 0.8
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: "请看摄像头"
                font.pixelSize: 40 * screen.u
                color: Theme.primary
            }
        }
        Rectangle {
            visible: screen.c.state === "watching" && !screen.face
            anchors.centerIn: parent
            width: pictureArea.pageWidth
            height: pictureArea.pageWidth * 1.414
            color: "transparent"
            border.color: Theme.primary
            border.width: 6 * screen.u
            radius: 10 * screen.u
            Text {
                anchors { fill: parent; margins: 20 * screen.u }
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                text: "材料放在这里\n（正面朝上）"
                font.pixelSize: 40 * screen.u
                fontSizeMode: Text.Fit  // a short landscape screen leaves a narrow frame
                minimumPixelSize: 18 * screen.u
                color: Theme.primary
            }
        }
        Image {
            objectName: "capturePreview"
            visible: screen.c.state === "review"
            anchors.centerIn: parent
            source: screen.c.image || ""
            cache: false  // personal data: no copy beyond the session
            width: pictureArea.pageWidth
            height: pictureArea.pageWidth * 1.414
            fillMode: Image.PreserveAspectFit
            sourceSize.width: 1240
        }
    }

    }

    buttons: [
        KButton { objectName: "cancelCaptureButton"; u: screen.u; primary: false; text: "取消"; onClicked: capture.cancelCapture() },
        // Always in the row, shown and enabled only when they apply: buttons must not move under
        // a finger when the picture is taken (取消 would slide to where 重拍 appears).
        KButton {
            objectName: "retakeCaptureButton"; u: screen.u; primary: false; text: "重拍"
            enabled: screen.c.state === "review" || screen.c.state === "failed"
            opacity: enabled ? 1 : 0
            onClicked: capture.retakeCapture()
        },
        KButton {
            objectName: "useCaptureButton"; u: screen.u; text: "使用这张"
            enabled: screen.c.state === "review"
            opacity: enabled ? 1 : 0
            onClicked: capture.useCapture()
        }
    ]
}
