// The end of an item: what to take away, listed (the card they used, every printed paper, the
// receipt), and the case's numbers in a card.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    readonly property var r: issuing.result
    readonly property var printed: screen.r.documents || []
    title: "办理完成，感谢您的使用"
    subtitle: controller.itemName

    Repeater {
        model: screen.r.problems || []
        delegate: WrappedText {
            available: parent ? parent.width : 0
            text: "⚠ " + modelData
            font.pixelSize: 34 * screen.u
            color: Theme.bad
        }
    }
    Flow {
        // What to take away first (an ID card left in the reader is the commonest loss), then
        // the numbers to keep; side by side in landscape.
        id: cards
        readonly property real cardWidth: screen.width > screen.height ? (width - spacing) / 2 : width
        width: parent ? parent.width : 0
        spacing: 24 * screen.u
        Rectangle {
            // What to take away, as a list a resident checks against their hands.
            objectName: "takeAway"
            width: cards.cardWidth
            height: takeList.implicitHeight + 48 * screen.u
            radius: 16 * screen.u
            color: Theme.primaryFill
            border.color: Theme.primary
            border.width: 3 * screen.u
            Column {
                id: takeList
                x: 28 * screen.u
                y: 24 * screen.u
                width: parent.width - 56 * screen.u
                spacing: 12 * screen.u
                Text { text: "请带走："; font.pixelSize: 40 * screen.u; font.bold: true; color: Theme.title }
                Repeater {
                    model: (identity.cardToTake !== "" ? [identity.cardToTake] : []).concat(screen.printed)
                        .concat(["办件回执（小票）"])
                    delegate: WrappedText {
                        available: takeList.width
                        text: "☐ " + modelData
                        font.pixelSize: 38 * screen.u
                        color: Theme.ink
                    }
                }
            }
        }
        Rectangle {
            // The numbers to keep, each on its own line: a long code wraps instead of being cut.
            width: cards.cardWidth
            height: numbers.implicitHeight + 48 * screen.u
            radius: 16 * screen.u
            color: Theme.surface
            border.color: Theme.line
            border.width: 2 * screen.u
            Column {
                id: numbers
                x: 28 * screen.u
                y: 24 * screen.u
                width: parent.width - 56 * screen.u
                spacing: 18 * screen.u
                Repeater {
                    model: [
                        { label: "办件编号", value: screen.r.caseNumber || "" },
                        { label: "统一社会信用代码", value: screen.r.creditCode || "" },
                        { label: "已出具", value: screen.printed.join("、") }
                    ]
                    delegate: Column {
                        visible: modelData.value !== ""
                        width: numbers.width
                        spacing: 4 * screen.u
                        Text { text: modelData.label; font.pixelSize: 32 * screen.u; color: Theme.muted }
                        WrappedText {
                            objectName: "done_" + index
                            available: numbers.width
                            text: modelData.value
                            font.pixelSize: 40 * screen.u
                            font.bold: true
                            color: Theme.ink
                        }
                    }
                }
            }
        }
    }
    WrappedText {
        available: parent ? parent.width : 0
        objectName: "doneAdvice"
        text: screen.printed.length > 0
            ? "凭办件编号可随时查询进度。"
            : "凭身份证或办件编号，可在本机“办件查询”中查询进度和打印。"
        font.pixelSize: 34 * screen.u
        color: Theme.inkSoft
    }

    buttons: [
        KButton { objectName: "homeButton"; u: screen.u; text: "返回首页"; onClicked: controller.home() }
    ]
}
