// 办件查询: the resident's cases on this terminal, newest first, each with where it stands and
// what to do; a case that can be printed here has its own print button (自助打证).
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: issuing.caseRows.length > 0 ? "您的办件（共 " + issuing.caseRows.length + " 件）" : "没有找到您的办件"
    subtitle: "办件查询"

    WrappedText {
        objectName: "noCases"
        visible: issuing.caseRows.length === 0
        available: parent ? parent.width : 0
        text: "本机没有您的办件记录。如果是在窗口或其他终端办理的，请带上身份证到便民服务中心综合窗口查询。"
        font.pixelSize: 36 * screen.u
        color: Theme.ink
    }

    Repeater {
        model: issuing.caseRows
        delegate: Rectangle {
            objectName: "case_" + modelData.number
            width: parent ? parent.width : 0
            height: card.implicitHeight + 48 * screen.u
            radius: 16 * screen.u
            color: Theme.surface
            border.color: modelData.printable ? Theme.good : Theme.line
            border.width: (modelData.printable ? 4 : 2) * screen.u
            Column {
                id: card
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: 24 * screen.u }
                spacing: 12 * screen.u
                Row {
                    width: parent.width
                    spacing: 20 * screen.u
                    Text {
                        width: parent.width - stateLabel.width - 20 * screen.u
                        wrapMode: Text.Wrap
                        text: modelData.itemName
                        font.pixelSize: 38 * screen.u
                        font.bold: true
                        color: Theme.ink
                    }
                    Rectangle {
                        id: stateLabel
                        width: stateText.implicitWidth + 36 * screen.u
                        height: stateText.implicitHeight + 16 * screen.u
                        radius: height / 2
                        color: modelData.printable ? Theme.goodFill : Theme.primaryFill
                        Text {
                            id: stateText
                            objectName: "caseState_" + modelData.number
                            anchors.centerIn: parent
                            text: modelData.state
                            font.pixelSize: 30 * screen.u
                            font.bold: true
                            color: modelData.printable ? Theme.good : Theme.primary
                        }
                    }
                }
                WrappedText {
                    available: parent.width
                    text: "办件编号 " + modelData.number + "　　受理日期 " + modelData.decidedOn
                    font.pixelSize: 30 * screen.u
                    color: Theme.muted
                }
                WrappedText {
                    objectName: "caseNext_" + modelData.number
                    available: parent.width
                    text: modelData.nextStep
                    font.pixelSize: 34 * screen.u
                    color: Theme.ink
                }
                KButton {
                    objectName: "printCase_" + modelData.number
                    visible: modelData.printable
                    u: screen.u
                    tone: Theme.good
                    text: "打印"
                    enabled: !controller.busy
                    onClicked: issuing.printCase(modelData.id)
                }
            }
        }
    }

    buttons: [
        KButton { objectName: "homeButton"; u: screen.u; primary: false; text: "返回首页"; onClicked: controller.home() }
    ]
}
