// 好差评: five levels, best first, each a large button with its stars; once a level is picked,
// the reasons offered with it can be ticked (optional). Skipping is always possible.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: screen.asking ? "请对本次服务进行评价" : "还有材料没打印出来"
    subtitle: controller.itemName + (issuing.result.caseNumber ? "  ·  办件编号 " + issuing.result.caseNumber : "")

    property int level: 0
    property var reasons: []
    // Something did not print: that is seen to first (print again once staff have put paper in,
    // or take it later); the rating waits until the resident has chosen.
    readonly property bool printFailed: (issuing.result.problems || []).length > 0
    property bool later: false
    readonly property bool asking: !printFailed || later
    readonly property var chosenLevel: {
        for (var i = 0; i < issuing.ratingLevels.length; i++)
            if (issuing.ratingLevels[i].value === screen.level) return issuing.ratingLevels[i]
        return null
    }

    function toggleReason(reason) {
        var copy = screen.reasons.slice()
        var at = copy.indexOf(reason)
        if (at >= 0) copy.splice(at, 1); else copy.push(reason)
        screen.reasons = copy
    }

    Rectangle {
        // What did not print and what to do about it comes before any question.
        objectName: "printProblems"
        visible: (issuing.result.problems || []).length > 0
        width: parent ? parent.width : 0
        height: visible ? problemColumn.implicitHeight + 40 * screen.u : 0
        radius: 14 * screen.u
        color: Theme.warnFill
        border.color: Theme.warnLine
        border.width: 3 * screen.u
        Column {
            id: problemColumn
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      margins: 24 * screen.u }
            spacing: 10 * screen.u
            Repeater {
                model: issuing.result.problems || []
                WrappedText {
                    available: parent.width
                    text: "⚠ " + modelData
                    font.pixelSize: 34 * screen.u
                    color: Theme.warn
                }
            }
            WrappedText {
                visible: !screen.later
                available: parent.width
                text: "可以点“呼叫工作人员”请工作人员处理打印机，处理好后点“重新打印”；也可以以后凭办件编号在本机“办件查询”或到窗口打印。"
                font.pixelSize: 32 * screen.u
                color: Theme.ink
            }
        }
    }
    WrappedText {
        visible: screen.asking
        available: parent ? parent.width : 0
        text: "您的评价会送到政务服务“好差评”系统，帮助我们改进服务。评价是自愿的，可以跳过。"
        font.pixelSize: 32 * screen.u
        color: Theme.inkSoft
    }

    Grid {
        // Landscape: the five levels side by side; portrait: one under the other.
        id: levels
        visible: screen.asking
        readonly property bool wide: screen.width > screen.height
        width: parent ? parent.width : 0
        columns: wide ? 5 : 1
        spacing: 16 * screen.u
        Repeater {
            model: issuing.ratingLevels
            delegate: Rectangle {
                readonly property bool picked: screen.level === modelData.value
                objectName: "rate_" + modelData.value
                width: levels.wide ? (levels.width - 4 * levels.spacing) / 5 : levels.width
                height: (levels.wide ? 170 : 110) * screen.u
                radius: 16 * screen.u
                color: picked ? Theme.primary : (tap.pressed ? Theme.primaryFill : Theme.surface)
                border.color: Theme.primary
                border.width: 3 * screen.u
                Accessible.role: Accessible.Button
                Accessible.name: modelData.label
                Grid {
                    anchors { verticalCenter: parent.verticalCenter
                              horizontalCenter: levels.wide ? parent.horizontalCenter : undefined
                              left: levels.wide ? undefined : parent.left
                              leftMargin: 36 * screen.u }
                    columns: levels.wide ? 1 : 2
                    columnSpacing: 36 * screen.u
                    rowSpacing: 10 * screen.u
                    horizontalItemAlignment: Grid.AlignHCenter
                    Text {
                        width: levels.wide ? implicitWidth : 260 * screen.u
                        text: "★".repeat(modelData.value) + "☆".repeat(5 - modelData.value)
                        font.pixelSize: 44 * screen.u
                        color: picked ? "white" : Theme.warnLine
                    }
                    Text {
                        text: modelData.label
                        font.pixelSize: 42 * screen.u
                        font.bold: true
                        color: picked ? "white" : Theme.ink
                    }
                }
                MouseArea {
                    id: tap
                    anchors.fill: parent
                    onClicked: { screen.level = modelData.value; screen.reasons = [] }
                }
            }
        }
    }

    WrappedText {
        visible: screen.asking && screen.chosenLevel !== null
        available: parent ? parent.width : 0
        text: screen.level >= 4 ? "哪些地方让您满意？（可多选，也可不选）" : "哪些地方需要改进？（可多选，也可不选）"
        font.pixelSize: 34 * screen.u
        font.bold: true
        color: Theme.ink
    }
    Flow {
        visible: screen.asking && screen.chosenLevel !== null
        width: parent ? parent.width : 0
        spacing: 16 * screen.u
        Repeater {
            model: screen.chosenLevel ? screen.chosenLevel.reasons : []
            delegate: KButton {
                readonly property bool ticked: screen.reasons.indexOf(modelData) >= 0
                objectName: "reason_" + modelData
                u: screen.u
                primary: ticked
                minWidth: 0
                text: (ticked ? "✓ " : "") + modelData
                onClicked: screen.toggleReason(modelData)
            }
        }
    }

    WrappedText {
        // Why 提交评价 is not available yet: said, not left to a grey button.
        objectName: "ratingHint"
        visible: screen.asking && screen.level === 0
        available: parent ? parent.width : 0
        text: "请先点选一个满意程度，再点“提交评价”；不想评价可以点“跳过”。"
        font.pixelSize: 30 * screen.u
        color: Theme.inkSoft
    }

    buttons: [
        KButton {
            objectName: "printLaterButton"; u: screen.u; primary: false; text: "以后再打印"
            visible: !screen.asking
            enabled: !controller.busy
            onClicked: screen.later = true
        },
        KButton {
            objectName: "printAgainButton"; u: screen.u; text: "重新打印"
            visible: !screen.asking
            enabled: !controller.busy
            onClicked: issuing.printAgain()
        },
        KButton {
            objectName: "skipRatingButton"; u: screen.u; primary: false; text: "跳过"
            visible: screen.asking
            enabled: !controller.busy
            onClicked: issuing.skipRating()
        },
        KButton {
            objectName: "submitRatingButton"; u: screen.u; text: "提交评价"
            visible: screen.asking
            enabled: screen.level > 0 && !controller.busy
            onClicked: issuing.rate(screen.level, screen.reasons)
        }
    ]
}
