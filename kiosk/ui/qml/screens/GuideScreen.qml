// 一次告知: everything the item needs, told once, before the resident starts.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "办事指南：" + controller.guide.name
    subtitle: "请先了解办理条件和所需材料（一次告知）"

    component Section: Column {
        property string heading
        property var lines: []
        width: parent ? parent.width : 0
        spacing: 10 * screen.u
        Text { text: heading; font.pixelSize: 38 * screen.u; font.bold: true; color: "#0b4ea2" }
        Repeater {
            model: lines
            Text {
                width: parent.width
                wrapMode: Text.Wrap
                text: "• " + modelData
                font.pixelSize: 34 * screen.u
                color: "#1d2939"
            }
        }
    }

    Section { heading: "办理条件"; lines: controller.guide.conditions || [] }
    Section { heading: "所需材料"; lines: controller.guide.materials || [] }
    Section { heading: "办理时限与收费"; lines: [controller.guide.timeLimit + "，" + controller.guide.fees] }
    Section { heading: "设定依据"; lines: [controller.guide.legalBasis || ""] }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "返回"; onClicked: controller.back() },
        KButton { objectName: "guideAccept"; u: screen.u; text: "我已了解，开始填写"; onClicked: controller.acceptGuide() }
    ]
}
