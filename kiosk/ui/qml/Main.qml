// The kiosk window: header, the current screen, the idle countdown, the dev dock (demo only)
// and the embedded Simplified Chinese virtual keyboard. Screens are chosen by the session
// state machine in Python (controller.screen); QML holds no navigation logic.
import QtQuick
import QtQuick.VirtualKeyboard.Settings

Window {
    id: win
    visible: true
    title: "自助服务终端"
    color: Theme.page
    // One design unit: 1 px on a 1080-px short side; elder mode makes everything 1.3 times larger.
    readonly property real u: Math.min(width, height) / 1080 * Theme.scale
    // A close request from outside (a compositor's close, Alt+F4 under a desktop) is refused:
    // only the kiosk itself closes its window, on the way out (KioskWindow.close sets this).
    property bool allowClose: false
    onClosing: (close) => { close.accepted = allowClose }
    readonly property bool portrait: height >= width

    readonly property var screenFiles: ({
        "home": "HomeScreen.qml", "items": "ItemsScreen.qml", "identify": "IdentifyScreen.qml",
        "guide": "GuideScreen.qml", "form": "FormScreen.qml", "review": "ReviewScreen.qml",
        "deciding": "BusyScreen.qml", "decision": "DecisionScreen.qml", "cases": "CasesScreen.qml",
        "capture": "CaptureScreen.qml", "sign": "SignScreen.qml", "address": "AddressScreen.qml",
        "manual_id": "ManualIdScreen.qml", "consent": "ConsentScreen.qml", "face": "FaceScreen.qml",
        "staff_check": "StaffCheckScreen.qml",
        "printing": "BusyScreen.qml", "rating": "RatingScreen.qml", "done": "DoneScreen.qml"
    })

    Rectangle {
        id: header
        objectName: "header"
        // Portrait has no room for the name beside the buttons: two rows then.
        readonly property bool stacked: win.portrait
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: (stacked ? 210 : 130) * win.u
        color: Theme.header
        Text {
            id: hallName
            objectName: "hallName"
            x: 40 * win.u
            y: header.stacked ? 14 * win.u : (header.height - height) / 2
            width: networkIndicator.x - x - 20 * win.u
            height: header.stacked ? 80 * win.u : header.height * 0.9
            text: controller.hallName + (win.portrait || Theme.elder ? "" : "  ·  自助服务终端")
            color: "white"
            font.pixelSize: 40 * win.u
            font.bold: true
            // The hall's name is the resident's "am I in the right place": on a crowded header it
            // takes two lines or a smaller size, and is cut only as the last resort.
            wrapMode: Text.Wrap
            maximumLineCount: 2
            fontSizeMode: Text.Fit
            minimumPixelSize: 26 * win.u
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            MouseArea {
                // The way into admin mode: hold the hall's name for three seconds (then the
                // staff card and PIN). Nothing shows it; a tap does nothing.
                objectName: "adminCorner"
                anchors.fill: parent
                pressAndHoldInterval: 3000
                onPressAndHold: admin.requestEntry()
            }
        }
        Rectangle {
            // Whether the centre answers: items that need it say what can be done meanwhile.
            id: networkIndicator
            objectName: "networkIndicator"
            // Portrait: on the name's row, at the right; landscape: just left of the buttons.
            x: header.stacked ? header.width - width - 24 * win.u : headerTools.x - width - 16 * win.u
            y: header.stacked ? hallName.y + (hallName.height - height) / 2 : (header.height - height) / 2
            height: 64 * win.u
            width: networkLabel.implicitWidth + 40 * win.u
            radius: height / 2
            color: controller.networkState === "online" ? Theme.good
                 : controller.networkState === "offline" ? Theme.warn : "transparent"
            border.color: "white"
            border.width: 2 * win.u
            Text {
                id: networkLabel
                objectName: "networkLabel"
                anchors.centerIn: parent
                color: "white"
                font.pixelSize: 28 * win.u
                text: controller.networkState === "online" ? "已联网"
                    : controller.networkState === "offline" ? "未联网" : "连接中"
            }
        }
        Row {
            id: headerTools
            x: header.width - width - 24 * win.u
            y: header.stacked ? header.height - height - 16 * win.u : (header.height - height) / 2
            spacing: 16 * win.u
            Text {
                // 帮办: the resident and the hall see that a staff member is helping.
                objectName: "assistedBy"
                visible: controller.assistedBy !== ""
                anchors.verticalCenter: parent.verticalCenter
                text: "帮办：" + controller.assistedBy
                color: "white"
                font.pixelSize: 30 * win.u
            }
            KButton {
                // 呼叫工作人员 on every screen: the hall is told which terminal, item and screen.
                objectName: "callStaffButton"
                u: win.u
                primary: staffCall.called
                tone: "white"
                minWidth: 0
                implicitHeight: 90 * win.u
                font.pixelSize: 34 * win.u
                text: staffCall.called ? "已呼叫工作人员" : "呼叫工作人员"
                color: staffCall.called ? (down ? "#dddddd" : "white") : (down ? Theme.headerPressed : "transparent")
                labelColor: staffCall.called ? Theme.header : "white"
                onClicked: staffCall.call()
            }
            KButton {
                objectName: "elderToggle"
                u: win.u
                primary: Theme.elder
                tone: "white"
                minWidth: 0
                implicitHeight: 90 * win.u
                font.pixelSize: 34 * win.u
                text: Theme.elder ? "标准模式" : "长辈模式"
                color: Theme.elder ? (down ? "#dddddd" : "white") : (down ? Theme.headerPressed : "transparent")
                labelColor: Theme.elder ? Theme.header : "white"
                onClicked: controller.toggleElder()
            }
            KButton {
                objectName: "headerHome"
                visible: controller.screen !== "home"
                u: win.u
                primary: false
                tone: "white"
                minWidth: 0
                text: "回首页"
                implicitHeight: 90 * win.u
                font.pixelSize: 34 * win.u
                color: down ? Theme.headerPressed : "transparent"
                onClicked: controller.askHome()
            }
        }
    }

    JourneyBar {
        id: journeyBar
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        u: win.u
        current: controller.journeyStep
        steps: controller.journeySteps
        // On a short screen the keyboard needs the room: the steps come back when it closes.
        visible: current >= 0 && (win.portrait || !keyboardArea.open)
        height: visible ? (win.portrait ? 104 : 76) * win.u : 0
    }

    Loader {
        id: screenLoader
        objectName: "screenLoader"
        anchors { left: parent.left; right: parent.right; top: journeyBar.bottom }
        height: win.height - header.height - journeyBar.height - keyboardArea.occupied
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
            color: Theme.scrim
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
                    WrappedText {
                        available: parent.width
                        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        horizontalAlignment: Text.AlignHCenter
                        font.pixelSize: 46 * win.u
                        font.bold: true
                        text: "您还在办理吗？"
                    }
                    WrappedText {
                        objectName: "countdownText"
                        available: parent.width
                        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        horizontalAlignment: Text.AlignHCenter
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

    // Help is coming: said at once, and the resident can go on meanwhile.
    Loader {
        objectName: "staffCallLoader"
        anchors.fill: parent
        z: 46
        active: staffCall.shown
        sourceComponent: Rectangle {
            objectName: "staffCallOverlay"
            color: Theme.scrim
            MouseArea { anchors.fill: parent }
            Rectangle {
                anchors.centerIn: parent
                width: Math.min(parent.width * 0.85, 1000 * win.u)
                height: callColumn.implicitHeight + 100 * win.u
                radius: 24 * win.u
                Column {
                    id: callColumn
                    anchors.centerIn: parent
                    width: parent.width - 100 * win.u
                    spacing: 40 * win.u
                    WrappedText {
                        available: parent.width
                        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        horizontalAlignment: Text.AlignHCenter
                        font.pixelSize: 46 * win.u
                        font.bold: true
                        color: Theme.title
                        text: "已通知工作人员"
                    }
                    WrappedText {
                        available: parent.width
                        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        horizontalAlignment: Text.AlignHCenter
                        font.pixelSize: 36 * win.u
                        color: Theme.ink
                        text: "工作人员马上过来帮您，请在这里稍等。已填写的内容都会保留，您也可以接着办理。"
                    }
                    KButton {
                        objectName: "staffCallOk"
                        u: win.u
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: "好的"
                        onClicked: staffCall.dismiss()
                    }
                }
            }
        }
    }

    // Leaving an item under way asks first: one tap must not throw away what the resident gave.
    Loader {
        objectName: "leaveLoader"
        anchors.fill: parent
        z: 45
        active: controller.leaveAsked
        sourceComponent: Rectangle {
            objectName: "leaveOverlay"
            color: Theme.scrim
            MouseArea { anchors.fill: parent }
            Rectangle {
                anchors.centerIn: parent
                width: Math.min(parent.width * 0.85, 1000 * win.u)
                height: leaveColumn.implicitHeight + 100 * win.u
                radius: 24 * win.u
                Column {
                    id: leaveColumn
                    anchors.centerIn: parent
                    width: parent.width - 100 * win.u
                    spacing: 40 * win.u
                    WrappedText {
                        available: parent.width
                        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        horizontalAlignment: Text.AlignHCenter
                        font.pixelSize: 46 * win.u
                        font.bold: true
                        text: "要放弃这次办理吗？"
                    }
                    WrappedText {
                        available: parent.width
                        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
                        horizontalAlignment: Text.AlignHCenter
                        font.pixelSize: 36 * win.u
                        text: "放弃后，已填写的内容会清除，需要从头再办。"
                    }
                    KButton {
                        objectName: "stayButton"
                        u: win.u
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: "继续办理"
                        onClicked: controller.stayHere()
                    }
                    KButton {
                        objectName: "leaveButton"
                        u: win.u
                        primary: false
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: "放弃，回首页"
                        onClicked: controller.home()
                    }
                }
            }
        }
    }

    Loader {
        active: controller.demoMode
        z: 60
        // Below the journey bar's height: the demo's own button must not hide the step 取件.
        anchors { right: parent.right; top: header.bottom; topMargin: 130 * win.u }
        sourceComponent: DevDock { u: win.u; maxHeight: win.height - header.height - 150 * win.u }
    }

    Loader {
        objectName: "adminLoader"
        anchors.fill: parent
        z: 90
        active: admin.open
        source: "admin/AdminOverlay.qml"
        onLoaded: item.u = Qt.binding(function() { return Math.min(win.width, win.height) / 1080 })
    }

    KeyboardArea {
        id: keyboardArea
        z: 99
        u: win.u
        portrait: win.portrait
        field: win.activeFocusItem
        anchors.horizontalCenter: parent.horizontalCenter
        y: open ? win.height - height : win.height
        visible: open
    }

    Component.onCompleted: {
        Theme.elder = Qt.binding(function() { return controller.elderMode })
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
    }
}
