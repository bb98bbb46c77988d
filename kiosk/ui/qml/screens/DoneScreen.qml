import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var r: issuing.result
    title: "办理完成，感谢您的使用"
    subtitle: controller.itemName

    Repeater {
        model: [
            { label: "办件编号", value: screen.r.caseNumber || "" },
            { label: "统一社会信用代码", value: screen.r.creditCode || "" },
            { label: "已出具", value: (screen.r.documents || []).join("、") }
        ]
        delegate: Row {
            visible: modelData.value !== ""
            spacing: 24 * screen.u
            Text { text: modelData.label + "："; font.pixelSize: 36 * screen.u; color: Theme.muted }
            Text { objectName: "done_" + index; text: modelData.value; font.pixelSize: 36 * screen.u; font.bold: true; color: Theme.ink }
        }
    }
    Repeater {
        model: screen.r.problems || []
        delegate: WrappedText {
            available: parent ? parent.width : 0
            text: "⚠ " + modelData
            font.pixelSize: 34 * screen.u
            color: Theme.bad
        }
    }
    WrappedText {
        available: parent ? parent.width : 0
        objectName: "doneAdvice"
        text: (screen.r.documents || []).length > 0
            ? "请取走您的身份证和打印好的材料。凭办件编号可随时查询进度。"
            : "请取走您的身份证。凭身份证或办件编号，可在本机“办件查询”中查询进度和打印。"
        font.pixelSize: 36 * screen.u
        color: Theme.ink
    }

    buttons: [
        KButton { objectName: "homeButton"; u: screen.u; text: "返回首页"; onClicked: controller.home() }
    ]
}
