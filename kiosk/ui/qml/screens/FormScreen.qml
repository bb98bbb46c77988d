// One page of an item's form, generated from the item definition's fields.
import QtQuick
import QtQuick.Controls.Basic
import ".."

ScreenFrame {
    id: screen
    title: controller.pageTitle
    subtitle: controller.itemName + "  ·  第 " + controller.pageNumber + " 页"

    WrappedText {
        visible: controller.notice !== ""
        available: parent.width
        text: controller.notice
        font.pixelSize: 32 * screen.u
        color: controller.noticeGood ? Theme.good : Theme.bad
    }

    Rectangle {
        // A certificate printed straight away has no guide first: what the network's absence
        // means is said here, before 打印.
        objectName: "offlineNotice"
        visible: controller.guide.needsNetwork === true && controller.networkState === "offline"
        width: parent ? parent.width : 0
        height: visible ? formOfflineText.implicitHeight + 40 * screen.u : 0
        radius: 14 * screen.u
        color: Theme.warnFill
        border.color: Theme.warnLine
        border.width: 3 * screen.u
        WrappedText {
            id: formOfflineText
            anchors { left: parent.left; verticalCenter: parent.verticalCenter; leftMargin: 24 * screen.u }
            available: parent.width - 48 * screen.u
            font.pixelSize: 34 * screen.u
            color: Theme.warn
            text: "本事项需要联网核验，现在网络中断。" + (controller.guide.offline || "")
        }
    }

    Flow {
        // Landscape: the page's fields in two columns (a field as wide as the screen reads like a
        // form stretched, and shows half as much); a page of one field keeps a readable width.
        id: fieldsFlow
        objectName: "formFields"
        // The window's shape, not the screen's: an open keyboard makes the screen short and wide.
        readonly property bool landscape: screen.Window.width > screen.Window.height
        readonly property bool twoColumns: landscape && controller.fields.length > 1
        width: parent ? parent.width : 0
        spacing: 28 * screen.u
        Repeater {
            model: controller.fields
            delegate: Column {
                id: fieldBox
                required property var modelData
                width: fieldsFlow.twoColumns ? (fieldsFlow.width - fieldsFlow.spacing) / 2
                     : fieldsFlow.landscape ? Math.min(fieldsFlow.width, 1200 * screen.u) : fieldsFlow.width
                spacing: 12 * screen.u

                Text {
                    text: fieldBox.modelData.label + (fieldBox.modelData.required ? "  *" : "")
                    font.pixelSize: 36 * screen.u
                    font.bold: true
                    color: Theme.ink
                }

                TextField {
                    objectName: "field_" + fieldBox.modelData.id
                    visible: fieldBox.modelData.type === "text"
                    width: parent.width
                    height: 100 * screen.u
                    leftPadding: 20 * screen.u
                    font.pixelSize: 38 * screen.u
                    text: fieldBox.modelData.type === "text" ? fieldBox.modelData.value : ""
                    readOnly: fieldBox.modelData.readonly
                    maximumLength: fieldBox.modelData.maxLength
                    color: readOnly ? Theme.inkSoft : Theme.ink
                    // Codes (credit codes, case numbers) are typed on the Latin keyboard in capitals.
                    inputMethodHints: fieldBox.modelData.input === "digits" ? Qt.ImhDigitsOnly
                        : fieldBox.modelData.input === "code" ? (Qt.ImhUppercaseOnly | Qt.ImhLatinOnly | Qt.ImhNoPredictiveText)
                        : Qt.ImhNone
                    background: Rectangle {
                        radius: 10 * screen.u
                        color: parent.readOnly ? Theme.bar : "white"
                        border.width: parent.activeFocus ? 4 * screen.u : 2 * screen.u
                        border.color: fieldBox.modelData.error !== "" ? Theme.bad : (parent.activeFocus ? Theme.primary : Theme.muted)
                    }
                    onTextChanged: if (!readOnly && visible) controller.setAnswer(fieldBox.modelData.id, text)
                    onActiveFocusChanged: {
                        if (activeFocus) screen.flickable.contentY = Math.max(0, Math.min(
                            fieldBox.mapToItem(screen.flickable.contentItem, 0, 0).y - 20 * screen.u,
                            screen.flickable.contentHeight - screen.flickable.height))
                        else cursorPosition = 0  // a long value (a picked address) reads from its start
                    }
                    Component.onCompleted: {
                        // Only a text field takes the focus (and with it the keyboard): coming back to a
                        // choice or a photo must not open the keyboard over the page.
                        if (fieldBox.modelData.focus && fieldBox.modelData.type === "text") forceActiveFocus()
                        else cursorPosition = 0
                    }
                }

                KButton {
                    // The card's address is where the resident lives, not necessarily where the
                    // business will be: offered, and the answer only once tapped.
                    objectName: "suggest_" + fieldBox.modelData.id
                    visible: (fieldBox.modelData.suggestion || "") !== ""
                    u: screen.u
                    wrap: true
                    width: parent.width
                    text: "使用身份证上的地址：" + (fieldBox.modelData.suggestion || "")
                    onClicked: controller.useSuggestion(fieldBox.modelData.id)
                }

                KButton {
                    // An address is picked (township, village, house number) rather than spelt.
                    objectName: "pickAddress_" + fieldBox.modelData.id
                    visible: fieldBox.modelData.type === "text" && fieldBox.modelData.input === "address"
                    u: screen.u
                    primary: false
                    implicitHeight: 96 * screen.u
                    text: "从列表选择地址"
                    onClicked: capture.pickAddress(fieldBox.modelData.id)
                }

                Flow {
                    visible: fieldBox.modelData.type === "choice"
                    width: parent.width
                    spacing: 16 * screen.u
                    property string chosen: fieldBox.modelData.type === "choice" ? fieldBox.modelData.value : ""
                    Repeater {
                        model: fieldBox.modelData.type === "choice" ? fieldBox.modelData.choices : []
                        delegate: KButton {
                            objectName: "choice_" + fieldBox.modelData.id + "_" + modelData.value
                            u: screen.u
                            implicitHeight: 96 * screen.u
                            minWidth: 200 * screen.u
                            primary: parent.chosen === modelData.value
                            text: modelData.label
                            onClicked: { parent.chosen = modelData.value; controller.setAnswer(fieldBox.modelData.id, modelData.value) }
                        }
                    }
                }

                Flow {
                    // Several of a short list (storage conditions, change items): toggles.
                    visible: fieldBox.modelData.type === "multi_choice"
                    width: parent.width
                    spacing: 16 * screen.u
                    property var chosen: fieldBox.modelData.selected
                    Repeater {
                        model: fieldBox.modelData.type === "multi_choice" ? fieldBox.modelData.choices : []
                        delegate: KButton {
                            objectName: "multi_" + fieldBox.modelData.id + "_" + modelData.value
                            u: screen.u
                            implicitHeight: 96 * screen.u
                            minWidth: 220 * screen.u
                            primary: parent.chosen.indexOf(modelData.value) >= 0
                            text: (primary ? "✓ " : "") + modelData.label
                            onClicked: {
                                var list = parent.chosen.slice()
                                var at = list.indexOf(modelData.value)
                                if (at >= 0) list.splice(at, 1); else list.push(modelData.value)
                                parent.chosen = list
                                controller.setAnswer(fieldBox.modelData.id, list)
                            }
                        }
                    }
                }

                Rectangle {
                    // A statement the resident confirms by ticking it.
                    id: confirmRow
                    objectName: "confirm_" + fieldBox.modelData.id
                    visible: fieldBox.modelData.type === "confirm"
                    property bool ticked: fieldBox.modelData.checked
                    width: parent.width
                    height: Math.max(110 * screen.u, statementText.implicitHeight + 40 * screen.u)
                    radius: 12 * screen.u
                    color: ticked ? Theme.goodFill : "white"
                    border.color: ticked ? Theme.good : Theme.line
                    border.width: 3 * screen.u
                    Rectangle {
                        id: tick
                        anchors { left: parent.left; leftMargin: 24 * screen.u; verticalCenter: parent.verticalCenter }
                        width: 56 * screen.u; height: width; radius: 8 * screen.u
                        color: confirmRow.ticked ? Theme.good : "white"
                        border.color: Theme.good; border.width: 3 * screen.u
                        Text { anchors.centerIn: parent; text: "✓"; visible: confirmRow.ticked; color: "white"; font.pixelSize: 40 * screen.u }
                    }
                    Text {
                        id: statementText
                        anchors { left: tick.right; leftMargin: 24 * screen.u; right: parent.right; rightMargin: 24 * screen.u
                                  verticalCenter: parent.verticalCenter }
                        wrapMode: Text.Wrap
                        text: fieldBox.modelData.statement
                        font.pixelSize: 34 * screen.u
                        color: Theme.ink
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: { confirmRow.ticked = !confirmRow.ticked; controller.setAnswer(fieldBox.modelData.id, confirmRow.ticked) }
                    }
                }

                Column {
                    // A page of material (straightened) or the resident's face: the camera takes it;
                    // the resident sees it before it is kept. Without a page of material the item
                    // may still be accepted (容缺受理).
                    readonly property bool face: fieldBox.modelData.type === "face"
                    visible: fieldBox.modelData.type === "document" || face
                    width: parent.width
                    spacing: 14 * screen.u
                    Row {
                        spacing: 24 * screen.u
                        Image {
                            objectName: "captured_" + fieldBox.modelData.id
                            visible: parent.parent.visible && fieldBox.modelData.token !== ""
                            source: visible ? "image://capture/" + fieldBox.modelData.token : ""
                            cache: false  // personal data: no copy beyond the session
                            width: (parent.parent.face ? 240 : 210) * screen.u
                            height: (parent.parent.face ? 300 : 297) * screen.u
                            fillMode: Image.PreserveAspectFit
                            sourceSize.width: 420
                        }
                        KButton {
                            objectName: "capture_" + fieldBox.modelData.id
                            anchors.verticalCenter: parent.verticalCenter
                            u: screen.u
                            primary: fieldBox.modelData.token === ""
                            text: fieldBox.modelData.token !== "" ? "重拍" : (parent.parent.face ? "拍照" : "拍摄材料")
                            onClicked: capture.captureField(fieldBox.modelData.id)
                        }
                    }
                    WrappedText {
                        available: parent.width
                        text: fieldBox.modelData.token !== "" ? "已拍摄。看不清可以点“重拍”。"
                            : parent.face ? "点“拍照”，站在屏幕正前方看着摄像头，系统会自动拍照。"
                            : "把材料放在拍摄区，系统会自动拍照并摆正。没带材料也可以先提交申请，5个工作日内把材料带到窗口补交。"
                        font.pixelSize: 30 * screen.u
                        color: Theme.inkSoft
                    }
                }

                Column {
                    // The resident signs on the pad screen; the signature shows here once kept.
                    visible: fieldBox.modelData.type === "signature"
                    width: parent.width
                    spacing: 14 * screen.u
                    WrappedText {
                        available: parent.width
                        text: fieldBox.modelData.statement
                        font.pixelSize: 32 * screen.u
                        color: Theme.ink
                    }
                    Row {
                        spacing: 24 * screen.u
                        Rectangle {
                            visible: fieldBox.modelData.type === "signature" && fieldBox.modelData.token !== ""
                            width: 300 * screen.u
                            height: 120 * screen.u
                            color: "white"
                            border.color: Theme.line
                            border.width: 2 * screen.u
                            Image {
                                objectName: "signed_" + fieldBox.modelData.id
                                anchors { fill: parent; margins: 4 * screen.u }
                                source: parent.visible ? "image://capture/" + fieldBox.modelData.token : ""
                                cache: false
                                fillMode: Image.PreserveAspectFit
                            }
                        }
                        KButton {
                            objectName: "sign_" + fieldBox.modelData.id
                            anchors.verticalCenter: parent.verticalCenter
                            u: screen.u
                            primary: fieldBox.modelData.token === ""
                            text: fieldBox.modelData.token === "" ? "签名" : "重新签名"
                            onClicked: capture.signField(fieldBox.modelData.id)
                        }
                    }
                }

                Column {
                    visible: fieldBox.modelData.type === "scope"
                    width: parent.width
                    spacing: 12 * screen.u
                    property var chosen: fieldBox.modelData.selected
                    Repeater {
                        model: fieldBox.modelData.type === "scope" ? fieldBox.modelData.choices : []
                        delegate: Rectangle {
                            id: scopeRow
                            objectName: "scope_" + modelData.value
                            readonly property bool picked: parent.chosen.indexOf(modelData.value) >= 0
                            width: parent.width
                            height: Math.max(96 * screen.u, scopeLabel.height + 30 * screen.u)
                            radius: 12 * screen.u
                            color: picked ? Theme.primaryFill : "white"
                            border.color: picked ? Theme.primary : Theme.line
                            border.width: 3 * screen.u
                            Rectangle {
                                id: box
                                anchors { left: parent.left; leftMargin: 24 * screen.u; verticalCenter: parent.verticalCenter }
                                width: 50 * screen.u; height: width; radius: 8 * screen.u
                                color: scopeRow.picked ? Theme.primary : "white"
                                border.color: Theme.primary; border.width: 3 * screen.u
                                Text { anchors.centerIn: parent; text: "✓"; visible: scopeRow.picked; color: "white"; font.pixelSize: 36 * screen.u }
                            }
                            WrappedText {
                                // A long scope (道路货物运输（不含危险货物）) wraps inside its row.
                                id: scopeLabel
                                anchors { left: box.right; leftMargin: 24 * screen.u; verticalCenter: parent.verticalCenter }
                                available: scopeRow.width - box.width - 72 * screen.u
                                text: modelData.label + (modelData.licensed ? "（许可项目，需审批）" : "")
                                font.pixelSize: 34 * screen.u
                                color: modelData.licensed ? Theme.warn : Theme.ink
                            }
                            MouseArea {
                                anchors.fill: parent
                                onClicked: {
                                    var list = scopeRow.parent.chosen.slice()
                                    var at = list.indexOf(modelData.value)
                                    if (at >= 0) list.splice(at, 1); else list.push(modelData.value)
                                    scopeRow.parent.chosen = list
                                    controller.setAnswer(fieldBox.modelData.id, list)
                                }
                            }
                        }
                    }
                }

                WrappedText {
                    visible: fieldBox.modelData.error !== ""
                    available: parent.width
                    text: fieldBox.modelData.error
                    font.pixelSize: 32 * screen.u
                    color: Theme.bad
                }
                WrappedText {
                    objectName: "warning_" + fieldBox.modelData.id
                    visible: fieldBox.modelData.warning !== "" && fieldBox.modelData.error === ""
                    available: parent.width
                    text: "⚠ " + fieldBox.modelData.warning
                    font.pixelSize: 32 * screen.u
                    color: Theme.warn
                }
                WrappedText {
                    visible: fieldBox.modelData.help !== "" && fieldBox.modelData.error === "" && fieldBox.modelData.warning === ""
                    available: parent.width
                    text: fieldBox.modelData.help
                    font.pixelSize: 28 * screen.u
                    color: Theme.muted
                }
            }
        }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        KButton { objectName: "nextButton"; u: screen.u; text: controller.nextLabel; onClicked: controller.nextPage() }
    ]
}
