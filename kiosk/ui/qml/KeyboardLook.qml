// The keyboard drawn in the kiosk's own look: light keys with dark letters on the page's bar
// colour (Qt's default is a dark keyboard on a light screen), the function keys named in plain
// Chinese (删除, 确定, 收起, 空格, 符号) rather than drawn as icons, and large candidates.
// `applyTo` replaces the key, candidate and background components of the keyboard's style;
// everything else (layouts, pinyin, sizes) stays Qt's.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

QtObject {
    id: look
    property var style: null
    readonly property real hint: style ? style.scaleHint : 1  // the keyboard's width over its design width
    readonly property real gap: 6 * hint  // between keys, so each reads as its own target

    function applyTo(keyboardStyle) {
        style = keyboardStyle
        style.keyboardBackground = background
        style.keyPanel = letterKey
        style.backspaceKeyPanel = backspaceKey
        style.enterKeyPanel = enterKey
        style.hideKeyPanel = hideKey
        style.shiftKeyPanel = shiftKey
        style.spaceKeyPanel = spaceKey
        style.symbolKeyPanel = symbolKey
        style.languageKeyPanel = languageKey
        style.selectionListBackground = candidateBar
        style.selectionListDelegate = candidate
        style.selectionListHighlight = null
        style.characterPreviewDelegate = preview
        style.alternateKeysListBackground = alternatesBackground
        style.alternateKeysListDelegate = alternate
    }

    // What a function key says: the resident reads a word, not an icon they have to know.
    function symbolLabel(shown) {
        if (shown === "&123" || shown === "?123" || shown === "123") return "符号"
        if (shown === "ABC" || shown === "abc") return "字母"
        return shown
    }

    property Component background: Component {
        Rectangle { objectName: "keyboardBackground"; color: Theme.bar }
    }

    // One key face: a rounded light tile with a label; function keys are tinted.
    component Face: Rectangle {
        id: face
        property Item key: null
        property string label: ""
        property bool function_: false
        property bool lit: false
        readonly property bool down: key !== null && key.pressed
        anchors.fill: parent
        anchors.margins: look.gap
        radius: 10 * look.hint
        color: down ? Theme.primaryFill : (lit ? Theme.primary : (function_ ? "#dfe5ee" : Theme.surface))
        border.width: Theme.elder ? 3 * look.hint : 1.5 * look.hint
        border.color: down ? Theme.primary : Theme.line
        opacity: key !== null && !key.enabled ? 0.45 : 1
        Text {
            objectName: "keyFace"
            anchors.centerIn: parent
            width: parent.width - 8 * look.hint
            horizontalAlignment: Text.AlignHCenter
            text: face.label
            color: face.lit ? "white" : Theme.ink
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: 10
            font.pixelSize: Math.min(parent.height * (face.function_ ? 0.36 : 0.5), 64 * look.hint)
            font.bold: face.function_
        }
    }

    property Component letterKey: Component {
        KeyPanel {
            id: panel
            Face {
                key: panel.control
                label: panel.control ? panel.control.displayText : ""
                Text {
                    // A key with more behind a long press (。，！？): a small hint in its corner.
                    anchors { right: parent.right; top: parent.top; margins: 6 * look.hint }
                    visible: panel.control !== null && panel.control.smallTextVisible
                    text: panel.control ? panel.control.smallText : ""
                    color: Theme.muted
                    font.pixelSize: parent.height * 0.22
                }
            }
        }
    }
    property Component backspaceKey: Component {
        KeyPanel { id: panel; Face { key: panel.control; function_: true; label: "删除" } }
    }
    property Component enterKey: Component {
        KeyPanel { id: panel; Face { key: panel.control; function_: true; lit: true; label: "确定" } }
    }
    property Component hideKey: Component {
        KeyPanel { id: panel; Face { key: panel.control; function_: true; label: "收起" } }
    }
    property Component shiftKey: Component {
        KeyPanel {
            id: panel
            Face {
                key: panel.control
                function_: true
                lit: InputContext.capsLockActive
                label: InputContext.shiftActive ? "大写" : "小写"
            }
        }
    }
    property Component spaceKey: Component {
        KeyPanel { id: panel; Face { key: panel.control; label: "空格" } }
    }
    property Component symbolKey: Component {
        KeyPanel {
            id: panel
            Face { key: panel.control; function_: true; label: look.symbolLabel(panel.control ? panel.control.displayText : "") }
        }
    }
    property Component languageKey: Component {
        KeyPanel {
            id: panel
            Face { key: panel.control; function_: true; label: InputContext.locale.indexOf("zh") === 0 ? "中/英" : "英/中" }
        }
    }

    property Component candidateBar: Component {
        Rectangle {
            objectName: "candidateBar"
            color: Theme.surface
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 2; color: Theme.line }
        }
    }
    property Component candidate: Component {
        SelectionListItem {
            id: item
            width: Math.round(word.implicitWidth + 56 * look.hint)
            Text {
                id: word
                objectName: "candidate"
                anchors.centerIn: parent
                text: display
                color: Theme.ink
                font.pixelSize: parent.height * 0.62
            }
            Rectangle {
                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                width: 2
                height: parent.height * 0.5
                color: Theme.line
            }
        }
    }
    property Component preview: Component {
        // The letter under the finger, shown above it.
        Rectangle {
            property string text
            color: Theme.surface
            radius: 12 * look.hint
            border.width: 3 * look.hint
            border.color: Theme.primary
            Text {
                anchors.centerIn: parent
                text: parent.text
                color: Theme.ink
                font.pixelSize: parent.height * 0.6
            }
        }
    }
    property Component alternatesBackground: Component {
        Rectangle { color: Theme.surface; radius: 12 * look.hint; border.width: 3 * look.hint; border.color: Theme.primary }
    }
    property Component alternate: Component {
        Item {
            id: choice
            width: look.style.alternateKeysListItemWidth
            height: look.style.alternateKeysListItemHeight
            Text {
                anchors.centerIn: parent
                text: model.text
                color: choice.ListView.isCurrentItem ? Theme.primary : Theme.ink
                font.pixelSize: 60 * look.hint
                font.bold: choice.ListView.isCurrentItem
            }
        }
    }
}
