// The decision: what it means, and for every problem what to change, bring or where to go;
// the permits and filings the chosen business scope still needs, each with the item that does it
// here next (证照联办) or the window; for a resident sent elsewhere, the guide to print.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var d: controller.decision
    readonly property bool fixing: d.outcome === "needs_fixing"
    readonly property bool committing: d.outcome === "approved_on_commitment"
    // The first answer to change: the bar's 去修改 goes there (each problem has its own below).
    readonly property string firstFix: {
        var failures = d.failures || []
        for (var i = 0; i < failures.length; i++) if (failures[i].field !== "") return failures[i].field
        return ""
    }
    title: d.label || ""
    subtitle: controller.itemName + (d.caseNumber ? "  ·  办件编号 " + d.caseNumber : "")

    Rectangle {
        width: parent ? parent.width : 0
        height: summary.implicitHeight + 50 * screen.u
        radius: 16 * screen.u
        color: screen.fixing ? Theme.warnFill : (screen.d.issuesNow ? Theme.goodFill : Theme.primaryFill)
        WrappedText {
            id: summary
            objectName: "decisionSummary"
            anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: 30 * screen.u }
            available: parent.width - 60 * screen.u
            font.pixelSize: 38 * screen.u
            color: Theme.ink
            text: screen.fixing ? "还有以下问题需要处理，按提示修改后即可继续办理："
                : screen.committing ? "审核通过。请阅读下面的承诺，确认后立即出证。"
                : screen.d.issuesNow ? "审核通过！您的证照现在就可以打印。"
                : "您的申请已受理并保存。工作人员审核后会通知您，结果也可以在本机查询。"
        }
    }

    WrappedText {
        objectName: "decisionNotice"
        visible: controller.notice !== ""
        available: parent ? parent.width : 0
        text: controller.notice
        font.pixelSize: 34 * screen.u
        color: controller.noticeGood ? Theme.good : Theme.bad
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
            WrappedText {
                // The legal name stays (the law names the document); what it means, in one line.
                available: parent.width
                text: "您签字承诺所填属实，就可以当场拿到结果；如有不实，要承担法律责任。"
                font.pixelSize: 30 * screen.u
                color: Theme.inkSoft
            }
            WrappedText {
                id: commitmentText
                objectName: "commitmentText"
                available: parent.width
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
                WrappedText { available: parent.width; text: modelData.message; font.pixelSize: 38 * screen.u; font.bold: true; color: Theme.ink }
                WrappedText { available: parent.width; text: "怎么办：" + modelData.remedy; font.pixelSize: 34 * screen.u; color: Theme.inkSoft }
                WrappedText { visible: modelData.place !== ""; available: parent.width
                       text: "办理地点：" + modelData.place; font.pixelSize: 34 * screen.u; color: Theme.inkSoft }
                KButton {
                    visible: screen.fixing && modelData.field !== ""
                    objectName: "fix_" + modelData.field
                    u: screen.u
                    text: "去修改"
                    onClicked: controller.fix(modelData.field)
                }
                KButton {
                    // Sent to another authority: the item's guide goes along (一次告知 there too).
                    visible: screen.d.printGuide === true && modelData.action === "go_to"
                    objectName: "printGuideButton"
                    u: screen.u
                    primary: false
                    enabled: !controller.busy
                    text: "打印办事指南"
                    onClicked: issuing.printGuide()
                }
            }
        }
    }

    Rectangle {
        // What the chosen business scope still needs before that activity starts (许可, 备案).
        objectName: "permits"
        visible: (screen.d.permits || []).length > 0
        width: parent ? parent.width : 0
        height: visible ? permitColumn.implicitHeight + 60 * screen.u : 0
        radius: 16 * screen.u
        color: "white"
        border.color: Theme.primary
        border.width: 3 * screen.u
        Column {
            id: permitColumn
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 30 * screen.u }
            spacing: 20 * screen.u
            Text { text: "还需办理的许可和备案"; font.pixelSize: 38 * screen.u; font.bold: true; color: Theme.header }
            Repeater {
                model: screen.d.permits || []
                delegate: Column {
                    width: permitColumn.width
                    spacing: 12 * screen.u
                    WrappedText {
                        objectName: "permit_" + index
                        available: parent.width
                        text: modelData.text
                        font.pixelSize: 36 * screen.u
                        font.bold: true
                        color: Theme.ink
                    }
                    WrappedText {
                        visible: modelData.where !== ""
                        objectName: "permitWhere_" + index
                        available: parent.width
                        text: modelData.where
                        font.pixelSize: 32 * screen.u
                        color: Theme.inkSoft
                    }
                    WrappedText {
                        visible: modelData.itemId !== ""
                        available: parent.width
                        text: screen.committing
                            ? "点下面的按钮，即表示您已阅读并承诺上面的承诺书：先打印营业执照，再接着办理，不用再读卡。"
                            : "点下面的按钮，先打印本次的证照和回执，再接着办理，不用再读卡。"
                        font.pixelSize: 30 * screen.u
                        color: Theme.inkSoft
                    }
                    KButton {
                        visible: modelData.itemId !== ""
                        objectName: "continue_" + modelData.itemId
                        u: screen.u
                        wrap: true
                        width: Math.min(parent.width, implicitWidth)
                        enabled: !controller.busy
                        text: "接着办理：" + modelData.itemName
                        onClicked: issuing.continueWith(modelData.itemId)
                    }
                }
            }
        }
    }

    buttons: [
        // While the resident still has to fix an answer or sign the commitment, leaving is the
        // header's 回首页 (which asks first), not a button beside the one that goes on.
        KButton { objectName: "homeButton"; u: screen.u; primary: false; visible: !screen.fixing && !screen.committing
                  text: "返回首页"; onClicked: controller.home() },
        KButton { objectName: "reviewButton"; u: screen.u; primary: false; visible: screen.d.canReview === true
                  text: "返回修改"; onClicked: controller.back() },
        KButton { objectName: "printButton"; u: screen.u; visible: !screen.fixing && !screen.committing
                  text: screen.d.issuesNow ? "打印证照和回执" : "打印受理回执"; onClicked: issuing.printDocuments() },
        KButton { objectName: "fixButton"; u: screen.u; visible: screen.fixing && screen.firstFix !== ""
                  text: "去修改"; onClicked: controller.fix(screen.firstFix) },
        ReadOnButton { objectName: "commitButton"; u: screen.u; frame: screen; visible: screen.committing
                       action: "我已阅读并承诺，打印"; onConfirmed: issuing.acceptCommitment() }
    ]
}
