// 一次告知: everything the item needs, told once, before the resident starts.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "办事指南：" + controller.guide.name
    subtitle: "请先了解办理条件和要带的材料，一次说清"

    component Section: Column {
        property string heading
        property var lines: []
        width: parent ? parent.width : 0
        spacing: 10 * screen.u
        Text { text: heading; font.pixelSize: 38 * screen.u; font.bold: true; color: Theme.header }
        Repeater {
            model: lines
            WrappedText {
                available: parent.width
                text: "• " + modelData
                font.pixelSize: 34 * screen.u
                color: Theme.ink
            }
        }
    }

    WrappedText {
        // 证照联办: the case before this one is done (or what did not print of it).
        objectName: "guideNotice"
        visible: controller.notice !== ""
        available: parent ? parent.width : 0
        text: controller.notice
        font.pixelSize: 34 * screen.u
        color: controller.noticeGood ? Theme.good : Theme.bad
    }

    Rectangle {
        // An item that needs the centre, while it cannot be reached: say what can be done now.
        objectName: "offlineNotice"
        visible: controller.guide.needsNetwork === true && controller.networkState === "offline"
        width: parent ? parent.width : 0
        height: visible ? offlineText.implicitHeight + 40 * screen.u : 0
        radius: 14 * screen.u
        color: Theme.warnFill
        border.color: Theme.warnLine
        border.width: 3 * screen.u
        WrappedText {
            id: offlineText
            anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: 24 * screen.u }
            available: parent.width - 48 * screen.u
            font.pixelSize: 34 * screen.u
            color: Theme.warn
            text: "本事项需要联网核验，现在网络中断。" + (controller.guide.offline || "")
        }
    }
    Flow {
        // Landscape: the sections side by side, two a row, instead of lines 1,800 px long.
        id: sections
        objectName: "guideSections"
        readonly property real sectionWidth: screen.width > screen.height ? (width - spacing) / 2 : width
        width: parent ? parent.width : 0
        spacing: 28 * screen.u
        Section { width: sections.sectionWidth; heading: "办理条件"; lines: controller.guide.conditions || [] }
        Section { width: sections.sectionWidth; heading: "所需材料"; lines: controller.guide.materials || [] }
        Section {
            width: sections.sectionWidth
            heading: "办理时限与收费"
            lines: [controller.guide.timeLimit + "，" + controller.guide.fees]
        }
        Section { width: sections.sectionWidth; heading: "设定依据"; lines: [controller.guide.legalBasis || ""] }
        Section {
            width: sections.sectionWidth
            visible: (controller.guide.window || "") !== ""
            heading: "也可以到窗口办理"
            lines: [controller.guide.window || ""]
        }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        KButton { objectName: "guideAccept"; u: screen.u; text: "我已了解，开始填写"; onClicked: controller.acceptGuide() }
    ]
}
