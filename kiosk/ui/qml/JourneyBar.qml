// Where am I: the six steps of an item (读卡 → 须知 → 填写 → 确认 → 结果 → 取件) under the
// header of every item screen, the current one filled and bold, the ones behind ticked. The
// voice prompt names the step as its screen appears.
import QtQuick

Rectangle {
    id: bar
    objectName: "journeyBar"
    property real u: 1
    property int current: -1
    property var steps: []
    color: Theme.surface

    Rectangle {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: 2 * bar.u
        color: Theme.line
    }

    Row {
        anchors { fill: parent; leftMargin: 24 * bar.u; rightMargin: 24 * bar.u }
        Repeater {
            model: bar.steps
            delegate: Item {
                id: step
                objectName: "journeyStep_" + index
                readonly property bool isCurrent: index === bar.current
                readonly property bool isDone: index < bar.current
                width: (bar.width - 48 * bar.u) / bar.steps.length
                height: bar.height
                Accessible.role: Accessible.StaticText
                Accessible.name: "第" + (index + 1) + "步 " + modelData + (step.isCurrent ? "（当前）" : "")

                Rectangle {
                    // The connector to the step before: solid once that step is behind.
                    visible: index > 0
                    anchors { right: badge.left; rightMargin: 6 * bar.u; verticalCenter: badge.verticalCenter }
                    width: step.width - badge.width - label.implicitWidth - 30 * bar.u
                    height: 4 * bar.u
                    color: step.isDone || step.isCurrent ? Theme.primary : Theme.bar
                }
                Rectangle {
                    id: badge
                    x: (step.width - width - label.implicitWidth - 8 * bar.u) / 2 + 8 * bar.u
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.min(52 * bar.u, bar.height - 20 * bar.u)
                    height: width
                    radius: width / 2
                    color: step.isCurrent ? Theme.primary : (step.isDone ? Theme.good : "white")
                    border.width: step.isCurrent || step.isDone ? 0 : 3 * bar.u
                    border.color: Theme.muted
                    Text {
                        anchors.centerIn: parent
                        text: step.isDone ? "✓" : (index + 1)
                        font.pixelSize: 30 * bar.u
                        font.bold: true
                        color: step.isCurrent || step.isDone ? "white" : Theme.muted
                    }
                }
                Text {
                    id: label
                    anchors { left: badge.right; leftMargin: 8 * bar.u; verticalCenter: parent.verticalCenter }
                    text: modelData
                    font.pixelSize: (step.isCurrent ? 34 : 30) * bar.u
                    font.bold: step.isCurrent
                    color: step.isCurrent ? Theme.primary : (step.isDone ? Theme.ink : Theme.muted)
                }
            }
        }
    }
}
