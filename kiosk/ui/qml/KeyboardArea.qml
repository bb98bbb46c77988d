// The keyboard panel at the bottom of the window: Qt's pinyin keyboard or the writing pad (手写)
// for a Chinese text field, the keyboard alone for digits and codes. The resident's choice of
// 拼音 or 手写 holds for every field of the session and is forgotten when it ends.
import QtQuick
import QtQuick.VirtualKeyboard

Item {
    id: area
    objectName: "keyboardArea"
    property real u: 1
    property bool portrait: true
    property Item field: null  // the item with the focus (the window's activeFocusItem)
    readonly property bool open: Qt.inputMethod.visible
    // Digits, ID numbers and credit codes are typed on their own keypads: no 手写 for them.
    readonly property int notChinese: Qt.ImhDigitsOnly | Qt.ImhFormattedNumbersOnly | Qt.ImhLatinOnly
        | Qt.ImhDialableCharactersOnly | Qt.ImhUppercaseOnly | Qt.ImhEmailCharactersOnly | Qt.ImhUrlCharactersOnly
    readonly property bool chinese: open && field !== null && field.inputMethodHints !== undefined
        && (field.inputMethodHints & notChinese) === 0 && handwriting.available
    property bool writing: false
    readonly property bool writingShown: chinese && writing
    readonly property real occupied: open ? height : 0

    width: portrait ? parent.width : Math.min(parent.width, 1100 * u)
    height: (chinese ? strip.height : 0) + (writingShown ? pad.height : panel.height)

    function useWriting(on) {
        if (on && !writing) Qt.inputMethod.commit()  // a half-spelt pinyin goes in as typed
        writing = on
    }
    Connections {
        target: controller
        function onSessionEnded() { area.writing = false }
    }

    Rectangle {
        id: strip
        objectName: "inputModeStrip"
        visible: area.chinese
        width: parent.width
        height: 110 * area.u
        color: Theme.bar
        Row {
            id: modes
            x: 16 * area.u
            anchors.verticalCenter: parent.verticalCenter
            spacing: 16 * area.u
            KButton {
                objectName: "inputPinyin"
                u: area.u
                takesFocus: false
                implicitHeight: 88 * area.u
                minWidth: 180 * area.u
                primary: !area.writing
                text: "拼音"
                onClicked: area.useWriting(false)
            }
            KButton {
                objectName: "inputHandwriting"
                u: area.u
                takesFocus: false
                implicitHeight: 88 * area.u
                minWidth: 180 * area.u
                primary: area.writing
                text: "手写"
                onClicked: area.useWriting(true)
            }
        }
        Rectangle {
            // What the field holds now: on a short screen the field itself is under the panel.
            objectName: "typedSoFar"
            anchors { left: modes.right; leftMargin: 24 * area.u; right: parent.right; rightMargin: 16 * area.u
                      verticalCenter: parent.verticalCenter }
            height: 88 * area.u
            radius: 10 * area.u
            color: "white"
            border.width: 2 * area.u
            border.color: Theme.line
            Text {
                anchors { fill: parent; leftMargin: 16 * area.u; rightMargin: 16 * area.u }
                verticalAlignment: Text.AlignVCenter
                readonly property string typed: area.field && area.field.text !== undefined
                    ? area.field.text + (area.field.preeditText || "") : ""
                text: typed !== "" ? typed : "已输入的字会显示在这里"
                color: typed !== "" ? Theme.ink : Theme.muted
                font.pixelSize: (typed !== "" ? 44 : 28) * area.u
                elide: Text.ElideLeft
            }
        }
    }

    InputPanel {
        id: panel
        objectName: "keyboard"
        y: strip.visible ? strip.height : 0
        width: parent.width
        visible: area.open && !area.writingShown
        readonly property real candidateBarHeight: keyboard.style.selectionListHeight
        Component.onCompleted: look.applyTo(keyboard.style)
    }
    KeyboardLook { id: look }
    // Qt's keyboard draws every key, letter and candidate at `scaleHint` (its width over its design
    // width) and is as tall as that allows: at the panel's full width its letters are 22 px and
    // its candidate bar 36 px. A narrower design width scales it all up: candidates 47 px high,
    // and in elder mode 63 px (at least 60), letters 29 and 38 px.
    Binding {
        target: panel.keyboard.style
        property: "keyboardDesignWidth"
        value: panel.width / (Theme.elder ? 0.74 : 0.55)
    }

    HandwritingPad {
        id: pad
        y: strip.height
        width: parent.width
        // The pad takes the keyboard's place, and in portrait more: a finger needs room to write.
        height: Math.max(panel.height, area.portrait ? 620 * area.u : 0, implicitHeight)
        visible: area.writingShown
        u: area.u
        target: area.field
        onDone: Qt.inputMethod.hide()
    }
}
