// The decision: what it means, and for every problem what to change, bring or where to go.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var d: controller.decision
    readonly property bool fixing: d.outcome === "needs_fixing"
    readonly property bool committing: d.outcome === "approved_on_commitment"
    title: d.label || ""
    subtitle: controller.itemName + (d.caseNumber ? "  ·  办件编号 " + d.caseNumber : "")

    Rectangle {
        width: parent ? parent.width : 0
        height: summary.implicitHeight + 50 * screen.u
        radius: 16 * screen.u
        color: screen.fixing ? Theme.warnFill : (screen.d.issuesNow ? Theme.goodFill : Theme.primaryFill)
        Text {
            id: summary
            objectName: "decisionSummary"
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 30 * screen.u }
            wrapMode: Text.Wrap
            font.pixelSize: 38 * screen.u
            color: Theme.ink
            text: screen.fixing ? "还有以下问题需要处理，按提示修改后即可继续办理："
                : screen.committing ? "审核通过。请阅读下面的承诺，确认后立即出证。"
                : screen.d.issuesNow ? "审核通过！您的证照现在就可以打印。"
                : "您的申请已受理并保存。工作人员审核后会通知您，结果也可以在本机查询。"
        }
    }

    Rectangle {
        visible: screen.committing
        width: parent ? parent.width : 0
        height: commitmentColumn.implicitHeight + 60 * screen.u
        radius: 16 * screen.u
        color: "white"
        border.color: Theme.header
        border.width: 3 * screen.u
        Column {
            id: commitmentColumn
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 30 * screen.u }
            spacing: 12 * screen.u
            Text { text: "告知承诺书"; font.pixelSize: 38 * screen.u; font.bold: true; color: Theme.header }
            Text {
                id: commitmentText
                objectName: "commitmentText"
                width: parent.width
                wrapMode: Text.Wrap
                text: screen.d.commitment || ""
                font.pixelSize: 34 * screen.u
                lineHeight: 1.3
                color: Theme.ink
            }
        }
    }

    Repeater {
        model: screen.d.failures || []
        delegate: Rectangle {
            width: parent ? parent.width : 0
            height: failure.implicitHeight + 50 * screen.u
            radius: 16 * screen.u
            color: "white"
            border.color: Theme.warnLine
            border.width: 3 * screen.u
            Column {
                id: failure
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 30 * screen.u }
                spacing: 16 * screen.u
                Text { width: parent.width; wrapMode: Text.Wrap; text: modelData.message; font.pixelSize: 38 * screen.u; font.bold: true; color: Theme.ink }
                Text { width: parent.width; wrapMode: Text.Wrap; text: "怎么办：" + modelData.remedy; font.pixelSize: 34 * screen.u; color: Theme.inkSoft }
                Text { visible: modelData.place !== ""; width: parent.width; wrapMode: Text.Wrap
                       text: "办理地点：" + modelData.place; font.pixelSize: 34 * screen.u; color: Theme.inkSoft }
                KButton {
                    visible: screen.fixing && modelData.field !== ""
                    objectName: "fix_" + modelData.field
                    u: screen.u
                    text: "去修改"
                    onClicked: controller.fix(modelData.field)
                }
            }
        }
    }

    buttons: [
        KButton { objectName: "homeButton"; u: screen.u; primary: false; text: "返回首页"; onClicked: controller.home() },
        KButton { objectName: "printButton"; u: screen.u; visible: !screen.fixing && !screen.committing
                  text: screen.d.issuesNow ? "打印证照和回执" : "打印受理回执"; onClicked: controller.printDocuments() },
        KButton { objectName: "commitButton"; u: screen.u; visible: screen.committing
                  text: "我已阅读并承诺，打印"; onClicked: controller.acceptCommitment() }
    ]
}
