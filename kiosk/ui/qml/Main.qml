// The kiosk window: header, the current screen, the idle countdown, the dev dock (demo only)
// and the embedded Simplified Chinese virtual keyboard. Screens are chosen by the session
// state machine in Python (controller.screen); QML holds no navigation logic.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Window {
    id: win
    visible: true
    title: "自助服务终端"
    color: "#f3f5f8"
    readonly property real u: Math.min(width, height) / 1080
    readonly property bool portrait: height >= width

    readonly property var screenFiles: ({
        "home": "HomeScreen.qml", "items": "ItemsScreen.qml", "identify": "IdentifyScreen.qml",
        "guide": "GuideScreen.qml", "form": "FormScreen.qml", "review": "ReviewScreen.qml",
        "deciding": "BusyScreen.qml", "decision": "DecisionScreen.qml",
        "printing": "BusyScreen.qml", "done": "DoneScreen.qml"
    })

    Rectangle {
        id: header
        objectName: "header"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 130 * win.u
        color: "#0b4ea2"
        Text {
            anchors { left: parent.left; leftMargin: 40 * win.u; verticalCenter: parent.verticalCenter }
            text: controller.hallName + "  ·  自助服务终端"
            color: "white"
            font.pixelSize: 40 * win.u
            font.bold: true
        }
        KButton {
            objectName: "headerHome"
            visible: controller.screen !== "home"
            u: win.u
            primary: false
            tone: "white"
            text: "回首页"
            implicitHeight: 90 * win.u
            anchors { right: parent.right; rightMargin: 30 * win.u; verticalCenter: parent.verticalCenter }
            color: down ? "#2d68b8" : "transparent"
            onClicked: controller.home()
        }
    }

    Loader {
        id: screenLoader
        objectName: "screenLoader"
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        height: win.height - header.height - (keyboard.active ? keyboard.height : 0)
        source: "screens/" + win.screenFiles[controller.screen]
        onLoaded: item.u = Qt.binding(function() { return win.u })
    }

    Loader {
        objectName: "countdownLoader"
        anchors.fill: parent
        z: 50
        active: controller.countingDown
        sourceComponent: Rectangle {
            objectName: "countdownOverlay"
            color: "#b0000000"
            MouseArea { anchors.fill: parent }
            Rectangle {
                anchors.centerIn: parent
                width: Math.min(parent.width * 0.85, 1000 * win.u)
                height: column.implicitHeight + 100 * win.u
                radius: 24 * win.u
                Column {
                    id: column
                    anchors.centerIn: parent
                    width: parent.width - 100 * win.u
                    spacing: 40 * win.u
                    Text {
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        font.pixelSize: 46 * win.u
                        font.bold: true
                        text: "您还在办理吗？"
                    }
                    Text {
                        objectName: "countdownText"
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        font.pixelSize: 36 * win.u
                        text: controller.idleSecondsLeft + " 秒后将返回首页，并清除本次填写的信息。"
                    }
                    KButton {
                        objectName: "continueButton"
                        u: win.u
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: "继续办理"
                        onClicked: controller.touch()
                    }
                }
            }
        }
    }

    Loader {
        active: controller.demoMode
        z: 60
        anchors { right: parent.right; top: header.bottom; topMargin: 20 * win.u }
        sourceComponent: DevDock { u: win.u; maxHeight: win.height - header.height - 40 * win.u }
    }

    InputPanel {
        id: keyboard
        objectName: "keyboard"
        z: 99
        width: win.portrait ? win.width : Math.min(win.width, 1100 * win.u)
        anchors.horizontalCenter: parent.horizontalCenter
        y: active ? win.height - height : win.height
        visible: active
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
    }
}
